package org.cnt.chain.wire;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.function.BiConsumer;
import org.cnt.chain.crypto.KeyPair;

/**
 * A connection this side dials: opened on first use and again after a loss (at most once per
 * {@code retryMs}), it answers the acceptor's challenge with a signed hello and then carries
 * messages, many in flight. Until the hello, messages wait in a bounded backlog; past it they are
 * dropped, as they are when {@code dropWhenSlow} and the peer has fallen behind the write-buffer
 * mark: callers that send there resend what matters, and a slow peer never grows this side's
 * memory. Thread-safe.
 */
public final class OutboundLink {
    /** Per link: past this many queued bytes the peer counts as slow. */
    public static final WriteBufferWaterMark WATER_MARK =
            new WriteBufferWaterMark(8 << 20, 32 << 20);

    private final String endpoint;
    private final KeyPair identity;
    private final Bootstrap bootstrap;
    private final int maxBacklog;
    private final long retryMs;
    private final boolean dropWhenSlow;
    private final ArrayDeque<Object> backlog = new ArrayDeque<>();
    private Channel channel;
    private boolean ready;
    private long lastAttemptMs;
    private long dropped;

    /**
     * @param onMessage gets every message the acceptor sends after its challenge, with this
     *                  link's endpoint
     */
    public OutboundLink(String endpoint, KeyPair identity, EventLoopGroup group,
                        int maxFrameBytes, int maxBacklog, long retryMs, boolean dropWhenSlow,
                        BiConsumer<String, WireMessage> onMessage) {
        splitEndpoint(endpoint);
        this.endpoint = endpoint;
        this.identity = identity;
        this.maxBacklog = maxBacklog;
        this.retryMs = retryMs;
        this.dropWhenSlow = dropWhenSlow;
        this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 3_000)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
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

    /**
     * Sends a {@link WireMessage}, a body already encoded by {@link WireMessage#toBytes}, or a
     * whole frame ({@link FrameEncoder#frame}), which the link owns from here: it is released
     * once written or dropped.
     */
    public synchronized void send(Object message) {
        if (ready && channel.isActive()) {
            if (!dropWhenSlow || channel.isWritable()) {
                channel.writeAndFlush(message, channel.voidPromise());
            } else {
                ReferenceCountUtil.release(message);
                dropped++;
            }
            return;
        }
        if (backlog.size() >= maxBacklog) {
            ReferenceCountUtil.release(backlog.poll());
            dropped++;
        }
        backlog.add(message);
        long now = System.currentTimeMillis();
        if ((channel == null || !channel.isOpen()) && now - lastAttemptMs >= retryMs) {
            lastAttemptMs = now;
            ready = false;
            String[] hostPort = splitEndpoint(endpoint);
            channel = bootstrap.connect(hostPort[0], Integer.parseInt(hostPort[1])).channel();
        }
    }

    /** Messages dropped so far (backlog full or peer slow). */
    public synchronized long dropped() {
        return dropped;
    }

    public synchronized void close() {
        backlog.forEach(ReferenceCountUtil::release);
        backlog.clear();
        if (channel != null) {
            channel.close();
        }
    }

    /** {@code host:port} split at the last colon; refuses anything else. */
    public static String[] splitEndpoint(String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        if (colon <= 0 || colon == endpoint.length() - 1) {
            throw new IllegalArgumentException("endpoint must be host:port, not " + endpoint);
        }
        try {
            Integer.parseInt(endpoint.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("endpoint port is not a number: " + endpoint);
        }
        return new String[] {endpoint.substring(0, colon), endpoint.substring(colon + 1)};
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
}
