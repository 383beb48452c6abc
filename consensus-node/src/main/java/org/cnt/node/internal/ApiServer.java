package org.cnt.node.internal;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.cnt.node.NodeException;

/** The node's HTTP listener: codec, a bounded body, then the {@link ApiHandler}. */
public final class ApiServer implements AutoCloseable {
    /** A signed transaction is under 1 KiB; 64 KiB leaves room for JSON and hex. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    /** A connection with no traffic either way this long is closed (head streams write per block). */
    static final int IDLE_CLOSE_SECONDS = 120;

    private final EventLoopGroup group;
    private final Channel channel;
    private final HeadStream heads = new HeadStream();

    public ApiServer(String host, int port, ChainService chain, PrometheusMeterRegistry metrics,
                     long blockTimeMs) throws NodeException {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        chain.onNewHead(heads::publish);
        ServerBootstrap bootstrap = new ServerBootstrap().group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new IdleStateHandler(0, 0, IDLE_CLOSE_SECONDS))
                                .addLast(new IdleCloser())
                                .addLast(new HttpServerCodec(4096, 8192, 8192))
                                .addLast(new BoundedAggregator())
                                .addLast(new ApiHandler(chain, heads, metrics, blockTimeMs));
                    }
                });
        try {
            channel = bootstrap.bind(host, port).sync().channel();
        } catch (Exception e) {
            group.shutdownGracefully();
            throw new NodeException("cannot listen on " + host + ":" + port + ": " + e.getMessage()
                    + " (is the port taken by another node?)", e);
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        heads.closeAll();
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Closes connections that went idle, so silent clients cannot hold sockets forever. */
    private static final class IdleCloser extends ChannelDuplexHandler {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof IdleStateEvent) {
                ctx.close();
            } else {
                super.userEventTriggered(ctx, event);
            }
        }
    }

    /** Answers an oversized body with the API's JSON error instead of Netty's empty 413. */
    private static final class BoundedAggregator extends HttpObjectAggregator {
        BoundedAggregator() {
            super(MAX_BODY_BYTES);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            byte[] body = ("{\"error\":\"body_too_large\",\"detail\":\"request bodies are at most "
                    + MAX_BODY_BYTES + " bytes\"}").getBytes(StandardCharsets.UTF_8);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            HttpUtil.setContentLength(response, body.length);
            if (HttpUtil.isKeepAlive(oversized)) {
                // The aggregator discards the rest of the body; closing now would reset the
                // connection under a client still sending it, and it would never see this answer.
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            } else {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
