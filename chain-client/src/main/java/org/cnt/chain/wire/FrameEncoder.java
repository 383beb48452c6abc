package org.cnt.chain.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;

/**
 * Writes a body as one frame, lz4-compressed when it is large and actually shrinks (by an
 * eighth at least, so incompressible data, such as encrypted pages, costs no decompression).
 */
@ChannelHandler.Sharable
public final class FrameEncoder extends MessageToByteEncoder<byte[]> {
    private static final LZ4Compressor LZ4 = LZ4Factory.fastestInstance().fastCompressor();
    private static final int SAMPLE_BYTES = 16 << 10;
    private static final ThreadLocal<byte[]> SAMPLE_BUFFER = ThreadLocal.withInitial(
            () -> new byte[LZ4.maxCompressedLength(SAMPLE_BYTES)]);
    private final int maxFrameBytes;
    private final int compressFromBytes;

    public FrameEncoder(int maxFrameBytes, int compressFromBytes) {
        super(byte[].class);
        this.maxFrameBytes = maxFrameBytes;
        this.compressFromBytes = compressFromBytes;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, byte[] body, ByteBuf out) {
        write(body, out, maxFrameBytes, compressFromBytes);
    }

    /**
     * The frame of {@code body} in a buffer of {@code alloc}'s, for a sender that writes one
     * message to many connections: each gets {@link ByteBuf#retainedDuplicate()} of it, which
     * this encoder passes through untouched, so the message is framed and copied out once.
     */
    public static ByteBuf frame(ByteBufAllocator alloc, byte[] body, int maxFrameBytes,
                                int compressFromBytes) {
        ByteBuf out = alloc.ioBuffer(Frames.HEADER_BYTES + 4 + body.length);
        try {
            write(body, out, maxFrameBytes, compressFromBytes);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    private static void write(byte[] body, ByteBuf out, int maxFrameBytes,
                              int compressFromBytes) {
        if (body.length > maxFrameBytes) {
            throw new IllegalArgumentException("message of " + body.length
                    + " bytes exceeds the frame maximum " + maxFrameBytes);
        }
        if (body.length >= compressFromBytes && sampleShrinks(body)) {
            byte[] packed = new byte[LZ4.maxCompressedLength(body.length)];
            int packedLength = LZ4.compress(body, 0, body.length, packed, 0);
            if (packedLength + 4 < body.length - body.length / 8) {
                header(out, Frames.FLAG_LZ4, packedLength + 4);
                out.writeInt(body.length);
                out.writeBytes(packed, 0, packedLength);
                return;
            }
        }
        header(out, 0, body.length);
        out.writeBytes(body);
    }

    /**
     * Compressing megabytes of encrypted pages only to send them as they were costs more CPU
     * than the link saves: a sample from the middle decides first.
     */
    private static boolean sampleShrinks(byte[] body) {
        if (body.length <= 2 * SAMPLE_BYTES) {
            return true;
        }
        byte[] packed = SAMPLE_BUFFER.get();
        int packedLength = LZ4.compress(body, body.length / 2, SAMPLE_BYTES, packed, 0);
        return packedLength < SAMPLE_BYTES - SAMPLE_BYTES / 8;
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, byte[] body, boolean preferDirect) {
        return ctx.alloc().ioBuffer(Frames.HEADER_BYTES + 4 + body.length);
    }

    private static void header(ByteBuf out, int flags, int length) {
        out.writeShort(Frames.MAGIC).writeByte(Frames.VERSION).writeByte(flags).writeInt(length);
    }
}
