package org.cnt.chain.wire;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;

/** Wires the CNT protocol handlers, in the one order every endpoint uses. */
public final class WirePipeline {
    private WirePipeline() {
    }

    /**
     * Frames, messages, then {@code handler} (the endpoint's logic), then the handler that closes
     * the connection on any error.
     */
    public static void install(ChannelPipeline pipeline, int maxFrameBytes,
                               ChannelHandler handler) {
        pipeline.addLast("frame-decoder", new FrameDecoder(maxFrameBytes));
        pipeline.addLast("frame-encoder", new FrameEncoder(maxFrameBytes,
                Frames.DEFAULT_COMPRESS_FROM_BYTES));
        pipeline.addLast("codec", WireCodec.INSTANCE);
        pipeline.addLast("logic", handler);
        pipeline.addLast("close-on-error", CloseOnError.INSTANCE);
    }
}
