package org.cnt.chain.wire;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of every pipeline: a malformed frame or a failed handler closes that one
 * connection, with one log line naming the peer and the reason; the process serves on.
 */
@ChannelHandler.Sharable
public final class CloseOnError extends ChannelDuplexHandler {
    public static final CloseOnError INSTANCE = new CloseOnError();
    private static final Logger log = LoggerFactory.getLogger(CloseOnError.class);

    private CloseOnError() {
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException) {
            log.warn("closing {}: bad frame: {}", ctx.channel().remoteAddress(),
                    cause.getCause() != null && cause.getMessage() == null
                            ? cause.getCause().getMessage() : cause.getMessage());
        } else if (cause instanceof IOException) {
            log.debug("closing {}: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn("closing {} after an error", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
