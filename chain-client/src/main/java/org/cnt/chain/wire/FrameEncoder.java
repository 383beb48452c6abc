package org.cnt.chain.wire;

import io.netty.buffer.ByteBuf;
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
    private final int maxFrameBytes;
    private final int compressFromBytes;

    public FrameEncoder(int maxFrameBytes, int compressFromBytes) {
        super(byte[].class);
        this.maxFrameBytes = maxFrameBytes;
        this.compressFromBytes = compressFromBytes;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, byte[] body, ByteBuf out) {
        if (body.length > maxFrameBytes) {
            throw new IllegalArgumentException("message of " + body.length
                    + " bytes exceeds the frame maximum " + maxFrameBytes);
        }
        if (body.length >= compressFromBytes) {
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

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, byte[] body, boolean preferDirect) {
        return ctx.alloc().ioBuffer(Frames.HEADER_BYTES + 4 + body.length);
    }

    private static void header(ByteBuf out, int flags, int length) {
        out.writeShort(Frames.MAGIC).writeByte(Frames.VERSION).writeByte(flags).writeInt(length);
    }
}
