package org.cnt.farmer.daemon;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import org.cnt.chain.wire.OutboundLink;
import org.cnt.chain.wire.WirePipeline;
import org.cnt.farmer.FarmerException;

/** The farmer's listening socket: every accepted connection gets the CNT pipeline. */
final class WireServer implements AutoCloseable {
    private final Channel channel;

    WireServer(EventLoopGroup group, String host, int port, int maxFrameBytes,
               ChunkHosts hosts, ClientConnections clients) throws FarmerException {
        ServerBootstrap bootstrap = new ServerBootstrap().group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, OutboundLink.WATER_MARK)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        WirePipeline.installAccepting(ch.pipeline(), maxFrameBytes,
                                new InboundHandler(hosts, clients));
                    }
                });
        try {
            channel = bootstrap.bind(host, port).sync().channel();
        } catch (Exception e) {
            throw new FarmerException("cannot listen on " + host + ":" + port + ": "
                    + e.getMessage() + " (is the port taken?)", e);
        }
    }

    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
