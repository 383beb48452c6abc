package org.cnt.farmer.daemon;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.ArrayDeque;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.wire.WireMessage;
import org.cnt.chain.wire.WirePipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This farmer's connection to one peer farmer, used to send only (the peer answers over its own
 * link to us). Connects on first use and again after a loss, at most once per
 * {@link #RETRY_MS}; holds a bounded backlog while connecting and drops what does not fit, as
 * it drops messages while the peer is slow: the protocol resends what matters, and a slow peer
 * never grows this farmer's memory.
 */
final class PeerLink {
    private static final Logger log = LoggerFactory.getLogger(PeerLink.class);
    static final int MAX_BACKLOG = 1024;
    static final long RETRY_MS = 500;

    private final String endpoint;
    private final KeyPair key;
    private final Bootstrap bootstrap;
    private final ArrayDeque<Object> backlog = new ArrayDeque<>();
    private Channel channel;
    private boolean ready;
    private long lastAttemptMs;
    private long dropped;

    PeerLink(String endpoint, KeyPair key, EventLoopGroup group, int maxFrameBytes) {
        this.endpoint = endpoint;
        this.key = key;
        this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 3_000)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WireServer.WATER_MARK)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        WirePipeline.install(ch.pipeline(), maxFrameBytes, new Handshake());
                    }
                });
    }

    /** Sends an encoded {@link WireMessage} (a byte[] body, or the message itself). */
    synchronized void send(Object message) {
        if (ready && channel.isActive()) {
            if (channel.isWritable()) {
                channel.writeAndFlush(message, channel.voidPromise());
            } else {
                dropped++;
            }
            return;
        }
        if (backlog.size() >= MAX_BACKLOG) {
            backlog.poll();
            dropped++;
        }
        backlog.add(message);
        connectIfIdle();
    }

    synchronized long dropped() {
        return dropped;
    }

    private void connectIfIdle() {
        long now = System.currentTimeMillis();
        if (channel != null && channel.isOpen() || now - lastAttemptMs < RETRY_MS) {
            return;
        }
        lastAttemptMs = now;
        String[] hostPort = splitEndpoint(endpoint);
        ChannelFuture future = bootstrap.connect(hostPort[0], Integer.parseInt(hostPort[1]));
        channel = future.channel();
        ready = false;
        future.addListener(done -> {
            if (!done.isSuccess()) {
                log.debug("peer {} unreachable: {}", endpoint, done.cause().toString());
            }
        });
    }

    static String[] splitEndpoint(String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        if (colon <= 0 || colon == endpoint.length() - 1) {
            throw new IllegalArgumentException("endpoint must be host:port, not " + endpoint);
        }
        return new String[] {endpoint.substring(0, colon), endpoint.substring(colon + 1)};
    }

    private synchronized void onChallenge(Channel from, byte[] nonce) {
        if (from != channel) {
            return;
        }
        channel.write(WireMessage.Hello.answer(key, nonce), channel.voidPromise());
        while (!backlog.isEmpty()) {
            channel.write(backlog.poll(), channel.voidPromise());
        }
        channel.flush();
        ready = true;
        log.debug("linked to peer {}", endpoint);
    }

    void close() {
        Channel current;
        synchronized (this) {
            current = channel;
            backlog.clear();
        }
        if (current != null) {
            current.close();
        }
    }

    /** The peer's challenge opens the link; anything else it says on it is ignored. */
    private final class Handshake extends SimpleChannelInboundHandler<WireMessage> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WireMessage message) {
            if (message instanceof WireMessage.Challenge challenge) {
                onChallenge(ctx.channel(), challenge.nonce());
            }
        }
    }
}
