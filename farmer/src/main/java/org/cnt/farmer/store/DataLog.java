package org.cnt.farmer.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.cnt.chain.codec.CanonicalReader;
import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.codec.Parts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the large entries of the replicas' logs go (blocks with their Wops): append-only segment
 * files, written with {@code O_DIRECT} where the filesystem allows it. Megabytes of Wops then
 * reach the disk with one copy, instead of through RocksDB's write batch, memtable, log file and
 * the page cache (a quarter of a farmer's CPU went there). RocksDB keeps a {@link Pointer} to each
 * record, written in a synced batch after the segment is synced, so no pointer ever names data
 * that is not durable; records without a pointer (a crash between the two) are garbage. A segment
 * is deleted once no pointer names it. Used by the store's writer thread only, except
 * {@link #read} (at recovery, and for peers catching up): it opens the segment itself, and a
 * segment deleted under it fails the read, never returns other bytes (segment ids are not
 * reused, and the checksum is checked).
 */
final class DataLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DataLog.class);
    static final long SEGMENT_BYTES = 64L << 20;
    private static final int ALIGN_BYTES = 4096;
    private static final int HEADER_BYTES = 8;
    private static final Pattern SEGMENT = Pattern.compile("(\\d{12})\\.seg");

    /** Where one record lives, and its checksum: the value RocksDB stores for it. */
    record Pointer(long segment, long offset, int length, int crc) {
        static final int TAG = 0xD0;

        byte[] toBytes() {
            return new CanonicalWriter(32).u8(TAG).u8(1).u64(segment).u64(offset).u32(length)
                    .u32(crc).toByteArray();
        }

        static boolean isPointer(byte[] value) {
            return value.length > 0 && (value[0] & 0xFF) == TAG;
        }

        static Pointer decode(byte[] value) throws CodecException {
            CanonicalReader in = CanonicalReader.of(value);
            in.expectTag(TAG, "data log pointer");
            in.expectVersion(1, "data log pointer");
            Pointer pointer = new Pointer(in.u64Max("segment", Long.MAX_VALUE),
                    in.u64Max("offset", SEGMENT_BYTES), in.u32("length"), in.u32("crc"));
            in.finish("data log pointer");
            if (pointer.length < 0 || pointer.length > SEGMENT_BYTES) {
                throw new CodecException("data log record of " + pointer.length + " bytes");
            }
            return pointer;
        }
    }

    private final Path dir;
    private final boolean direct;
    /** Live pointers by segment; a segment with none (and not being written) is deleted. */
    private final Map<Long, Integer> live = new HashMap<>();
    private ByteBuffer staging = alignedBuffer(2 << 20);
    private FileChannel current;
    private long currentId;
    private long currentBytes;
    private boolean unsynced;

    private DataLog(Path dir, long firstId, boolean direct) {
        this.dir = dir;
        this.currentId = firstId;
        this.direct = direct;
    }

    /** Opens the segments in {@code dir}; writing starts in a new segment after the newest. */
    static DataLog open(Path dir) throws IOException {
        Files.createDirectories(dir);
        long newest = 0;
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Matcher m = SEGMENT.matcher(file.getFileName().toString());
                if (m.matches()) {
                    newest = Math.max(newest, Long.parseLong(m.group(1)));
                }
            }
        }
        DataLog dataLog = new DataLog(dir, newest + 1, directSupported(dir));
        if (!dataLog.direct) {
            log.info("{}: the filesystem refuses O_DIRECT; the data log goes through the page "
                    + "cache", dir);
        }
        return dataLog;
    }

    private static boolean directSupported(Path dir) {
        Path probe = dir.resolve("probe.tmp");
        try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, com.sun.nio.file.ExtendedOpenOption.DIRECT)) {
            channel.write(alignedBuffer(ALIGN_BYTES), 0);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            // tmpfs and some others refuse O_DIRECT (EINVAL): buffered writes serve the same.
            log.debug("{} refuses O_DIRECT: {}", dir, e.getMessage());
            return false;
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException e) {
                log.debug("removing {}: {}", probe, e.getMessage());
            }
        }
    }

    /** A pointer found in the store at start: its segment is kept. */
    void retain(Pointer pointer) {
        live.merge(pointer.segment(), 1, Integer::sum);
    }

    /** Deletes the segments no pointer names (after the store was scanned at start). */
    void dropUnreferenced() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Matcher m = SEGMENT.matcher(file.getFileName().toString());
                if (m.matches() && !live.containsKey(Long.parseLong(m.group(1)))) {
                    Files.delete(file);
                }
            }
        }
    }

    /** Appends one record; it is durable, and its pointer may be published, after {@link #sync}. */
    Pointer append(byte[] payload) throws IOException {
        return append(List.of(ByteBuffer.wrap(payload)));
    }

    /** Appends one record whose payload is the parts' remaining bytes, in order. */
    Pointer append(List<ByteBuffer> parts) throws IOException {
        long total = Parts.remainingBytes(parts);
        if (total > 1 << 30) {
            throw new IOException("a data log record of " + total + " bytes");
        }
        int length = (int) total;
        int recordBytes = roundUp(HEADER_BYTES + length);
        if (current == null || currentBytes > 0 && currentBytes + recordBytes > SEGMENT_BYTES) {
            rotate();
        }
        if (staging.capacity() < recordBytes) {
            staging = alignedBuffer(Integer.highestOneBit(recordBytes) << 1);
        }
        ByteBuffer record = staging.clear();
        record.position(HEADER_BYTES);
        for (ByteBuffer part : parts) {
            record.put(part.duplicate());
        }
        CRC32C crc = new CRC32C();
        crc.update(record.duplicate().flip().position(HEADER_BYTES));
        int checksum = (int) crc.getValue();
        record.putInt(0, length).putInt(4, checksum);
        while (record.position() < recordBytes) {
            record.put((byte) 0);
        }
        record.flip();
        long offset = currentBytes;
        while (record.hasRemaining()) {
            current.write(record, offset + record.position());
        }
        currentBytes += recordBytes;
        unsynced = true;
        live.merge(currentId, 1, Integer::sum);
        return new Pointer(currentId, offset, length, checksum);
    }

    /** Makes every appended record durable. */
    void sync() throws IOException {
        if (unsynced) {
            current.force(false);
            unsynced = false;
        }
    }

    /** A pointer was deleted from the store (durably): its segment may go. */
    void release(Pointer pointer) throws IOException {
        Integer left = live.computeIfPresent(pointer.segment(), (s, n) -> n > 1 ? n - 1 : null);
        if (left == null && pointer.segment() != currentId) {
            Files.deleteIfExists(segmentPath(pointer.segment()));
        }
    }

    /** Reads a record back, checking its length and checksum. */
    byte[] read(Pointer pointer) throws IOException {
        int recordBytes = roundUp(HEADER_BYTES + pointer.length());
        ByteBuffer buffer = alignedBuffer(recordBytes);
        try (FileChannel channel = openForRead(segmentPath(pointer.segment()))) {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, pointer.offset() + buffer.position()) < 0) {
                    throw new IOException("data log segment " + pointer.segment()
                            + " ends before the record at " + pointer.offset());
                }
            }
        }
        buffer.flip();
        int length = buffer.getInt();
        int checksum = buffer.getInt();
        byte[] payload = new byte[pointer.length()];
        if (length != pointer.length() || checksum != pointer.crc()) {
            throw new IOException("data log record at " + pointer.segment() + ":"
                    + pointer.offset() + " does not match its pointer");
        }
        buffer.get(payload);
        CRC32C crc = new CRC32C();
        crc.update(payload);
        if ((int) crc.getValue() != checksum) {
            throw new IOException("data log record at " + pointer.segment() + ":"
                    + pointer.offset() + " is corrupt (checksum)");
        }
        return payload;
    }

    private FileChannel openForRead(Path path) throws IOException {
        return direct ? FileChannel.open(path, StandardOpenOption.READ,
                com.sun.nio.file.ExtendedOpenOption.DIRECT)
                : FileChannel.open(path, StandardOpenOption.READ);
    }

    private void rotate() throws IOException {
        if (current != null) {
            sync();
            current.close();
            if (!live.containsKey(currentId)) {
                Files.deleteIfExists(segmentPath(currentId));
            }
            currentId++;
        }
        Path path = segmentPath(currentId);
        current = direct ? FileChannel.open(path, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, com.sun.nio.file.ExtendedOpenOption.DIRECT)
                : FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        currentBytes = 0;
        // The new file's directory entry must survive a crash before a pointer names it.
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    private Path segmentPath(long id) {
        return dir.resolve(String.format("%012d.seg", id));
    }

    private static int roundUp(int bytes) {
        return (bytes + ALIGN_BYTES - 1) / ALIGN_BYTES * ALIGN_BYTES;
    }

    private static ByteBuffer alignedBuffer(int bytes) {
        return ByteBuffer.allocateDirect(bytes + ALIGN_BYTES).alignedSlice(ALIGN_BYTES)
                .limit(bytes).slice();
    }

    @Override
    public void close() throws IOException {
        if (current != null) {
            sync();
            current.close();
            current = null;
        }
    }
}
