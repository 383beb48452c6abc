package org.cnt.chain.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.cnt.chain.crypto.KeyPair;
import org.junit.jupiter.api.Test;

class OutboundLinkTest {
    private static final KeyPair KEY = KeyPair.fromLabel("link");

    /**
     * A peer that accepts and never says hello keeps the link from sending: frames wait in the
     * bounded backlog, and every one dropped from it or left in it at close is released, so a
     * farmer with a silent peer does not leak the direct memory of its proposals.
     */
    @Test
    void framesThatNeverLeaveAreReleasedWhenDroppedOrWhenTheLinkCloses() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            OutboundLink link = new OutboundLink("127.0.0.1:" + silent.getLocalPort(), KEY,
                    group, 1 << 20, 2, 60_000, true, (endpoint, message) -> { });
            List<ByteBuf> frames = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ByteBuf frame = FrameEncoder.frame(ByteBufAllocator.DEFAULT,
                        FrameBody.of(new byte[] {(byte) i, 1, 2, 3}), 1 << 20,
                        Frames.DEFAULT_COMPRESS_FROM_BYTES);
                frames.add(frame);
                link.send(frame);
            }
            assertThat(frames.get(0).refCnt()).as("dropped from the full backlog").isZero();
            assertThat(frames.get(1).refCnt()).isEqualTo(1);
            assertThat(frames.get(2).refCnt()).isEqualTo(1);
            assertThat(link.dropped()).isEqualTo(1);
            link.close();
            assertThat(frames).allSatisfy(frame -> assertThat(frame.refCnt()).isZero());
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }
}
