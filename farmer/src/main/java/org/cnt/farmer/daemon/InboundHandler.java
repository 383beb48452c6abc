package org.cnt.farmer.daemon;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.security.SecureRandom;
import org.cnt.chain.crypto.PublicKey;
import org.cnt.chain.micro.MicroMessage;
import org.cnt.chain.wire.FrameDecoder;
import org.cnt.chain.wire.WireMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted connection: challenge, then the dialer's signed hello, then its messages routed
 * to the replica of their chunk, as a member if its key is in that chunk's group and as a client
 * otherwise. A peer that breaks the protocol loses this connection, nothing else.
 */
final class InboundHandler extends SimpleChannelInboundHandler<WireMessage> {
    private static final Logger log = LoggerFactory.getLogger(InboundHandler.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ChunkHosts hosts;
    private final ClientConnections clients;
    private final byte[] nonce = new byte[WireMessage.NONCE_BYTES];
    private PublicKey peer;
    private int clientId = -1;

    InboundHandler(ChunkHosts hosts, ClientConnections clients) {
        this.hosts = hosts;
        this.clients = clients;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        RANDOM.nextBytes(nonce);
        ctx.writeAndFlush(new WireMessage.Challenge(nonce.clone()));
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (clientId >= 0) {
            clients.unregister(clientId);
        }
        ctx.fireChannelInactive();
    }

    /** A client that does not read its replies stops being read, instead of growing our queue. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WireMessage message) {
        if (peer == null) {
            if (message instanceof WireMessage.Hello hello && hello.verify(nonce)) {
                peer = hello.key();
                clientId = clients.register(ctx.channel());
                FrameDecoder.trust(ctx.pipeline());
                return;
            }
            refuse(ctx, "the first message must be a hello signed over this connection's nonce");
            return;
        }
        switch (message) {
            case WireMessage.Micro micro -> onMicro(micro.message());
            case WireMessage.ReadRequest read -> onRead(read);
            default -> refuse(ctx, "unexpected " + message.getClass().getSimpleName());
        }
    }

    private void onMicro(MicroMessage message) {
        ChunkHost host = hosts.route(message);
        boolean fromClient;
        int from;
        if (host == null) {
            from = clientId;
            fromClient = true;
        } else {
            int member = host.memberIndex(peer);
            fromClient = member < 0;
            from = fromClient ? clientId : member;
        }
        if (fromClient && message instanceof MicroMessage.Submit) {
            ChunkHost old = hosts.retiring(message.chunkId());
            if (old != null && old != host && old.memberIndex(peer) < 0) {
                // The epoch being sealed answers with the proof of a write it committed, whose
                // first acknowledgement the client may have lost; it orders nothing new.
                old.offer(clientId, message);
            }
        }
        if (host != null && host.offer(from, message)) {
            return;
        }
        if (fromClient && message instanceof MicroMessage.Submit submit) {
            String reason = host == null ? "not_member: this farmer holds no replica of chunk "
                    + message.chunkId() : "busy: the replica of chunk " + message.chunkId()
                    + " is behind on its inputs; retry";
            clients.send(clientId, new WireMessage.Micro(new MicroMessage.Rejected(
                    message.chunkId(), submit.op().digest(), reason)));
        }
    }

    private void onRead(WireMessage.ReadRequest request) {
        ChunkHost host = hosts.forRead(request.chunkId(), request.epoch());
        if (host == null) {
            clients.send(clientId, new WireMessage.Failure(request.requestId(),
                    "not_member: this farmer holds no replica of chunk " + request.chunkId()));
            return;
        }
        host.read(request, peer, clientId);
    }

    private void refuse(ChannelHandlerContext ctx, String why) {
        log.warn("closing {}: {}", ctx.channel().remoteAddress(), why);
        ctx.close();
    }
}
