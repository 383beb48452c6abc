package org.cnt.farmer;

import java.nio.file.Path;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.wire.Frames;

/**
 * How a farmer runs. {@code endpoint} is what it registers on the main chain for peers and
 * clients to dial (the listen address unless that is a wildcard). {@code tickMs} paces the
 * protocol's timers; the replica gives up on a silent leader after {@code leaderTimeoutTicks}.
 */
public record FarmerConfig(Path dir, long capacityBytes, String listenHost, int listenPort,
                           String endpoint, String nodeUrl, KeyPair key, long tickMs,
                           int leaderTimeoutTicks, long chainPollMs, int replicaThreads,
                           int maxFrameBytes) {

    public FarmerConfig {
        if (capacityBytes <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacityBytes);
        }
        if (listenPort < 0 || listenPort > 65_535) {
            throw new IllegalArgumentException("port out of range: " + listenPort);
        }
        if (tickMs < 1 || leaderTimeoutTicks < 2 || chainPollMs < 10 || replicaThreads < 1) {
            throw new IllegalArgumentException("timers and threads must be positive");
        }
    }

    /** The defaults a farmer on a real machine runs with. */
    public static FarmerConfig of(Path dir, long capacityBytes, String listenHost,
                                  int listenPort, String endpoint, String nodeUrl,
                                  KeyPair key) {
        return new FarmerConfig(dir, capacityBytes, listenHost, listenPort, endpoint, nodeUrl,
                key, 100, 20, 500, 2, Frames.DEFAULT_MAX_FRAME_BYTES);
    }

    public FarmerConfig withTiming(long newTickMs, int newLeaderTimeoutTicks,
                                   long newChainPollMs) {
        return new FarmerConfig(dir, capacityBytes, listenHost, listenPort, endpoint, nodeUrl,
                key, newTickMs, newLeaderTimeoutTicks, newChainPollMs, replicaThreads,
                maxFrameBytes);
    }
}
