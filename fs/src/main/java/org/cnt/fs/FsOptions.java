package org.cnt.fs;

/**
 * How a filesystem is opened. {@code commitIntervalMs}: how often the journal commits on its own
 * (0: only on fsync, sync, a full transaction and close); {@code cacheWeight}: how many extents
 * and directory entries of files in use are kept in memory.
 */
public record FsOptions(boolean readOnly, long commitIntervalMs, FsClock clock,
                        long cacheWeight) {
    public static final FsOptions DEFAULTS = new FsOptions(false, 5_000, FsClock.SYSTEM,
            4_000_000);

    public FsOptions {
        if (commitIntervalMs < 0 || cacheWeight < 1) {
            throw new IllegalArgumentException("commit interval " + commitIntervalMs
                    + " ms and cache weight " + cacheWeight + " must not be negative");
        }
    }

    public FsOptions withReadOnly(boolean value) {
        return new FsOptions(value, commitIntervalMs, clock, cacheWeight);
    }

    public FsOptions withCommitIntervalMs(long value) {
        return new FsOptions(readOnly, value, clock, cacheWeight);
    }

    public FsOptions withClock(FsClock value) {
        return new FsOptions(readOnly, commitIntervalMs, value, cacheWeight);
    }

    public FsOptions withCacheWeight(long value) {
        return new FsOptions(readOnly, commitIntervalMs, clock, value);
    }
}
