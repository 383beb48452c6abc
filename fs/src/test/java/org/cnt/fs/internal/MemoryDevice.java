package org.cnt.fs.internal;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.cnt.blockdev.BlockDevice;

/** A byte-addressed {@link BlockDevice} in memory, sparse in 64 KiB pieces, for tests. */
final class MemoryDevice implements BlockDevice {
    private static final int PIECE = 65_536;
    private final long sizeBytes;
    private final Map<Long, byte[]> pieces = new HashMap<>();
    int flushes;
    long trimmedBytes;

    MemoryDevice(long sizeBytes) {
        this.sizeBytes = sizeBytes;
    }

    @Override
    public long sizeBytes() {
        return sizeBytes;
    }

    private void check(long offset, int length) {
        if (offset < 0 || offset + length > sizeBytes) {
            throw new IndexOutOfBoundsException(length + " bytes at " + offset + " of "
                    + sizeBytes);
        }
    }

    @Override
    public synchronized void read(long offset, ByteBuffer dst) {
        check(offset, dst.remaining());
        while (dst.hasRemaining()) {
            byte[] piece = pieces.get(offset / PIECE);
            int at = (int) (offset % PIECE);
            int n = Math.min(dst.remaining(), PIECE - at);
            if (piece == null) {
                dst.put(new byte[n]);
            } else {
                dst.put(piece, at, n);
            }
            offset += n;
        }
    }

    @Override
    public synchronized void write(long offset, ByteBuffer src) {
        check(offset, src.remaining());
        while (src.hasRemaining()) {
            byte[] piece = pieces.computeIfAbsent(offset / PIECE, p -> new byte[PIECE]);
            int at = (int) (offset % PIECE);
            int n = Math.min(src.remaining(), PIECE - at);
            src.get(piece, at, n);
            offset += n;
        }
    }

    @Override
    public synchronized void flush() {
        flushes++;
    }

    @Override
    public synchronized void trim(long offset, long lengthBytes) {
        check(offset, (int) Math.min(Integer.MAX_VALUE, lengthBytes));
        trimmedBytes += lengthBytes;
        write(offset, ByteBuffer.allocate((int) lengthBytes));
    }

    @Override
    public void close() {
    }
}
