package org.cnt.fs.internal;

import java.io.IOException;

/**
 * The device as the filesystem sees it: numbered blocks of one size. {@link #flush} is the
 * barrier: every write before it survives a crash once it returns, and nothing written after it
 * is ordered before it.
 */
interface Blocks {
    int blockSizeBytes();

    long blockCount();

    void read(long block, byte[] into) throws IOException;

    void write(long block, byte[] from) throws IOException;

    void flush() throws IOException;
}
