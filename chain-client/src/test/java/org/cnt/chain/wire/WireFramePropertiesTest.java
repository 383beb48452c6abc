package org.cnt.chain.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever bytes a peer sends, the receiving pipeline returns promptly, never lets an exception
 * escape, and either yields well-formed messages, waits for more bytes, or closes the connection.
 */
class WireFramePropertiesTest {

    @Property(tries = 500)
    void randomBytesNeverCrashTheReceiver(@ForAll @Size(max = 4096) byte[] junk,
                                          @ForAll @IntRange(min = 1, max = 64) int pieceBytes) {
        feedAndCheck(Unpooled.wrappedBuffer(junk), pieceBytes);
    }

    @Property(tries = 500)
    void mutatedFramesEitherDecodeWholeOrCloseTheConnection(
            @ForAll @IntRange(min = 0, max = 5) int kind, @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 8) int mutations,
            @ForAll @IntRange(min = 1, max = 512) int pieceBytes) {
        Random random = new Random(seed);
        ByteBuf frame = WireCodecTest.encode(message(kind, random));
        byte[] bytes = new byte[frame.readableBytes()];
        frame.readBytes(bytes);
        for (int i = 0; i < mutations; i++) {
            int at = random.nextInt(bytes.length);
            switch (random.nextInt(3)) {
                case 0 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> bytes[at] = (byte) random.nextInt(256);
                default -> bytes = java.util.Arrays.copyOf(bytes, Math.max(1, at));
            }
        }
        feedAndCheck(Unpooled.wrappedBuffer(bytes), pieceBytes);
    }

    private static WireMessage message(int kind, Random random) {
        byte[] nonce = new byte[WireMessage.NONCE_BYTES];
        random.nextBytes(nonce);
        return switch (kind) {
            case 0 -> new WireMessage.Challenge(nonce);
            case 1 -> WireMessage.Hello.answer(WireCodecTest.OWNER, nonce);
            case 2 -> WireCodecTest.proposal(1 + random.nextInt(200), random);
            case 3 -> WireCodecTest.proposal(70_000, random);
            case 4 -> new WireMessage.ReadRequest(random.nextLong(), 9, random.nextInt(3),
                    random.nextInt(1 << 20), random.nextInt(1 << 16), random.nextInt(100), false);
            default -> new WireMessage.Failure(random.nextLong(), "busy: " + random.nextInt());
        };
    }

    private static void feedAndCheck(ByteBuf wire, int pieceBytes) {
        EmbeddedChannel channel = WireCodecTest.decoding();
        List<WireMessage> received = new ArrayList<>();
        while (wire.isReadable() && channel.isOpen()) {
            channel.writeInbound(wire.readRetainedSlice(Math.min(pieceBytes,
                    wire.readableBytes())));
            for (WireMessage message; (message = channel.readInbound()) != null; ) {
                received.add(message);
            }
        }
        channel.checkException();
        for (WireMessage message : received) {
            EmbeddedChannel again = WireCodecTest.decoding();
            again.writeInbound(WireCodecTest.encode(message));
            assertThat(((WireMessage) again.readInbound()).toBytes())
                    .isEqualTo(message.toBytes());
        }
        wire.release();
        channel.finishAndReleaseAll();
    }
}
