package org.cnt.chain.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.Arrays;
import java.util.List;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Cuts the byte stream into frame bodies ({@code byte[]}). Returns while a frame is incomplete;
 * throws {@link TooLongFrameException} or {@link CorruptedFrameException} on a frame that is not
 * ours, after which the connection is closed by {@link CloseOnError}.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    private static final LZ4SafeDecompressor LZ4 = LZ4Factory.fastestInstance().safeDecompressor();
    /** Frames this large are filled straight into their body as bytes arrive. */
    static final int DIRECT_FILL_BYTES = 64 << 10;
    /**
     * The body is allocated when the header arrives, up to this much (the largest operation
     * with its framing, so a client's batch or a leader's proposal is copied out of the socket
     * buffers once); a larger body grows as its bytes come. So a peer that announces a frame and
     * sends nothing makes us hold this much at most, and one that sends makes us hold twice what
     * it sent.
     */
    static final int FILL_AHEAD_BYTES = (8 << 20) + (64 << 10);
    private final int maxFrameBytes;
    /** The largest frame taken now: smaller until the peer has said who it is, on an acceptor. */
    private int admittedFrameBytes;
    /** The body of a large frame being received, and how much of it has arrived. */
    private byte[] filling;
    private int fillingLength;
    private int filled;
    private int fillingFlags;

    public FrameDecoder(int maxFrameBytes) {
        this(maxFrameBytes, false);
    }

    /**
     * @param untilTrusted take frames of at most {@link Frames#MAX_HELLO_FRAME_BYTES} until
     *                     {@link #trust} is called: an acceptor does not hold megabytes for a
     *                     stranger that has not signed its hello
     */
    public FrameDecoder(int maxFrameBytes, boolean untilTrusted) {
        if (maxFrameBytes < 16) {
            throw new IllegalArgumentException("maximum frame too small: " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
        this.admittedFrameBytes = untilTrusted
                ? Math.min(maxFrameBytes, Frames.MAX_HELLO_FRAME_BYTES) : maxFrameBytes;
    }

    /** The connection's peer is known now: it may send frames up to the full maximum. */
    public static void trust(ChannelPipeline pipeline) {
        FrameDecoder decoder = pipeline.get(FrameDecoder.class);
        if (decoder != null) {
            decoder.admittedFrameBytes = decoder.maxFrameBytes;
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (filling != null) {
            fill(in, out);
            return;
        }
        if (in.readableBytes() < Frames.HEADER_BYTES) {
            return;
        }
        int start = in.readerIndex();
        int magic = in.getUnsignedShort(start);
        int version = in.getUnsignedByte(start + 2);
        int flags = in.getUnsignedByte(start + 3);
        long length = in.getUnsignedInt(start + 4);
        if (magic != Frames.MAGIC) {
            throw new CorruptedFrameException("not a CNT frame (magic 0x"
                    + Integer.toHexString(magic) + ")");
        }
        if (version != Frames.VERSION) {
            throw new CorruptedFrameException("unsupported frame version " + version
                    + " (this side speaks " + Frames.VERSION + ")");
        }
        if ((flags & ~Frames.FLAG_LZ4) != 0) {
            throw new CorruptedFrameException("unknown frame flags 0x" + Integer.toHexString(flags));
        }
        if (length > admittedFrameBytes) {
            throw new TooLongFrameException("frame of " + length + " bytes exceeds the maximum "
                    + admittedFrameBytes + (admittedFrameBytes < maxFrameBytes
                    ? " before a signed hello" : ""));
        }
        if (in.readableBytes() < Frames.HEADER_BYTES + length) {
            if (length >= DIRECT_FILL_BYTES) {
                // A megabyte frame arrives in many reads: copy each into the body once, instead
                // of gathering the whole frame in the cumulation buffer first (which grows and
                // copies as it goes) and copying it out again.
                in.skipBytes(Frames.HEADER_BYTES);
                filling = new byte[(int) Math.min(length, FILL_AHEAD_BYTES)];
                fillingLength = (int) length;
                filled = 0;
                fillingFlags = flags;
                fill(in, out);
            }
            return;
        }
        in.skipBytes(Frames.HEADER_BYTES);
        byte[] body = new byte[(int) length];
        in.readBytes(body);
        out.add((flags & Frames.FLAG_LZ4) != 0 ? decompress(body) : body);
    }

    private void fill(ByteBuf in, List<Object> out) {
        while (in.isReadable() && filled < fillingLength) {
            if (filled == filling.length) {
                filling = Arrays.copyOf(filling, (int) Math.min(fillingLength,
                        2L * filling.length));
            }
            int count = Math.min(in.readableBytes(), filling.length - filled);
            in.readBytes(filling, filled, count);
            filled += count;
        }
        if (filled == fillingLength) {
            byte[] body = filling;
            filling = null;
            out.add((fillingFlags & Frames.FLAG_LZ4) != 0 ? decompress(body) : body);
        }
    }

    private byte[] decompress(byte[] body) {
        if (body.length < 4) {
            throw new CorruptedFrameException("compressed frame without its length");
        }
        long original = ((body[0] & 0xFFL) << 24) | ((body[1] & 0xFF) << 16)
                | ((body[2] & 0xFF) << 8) | (body[3] & 0xFF);
        if (original > maxFrameBytes) {
            throw new TooLongFrameException("frame expands to " + original
                    + " bytes, over the maximum " + maxFrameBytes);
        }
        byte[] plain = new byte[(int) original];
        try {
            int produced = LZ4.decompress(body, 4, body.length - 4, plain, 0);
            if (produced != original) {
                throw new CorruptedFrameException("compressed frame expands to " + produced
                        + " bytes, not the " + original + " it announced");
            }
        } catch (LZ4Exception e) {
            throw new CorruptedFrameException("corrupt lz4 frame: " + e.getMessage());
        }
        return plain;
    }
}
