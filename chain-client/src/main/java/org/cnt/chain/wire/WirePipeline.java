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
        install(pipeline, new FrameDecoder(maxFrameBytes), maxFrameBytes, handler);
    }

    /**
     * The pipeline of an accepted connection: frames beyond a hello's size are refused until
     * {@code handler} has verified the dialer's hello and called {@link FrameDecoder#trust}.
     */
    public static void installAccepting(ChannelPipeline pipeline, int maxFrameBytes,
                                        ChannelHandler handler) {
        install(pipeline, new FrameDecoder(maxFrameBytes, true), maxFrameBytes, handler);
    }

    private static void install(ChannelPipeline pipeline, FrameDecoder decoder,
                                int maxFrameBytes, ChannelHandler handler) {
        pipeline.addLast("frame-decoder", decoder);
        pipeline.addLast("frame-encoder", new FrameEncoder(maxFrameBytes,
                Frames.DEFAULT_COMPRESS_FROM_BYTES));
        pipeline.addLast("codec", WireCodec.INSTANCE);
        pipeline.addLast("logic", handler);
        pipeline.addLast("close-on-error", CloseOnError.INSTANCE);
    }
}
