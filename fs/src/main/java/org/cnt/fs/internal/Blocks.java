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

    /** Reads the buffer's remaining bytes from byte {@code offset} of {@code block} on. */
    void readBytes(long block, int offset, java.nio.ByteBuffer into) throws IOException;

    /** Writes the buffer's remaining bytes from byte {@code offset} of {@code block} on. */
    void writeBytes(long block, int offset, java.nio.ByteBuffer from) throws IOException;

    /** Blocks {@code [block, block + count)} read as zeros from now on (cheaply if possible). */
    void zero(long block, long count) throws IOException;

    void flush() throws IOException;
}
