package org.cnt.fs.internal;

/**
 * A run of a file's blocks: {@code length} blocks from file block {@code logical} on, stored from
 * device block {@code physical} on. Logical block numbers are 32-bit: with 4 KiB blocks a file
 * reaches 16 TiB.
 */
record Extent(long logical, int length, long physical) {
    static final int ENCODED_BYTES = 16;
    static final long MAX_LOGICAL = 0xFFFF_FFFFL;

    Extent {
        if (logical < 0 || logical > MAX_LOGICAL || length <= 0
                || logical + length - 1 > MAX_LOGICAL || physical <= 0) {
            throw new IllegalArgumentException("bad extent: " + length + " blocks at file block "
                    + logical + " -> device block " + physical);
        }
    }

    long logicalEnd() {
        return logical + length;
    }

    boolean contains(long fileBlock) {
        return fileBlock >= logical && fileBlock < logicalEnd();
    }

    /** The device block holding {@code fileBlock}, which this extent contains. */
    long physicalOf(long fileBlock) {
        return physical + (fileBlock - logical);
    }
}
