package org.cnt.chain.replication;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.ArrayDeque;
import java.util.function.BiConsumer;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.wire.WireMessage;
import org.cnt.chain.wire.WirePipeline;

/**
 * The client's connection to one farmer: dials on first use and after a loss, answers the
 * farmer's challenge with a signed hello, then carries requests pipelined, replies going to the
 * client's handler. What cannot be sent (backlog full, link down) is simply not sent: the
 * client's timers retry elsewhere.
 */
final class FarmerChannel {
    private static final int MAX_BACKLOG = 4096;
    private static final long RETRY_MS = 200;

    private final String endpoint;
    private final KeyPair identity;
    private final Bootstrap bootstrap;
    private final ArrayDeque<WireMessage> backlog = new ArrayDeque<>();
    private Channel channel;
    private boolean ready;
    private long lastAttemptMs;

    FarmerChannel(String endpoint, KeyPair identity, EventLoopGroup group, int maxFrameBytes,
                  BiConsumer<String, WireMessage> onMessage) {
        this.endpoint = endpoint;
        this.identity = identity;
        this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 3_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        WirePipeline.install(ch.pipeline(), maxFrameBytes,
                                new SimpleChannelInboundHandler<WireMessage>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx,
                                                                WireMessage message) {
                                        if (message instanceof WireMessage.Challenge c) {
                                            onChallenge(ctx.channel(), c.nonce());
                                        } else {
                                            onMessage.accept(endpoint, message);
                                        }
                                    }
                                });
                    }
                });
    }

    synchronized void send(WireMessage message) {
        if (ready && channel.isActive()) {
            channel.writeAndFlush(message, channel.voidPromise());
            return;
        }
        if (backlog.size() < MAX_BACKLOG) {
            backlog.add(message);
        }
        long now = System.currentTimeMillis();
        if ((channel == null || !channel.isOpen()) && now - lastAttemptMs >= RETRY_MS) {
            lastAttemptMs = now;
            ready = false;
            String host = endpoint.substring(0, endpoint.lastIndexOf(':'));
            int port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
            channel = bootstrap.connect(host, port).channel();
        }
    }

    private synchronized void onChallenge(Channel from, byte[] nonce) {
        if (from != channel) {
            return;
        }
        channel.write(WireMessage.Hello.answer(identity, nonce), channel.voidPromise());
        while (!backlog.isEmpty()) {
            channel.write(backlog.poll(), channel.voidPromise());
        }
        channel.flush();
        ready = true;
    }

    synchronized void close() {
        backlog.clear();
        if (channel != null) {
            channel.close();
        }
    }
}
