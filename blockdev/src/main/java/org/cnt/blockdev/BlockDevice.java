package org.cnt.blockdev;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A volume as a disk: byte-addressed, any alignment. A write is durable once {@link #flush}
 * returns (the barrier fsync, sync and unmount rely on); reads always see the newest write.
 * Ranges must lie inside {@link #sizeBytes()} (callers clamp, as a kernel does at a device's
 * end); an I/O failure is an {@link IOException} and leaves earlier writes intact.
 */
public interface BlockDevice extends AutoCloseable {
    long sizeBytes();

    /** Fills {@code dst} from {@code offset} on (its remaining bytes). */
    void read(long offset, ByteBuffer dst) throws IOException;

    /** Writes the remaining bytes of {@code src} at {@code offset}. */
    void write(long offset, ByteBuffer src) throws IOException;

    /** Returns once every earlier write is durable. */
    void flush() throws IOException;

    /** The range reads as zeros from now on; whole pages in it need no space. */
    void trim(long offset, long lengthBytes) throws IOException;

    /** Flushes, then releases the device. */
    @Override
    void close() throws IOException;
}
