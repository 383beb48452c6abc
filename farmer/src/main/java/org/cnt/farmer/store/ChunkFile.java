package org.cnt.farmer.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * One chunk replica's bytes in one file of exactly the chunk's size, written with zeros when it
 * is created so the space is really taken (a sparse file would pledge space the disk may not
 * have). Committed pages are written in place without a sync; {@link #sync()} runs before each
 * checkpoint, and the write-ahead log covers everything after it.
 */
public final class ChunkFile implements AutoCloseable {
    private static final int ZERO_RUN_BYTES = 1 << 20;
    private final Path path;
    private final FileChannel channel;
    private final long sizeBytes;

    private ChunkFile(Path path, FileChannel channel, long sizeBytes) {
        this.path = path;
        this.channel = channel;
        this.sizeBytes = sizeBytes;
    }

    public static ChunkFile open(Path path, long sizeBytes) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            long existing = channel.size();
            if (existing > sizeBytes) {
                throw new IOException(path + " holds " + existing + " bytes, more than a "
                        + sizeBytes + "-byte chunk: not a replica of this chunk");
            }
            ByteBuffer zeros = ByteBuffer.allocateDirect(ZERO_RUN_BYTES);
            for (long at = existing; at < sizeBytes; at += ZERO_RUN_BYTES) {
                zeros.clear().limit((int) Math.min(ZERO_RUN_BYTES, sizeBytes - at));
                writeFully(channel, zeros, at);
            }
            if (existing < sizeBytes) {
                channel.force(true);
            }
            return new ChunkFile(path, channel, sizeBytes);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    public void write(long offset, byte[] data) throws IOException {
        if (offset < 0 || offset + data.length > sizeBytes) {
            throw new IllegalArgumentException("write of " + data.length + " bytes at " + offset
                    + " outside " + path);
        }
        writeFully(channel, ByteBuffer.wrap(data), offset);
    }

    /** Writes what remains of {@code src} at {@code offset}. */
    public void write(long offset, ByteBuffer src) throws IOException {
        if (offset < 0 || offset + src.remaining() > sizeBytes) {
            throw new IllegalArgumentException("write of " + src.remaining() + " bytes at "
                    + offset + " outside " + path);
        }
        writeFully(channel, src, offset);
    }

    public byte[] read(long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                throw new IOException(path + " is shorter than its chunk");
            }
        }
        return buffer.array();
    }

    /** Every page holding a non-zero byte, by index: the chunk as a replica recovers it. */
    public Map<Integer, byte[]> nonZeroPages(int pageSizeBytes) throws IOException {
        Map<Integer, byte[]> pages = new HashMap<>();
        int perRun = Math.max(1, ZERO_RUN_BYTES / pageSizeBytes);
        for (long page = 0; page * pageSizeBytes < sizeBytes; page += perRun) {
            int count = (int) Math.min(perRun, sizeBytes / pageSizeBytes - page);
            byte[] run = read(page * pageSizeBytes, count * pageSizeBytes);
            for (int i = 0; i < count; i++) {
                if (!isZero(run, i * pageSizeBytes, pageSizeBytes)) {
                    byte[] content = new byte[pageSizeBytes];
                    System.arraycopy(run, i * pageSizeBytes, content, 0, pageSizeBytes);
                    pages.put((int) page + i, content);
                }
            }
        }
        return pages;
    }

    public void sync() throws IOException {
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    public static void delete(Path path) throws IOException {
        Files.deleteIfExists(path);
    }

    public static boolean isZero(byte[] data, int from, int length) {
        for (int i = from; i < from + length; i++) {
            if (data[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer, long offset)
            throws IOException {
        long at = offset;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }
}
