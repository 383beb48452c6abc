package org.cnt.chain.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.ByteBuffer;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;

/**
 * Writes a body ({@link FrameBody}, or a {@code byte[]}) as one frame, lz4-compressed when it is
 * large and actually shrinks (by an eighth at least, so incompressible data, such as encrypted
 * pages, costs no decompression).
 */
@ChannelHandler.Sharable
public final class FrameEncoder extends MessageToByteEncoder<Object> {
    private static final LZ4Compressor LZ4 = LZ4Factory.fastestInstance().fastCompressor();
    private static final int SAMPLE_BYTES = 16 << 10;
    private static final ThreadLocal<byte[]> SAMPLE_INPUT = ThreadLocal.withInitial(
            () -> new byte[SAMPLE_BYTES]);
    private static final ThreadLocal<byte[]> SAMPLE_BUFFER = ThreadLocal.withInitial(
            () -> new byte[LZ4.maxCompressedLength(SAMPLE_BYTES)]);
    private final int maxFrameBytes;
    private final int compressFromBytes;

    public FrameEncoder(int maxFrameBytes, int compressFromBytes) {
        this.maxFrameBytes = maxFrameBytes;
        this.compressFromBytes = compressFromBytes;
    }

    @Override
    public boolean acceptOutboundMessage(Object message) {
        return message instanceof FrameBody || message instanceof byte[];
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object body, ByteBuf out) {
        write(body(body), out, maxFrameBytes, compressFromBytes);
    }

    private static FrameBody body(Object message) {
        return message instanceof byte[] bytes ? FrameBody.of(bytes) : (FrameBody) message;
    }

    /**
     * The frame of {@code body} in a buffer of {@code alloc}'s, for a sender that writes one
     * message to many connections: each gets {@link ByteBuf#retainedDuplicate()} of it, which
     * this encoder passes through untouched, so the message is framed and copied out once.
     */
    public static ByteBuf frame(ByteBufAllocator alloc, FrameBody body, int maxFrameBytes,
                                int compressFromBytes) {
        ByteBuf out = alloc.ioBuffer(Frames.HEADER_BYTES + 4 + body.length());
        try {
            write(body, out, maxFrameBytes, compressFromBytes);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    private static void write(FrameBody body, ByteBuf out, int maxFrameBytes,
                              int compressFromBytes) {
        int length = body.length();
        if (length > maxFrameBytes) {
            throw new IllegalArgumentException("message of " + length
                    + " bytes exceeds the frame maximum " + maxFrameBytes);
        }
        if (length >= compressFromBytes && sampleShrinks(body)) {
            byte[] whole = body.toArray();
            byte[] packed = new byte[LZ4.maxCompressedLength(length)];
            int packedLength = LZ4.compress(whole, 0, length, packed, 0);
            if (packedLength + 4 < length - length / 8) {
                header(out, Frames.FLAG_LZ4, packedLength + 4);
                out.writeInt(length);
                out.writeBytes(packed, 0, packedLength);
                return;
            }
        }
        header(out, 0, length);
        for (ByteBuffer part : body.parts()) {
            out.writeBytes(part.duplicate());
        }
    }

    /**
     * Compressing megabytes of encrypted pages only to send them as they were costs more CPU
     * than the link saves: a sample from the middle decides first.
     */
    private static boolean sampleShrinks(FrameBody body) {
        if (body.length() <= 2 * SAMPLE_BYTES) {
            return true;
        }
        byte[] sample = SAMPLE_INPUT.get();
        body.copy(body.length() / 2, sample, SAMPLE_BYTES);
        int packedLength = LZ4.compress(sample, 0, SAMPLE_BYTES, SAMPLE_BUFFER.get(), 0);
        return packedLength < SAMPLE_BYTES - SAMPLE_BYTES / 8;
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Object body,
                                     boolean preferDirect) {
        return ctx.alloc().ioBuffer(Frames.HEADER_BYTES + 4 + body(body).length());
    }

    private static void header(ByteBuf out, int flags, int length) {
        out.writeShort(Frames.MAGIC).writeByte(Frames.VERSION).writeByte(flags).writeInt(length);
    }
}
