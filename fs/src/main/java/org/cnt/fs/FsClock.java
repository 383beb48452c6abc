package org.cnt.fs;

/** Where file times come from; tests inject their own. */
@FunctionalInterface
public interface FsClock {
    FsClock SYSTEM = () -> {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    };

    /** Now, in nanoseconds since the epoch. */
    long nowNs();
}
