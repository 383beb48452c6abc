package org.cnt.blockdev.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-back log of one volume on the client's disk: each accepted page write (or trim) is
 * appended, checksummed, before the write returns, so a client that crashes replays on the next
 * open what it had accepted but not yet seen committed. The log is also where dirty pages live
 * until they commit: entries say where their page is, and {@link #read} fetches it (the heap holds
 * no page of the log, however large it is). Segment files named by their first
 * record's sequence number; a segment goes once every record in it is committed
 * ({@link #release}). Bounded: an append waits while the log holds its capacity. A torn or
 * corrupt record ends the replay there (the tail after it is cut off, as a crash mid-append
 * leaves it). {@link #sync} makes what was appended survive a power loss too (the flush barrier).
 */
final class WriteLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WriteLog.class);
    private static final Pattern SEGMENT = Pattern.compile("(\\d{20})\\.wal");
    /** crc32c, body length, sequence, page, kind. */
    private static final int HEADER_BYTES = 4 + 4 + 8 + 8 + 1;
    private static final byte WRITE = 1;
    private static final byte TRIM = 2;

    /**
     * A logged page write or trim, and where its record is: in the segment that starts with
     * record {@code segment}, at byte {@code position}.
     */
    record Entry(long seq, long page, boolean trim, long segment, long position) {
    }

    private record Segment(Path path, long firstSeq, long lastSeq, long sizeBytes,
                           FileChannel channel) {
    }

    private final Path dir;
    private final long capacityBytes;
    private final long segmentBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition space = lock.newCondition();
    /** Closed segments, oldest first. */
    private final ArrayDeque<Segment> sealed = new ArrayDeque<>();
    /** Every live segment's channel, the current one too, by first sequence number. */
    private final java.util.Map<Long, FileChannel> channels = new java.util.HashMap<>();
    private final List<Entry> replayed;
    /** The record being appended (under the lock): a page write allocates nothing. */
    private final ByteBuffer record = ByteBuffer.allocate(HEADER_BYTES + PageStore.PAGE_BYTES);
    private final CRC32C crc = new CRC32C();
    private FileChannel current;
    private Path currentPath;
    private long currentFirstSeq;
    private long currentBytes;
    private long usedBytes;
    private long nextSeq;

    private WriteLog(Path dir, long capacityBytes, long segmentBytes, List<Entry> replayed) {
        this.dir = dir;
        this.capacityBytes = capacityBytes;
        this.segmentBytes = segmentBytes;
        this.replayed = replayed;
    }

    /** Opens (or creates) the log in {@code dir}, replaying what it holds. */
    static WriteLog open(Path dir, long capacityBytes, long segmentBytes) throws IOException {
        long largest = HEADER_BYTES + PageStore.PAGE_BYTES;
        if (segmentBytes < largest || capacityBytes < 2 * segmentBytes) {
            throw new IllegalArgumentException("a write log needs segments of at least "
                    + largest + " bytes and room for two");
        }
        Files.createDirectories(dir);
        List<Entry> entries = new ArrayList<>();
        WriteLog writeLog = new WriteLog(dir, capacityBytes, segmentBytes, entries);
        writeLog.replay(entries);
        return writeLog;
    }

    private void replay(List<Entry> entries) throws IOException {
        List<Path> files = new ArrayList<>();
        try (var listing = Files.list(dir)) {
            listing.filter(p -> SEGMENT.matcher(p.getFileName().toString()).matches()).sorted()
                    .forEach(files::add);
        }
        long expected = -1;
        boolean cut = false;
        for (Path file : files) {
            if (cut) {
                log.warn("{}: dropped, it follows a torn or corrupt record", file);
                Files.delete(file);
                continue;
            }
            long firstSeq = firstSeqOf(file);
            // Records number on from the previous segment's; the first segment's from its name.
            long want = expected < 0 ? firstSeq : expected;
            long validBytes = 0;
            long lastSeq = firstSeq - 1;
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
            ByteBuffer body = ByteBuffer.allocate(PageStore.PAGE_BYTES);
            while (true) {
                Entry entry = readEntry(channel, firstSeq, validBytes, header, body);
                if (entry == null || entry.seq() != want) {
                    cut = validBytes < channel.size();
                    if (cut) {
                        log.warn("{}: cut at byte {} (a torn or corrupt record)", file,
                                validBytes);
                        channel.truncate(validBytes);
                    }
                    break;
                }
                entries.add(entry);
                lastSeq = entry.seq();
                want = entry.seq() + 1;
                expected = want;
                validBytes += HEADER_BYTES + (entry.trim() ? 0 : PageStore.PAGE_BYTES);
            }
            if (validBytes == 0) {
                channel.close();
                Files.delete(file);
            } else {
                sealed.add(new Segment(file, firstSeq, lastSeq, validBytes, channel));
                channels.put(firstSeq, channel);
                usedBytes += validBytes;
            }
        }
        nextSeq = expected < 0 ? 1 : expected;
    }

    private static long firstSeqOf(Path file) {
        Matcher m = SEGMENT.matcher(file.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalStateException(file.toString());
        }
        return Long.parseLong(m.group(1));
    }

    /** The record at {@code position}, or null where the valid log ends. */
    private static Entry readEntry(FileChannel channel, long segment, long position,
                                   ByteBuffer header, ByteBuffer body) throws IOException {
        header.clear();
        if (readFully(channel, header, position) < HEADER_BYTES) {
            return null;
        }
        header.flip();
        int crc = header.getInt();
        int bodyBytes = header.getInt();
        long seq = header.getLong();
        long page = header.getLong();
        byte kind = header.get();
        boolean valid = kind == WRITE && bodyBytes == PageStore.PAGE_BYTES
                || kind == TRIM && bodyBytes == 0;
        if (!valid || seq < 1 || page < 0) {
            return null;
        }
        body.clear().limit(bodyBytes);
        if (readFully(channel, body, position + HEADER_BYTES) < bodyBytes) {
            return null;
        }
        CRC32C check = new CRC32C();
        check.update(header.array(), 4, HEADER_BYTES - 4);
        check.update(body.array(), 0, bodyBytes);
        if ((int) check.getValue() != crc) {
            return null;
        }
        return new Entry(seq, page, kind == TRIM, segment, position);
    }

    private static int readFully(FileChannel channel, ByteBuffer into, long position)
            throws IOException {
        int total = 0;
        while (into.hasRemaining()) {
            int n = channel.read(into, position + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    /** What the log held at open, in order: accepted writes not yet known to be committed. */
    List<Entry> replayed() {
        return List.copyOf(replayed);
    }

    /** Logs a page write ({@code content} null: a trim). */
    Entry append(long page, byte[] content) throws IOException, InterruptedException {
        int bodyBytes = content == null ? 0 : PageStore.PAGE_BYTES;
        if (content != null && content.length != PageStore.PAGE_BYTES) {
            throw new IllegalArgumentException("the log takes whole pages");
        }
        int recordBytes = HEADER_BYTES + bodyBytes;
        lock.lock();
        try {
            while (usedBytes + recordBytes > capacityBytes) {
                space.await();
            }
            if (current == null || currentBytes + recordBytes > segmentBytes) {
                rotate();
            }
            long seq = nextSeq++;
            long position = currentBytes;
            record.clear();
            record.putInt(0).putInt(bodyBytes).putLong(seq).putLong(page)
                    .put(content == null ? TRIM : WRITE);
            if (content != null) {
                record.put(content);
            }
            crc.reset();
            crc.update(record.array(), 4, recordBytes - 4);
            record.putInt(0, (int) crc.getValue()).flip();
            while (record.hasRemaining()) {
                current.write(record, currentBytes + record.position());
            }
            currentBytes += recordBytes;
            usedBytes += recordBytes;
            return new Entry(seq, page, content == null, currentFirstSeq, position);
        } finally {
            lock.unlock();
        }
    }

    private void rotate() throws IOException {
        if (current != null) {
            current.force(false);
            sealed.add(new Segment(currentPath, currentFirstSeq, nextSeq - 1, currentBytes,
                    current));
        }
        currentFirstSeq = nextSeq;
        currentPath = dir.resolve(String.format("%020d.wal", nextSeq));
        current = FileChannel.open(currentPath, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, StandardOpenOption.READ);
        channels.put(currentFirstSeq, current);
        currentBytes = 0;
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    /** Makes every appended record survive a power loss. */
    void sync() throws IOException {
        lock.lock();
        try {
            if (current != null) {
                current.force(false);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Every record up to {@code seq} is committed: segments holding only such records go. */
    void release(long seq) throws IOException {
        lock.lock();
        try {
            while (!sealed.isEmpty() && sealed.peekFirst().lastSeq() <= seq) {
                Segment gone = sealed.pollFirst();
                channels.remove(gone.firstSeq()).close();
                Files.deleteIfExists(gone.path());
                usedBytes -= gone.sizeBytes();
            }
            if (current != null && sealed.isEmpty() && currentBytes > 0 && nextSeq - 1 <= seq) {
                channels.remove(currentFirstSeq).close();
                Files.delete(currentPath);
                usedBytes -= currentBytes;
                current = null;
            }
            space.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reads the page an entry logged into {@code into} from {@code offset} on (zeros for a trim).
     * The entry's record must not be released yet: a page that is still dirty never is.
     */
    void read(Entry entry, byte[] into, int offset) throws IOException {
        if (entry.trim()) {
            java.util.Arrays.fill(into, offset, offset + PageStore.PAGE_BYTES, (byte) 0);
            return;
        }
        lock.lock();
        try {
            FileChannel channel = channels.get(entry.segment());
            if (channel == null) {
                throw new IOException("write log record " + entry.seq() + " was released");
            }
            ByteBuffer page = ByteBuffer.wrap(into, offset, PageStore.PAGE_BYTES);
            if (readFully(channel, page, entry.position() + HEADER_BYTES)
                    < PageStore.PAGE_BYTES) {
                throw new IOException("write log record " + entry.seq() + " is short");
            }
        } finally {
            lock.unlock();
        }
    }

    long usedBytes() {
        lock.lock();
        try {
            return usedBytes;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (current != null) {
                current.force(false);
                current = null;
            }
            for (FileChannel channel : channels.values()) {
                channel.close();
            }
            channels.clear();
        } finally {
            lock.unlock();
        }
    }
}
