package org.cnt.chain.wire;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.MessageToMessageCodec;
import java.util.List;
import org.cnt.chain.codec.CodecException;

/** Frame bodies to {@link WireMessage}s and back; an undecodable body is a corrupt frame. */
@ChannelHandler.Sharable
public final class WireCodec extends MessageToMessageCodec<byte[], WireMessage> {
    public static final WireCodec INSTANCE = new WireCodec();

    private WireCodec() {
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, WireMessage message, List<Object> out) {
        out.add(FrameBody.of(message));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, byte[] body, List<Object> out) {
        try {
            out.add(WireMessage.decode(body));
        } catch (CodecException | IllegalArgumentException e) {
            throw new CorruptedFrameException("undecodable message: " + e.getMessage());
        }
    }
}
