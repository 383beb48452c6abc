package org.cnt.farmer.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.codec.CodecException;
import org.cnt.farmer.FarmerException;
import org.cnt.farmer.microchain.WalEntry;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A farmer's RocksDB: the write-ahead log of every replica it serves (blocks, votes, locks,
 * commits) and each replica's checkpoint. All writes go through one group-commit thread: it takes
 * whatever has queued while the previous sync ran and makes it durable with a single synced
 * batch, so a burst of votes across chunks costs one fsync, never one per entry. Entries of
 * {@link #DATA_LOG_MIN_BYTES} or more (blocks with their Wops) go to the {@link DataLog} beside
 * the database, synced first, and the batch holds a pointer to them.
 */
public final class ReplicaStore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReplicaStore.class);
    private static final int QUEUE_LIMIT = 16_384;
    private static final int MAX_BATCH_OPS = 4_096;
    private static final long SLOW_SYNC_MS = 200;
    static final int DATA_LOG_MIN_BYTES = 64 << 10;

    static {
        RocksDB.loadLibrary();
    }

    /** A put (value non-null) or a delete, and what to run once it is durable. */
    /**
     * A put ({@code value}, or {@code parts} gathered into the data log: a block entry's Wops
     * are written from the batches' own bytes, never first copied into one array), or a delete
     * (both null).
     */
    record Op(ColumnFamilyHandle family, byte[] key, byte[] value, List<ByteBuffer> parts,
              Runnable onDurable) {
        Op(ColumnFamilyHandle family, byte[] key, byte[] value, Runnable onDurable) {
            this(family, key, value, null, onDurable);
        }
    }

    private final DBOptions options;
    private final ColumnFamilyOptions familyOptions;
    private final RocksDB db;
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final ColumnFamilyHandle wal;
    private final ColumnFamilyHandle checkpoints;
    private final DataLog data;
    /** The data log pointer stored under each log key that has one (the writer's, and start's). */
    private final Map<ByteBuffer, DataLog.Pointer> pointers = new ConcurrentHashMap<>();
    private final WriteOptions synced = new WriteOptions().setSync(true);
    private final BlockingQueue<Op> queue = new ArrayBlockingQueue<>(QUEUE_LIMIT);
    private final Thread writer;
    private volatile boolean running = true;
    private volatile String failure;
    private final java.util.concurrent.atomic.AtomicLong loggedData =
            new java.util.concurrent.atomic.AtomicLong();
    private long batches;
    private long entries;

    private ReplicaStore(Path dir) throws FarmerException {
        // Recycled log files keep their pages in the page cache: a fresh log file costs the
        // kernel a zeroed page for every 4 KiB written, which on these VMs is dearer than the
        // write itself.
        options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                .setMaxBackgroundJobs(2).setRecycleLogFileNum(4);
        // Logged blocks are deleted at each checkpoint, mostly before their memtable flushes:
        // room for several memtables keeps a burst of writes from stalling on a flush.
        familyOptions = new ColumnFamilyOptions().setWriteBufferSize(64L << 20)
                .setMaxWriteBufferNumber(4)
                // What is logged is encrypted data: it does not compress.
                .setCompressionType(org.rocksdb.CompressionType.NO_COMPRESSION);
        List<ColumnFamilyDescriptor> families = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, familyOptions),
                new ColumnFamilyDescriptor(ascii("wal"), familyOptions),
                new ColumnFamilyDescriptor(ascii("checkpoints"), familyOptions));
        try {
            db = RocksDB.open(options, dir.toString(), families, handles);
        } catch (RocksDBException e) {
            options.close();
            familyOptions.close();
            throw new FarmerException("cannot open the replica database in " + dir + ": "
                    + e.getMessage() + " (is another farmer using this directory?)", e);
        }
        wal = handles.get(1);
        checkpoints = handles.get(2);
        try {
            data = DataLog.open(dir.resolveSibling(dir.getFileName() + "-data"));
            indexPointers();
        } catch (java.io.IOException | CodecException e) {
            closeDatabase();
            throw new FarmerException("cannot open the data log beside " + dir + ": "
                    + e.getMessage(), e);
        }
        writer = Thread.ofPlatform().name("replica-store-writer").daemon().start(this::writeLoop);
    }

    /** Learns which data log records are still named, and drops the segments no entry names. */
    private void indexPointers() throws java.io.IOException, CodecException {
        try (RocksIterator it = db.newIterator(wal)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] value = it.value();
                if (DataLog.Pointer.isPointer(value)) {
                    DataLog.Pointer pointer = DataLog.Pointer.decode(value);
                    data.retain(pointer);
                    pointers.put(ByteBuffer.wrap(it.key()), pointer);
                }
            }
        }
        data.dropUnreferenced();
    }

    public static ReplicaStore open(Path dir) throws FarmerException {
        return new ReplicaStore(dir);
    }

    /** The log of one replica (a chunk in one membership epoch). */
    public ChunkLog log(long chunkId, long epoch) throws FarmerException {
        byte[] prefix = new CanonicalWriter(16).u64(chunkId).u64(epoch).toByteArray();
        List<ChunkLog.Stored> stored = new ArrayList<>();
        try (RocksIterator it = db.newIterator(wal)) {
            for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
                byte[] key = it.key();
                long seq = java.nio.ByteBuffer.wrap(key, 16, 8).getLong();
                byte[] value = it.value();
                if (DataLog.Pointer.isPointer(value)) {
                    value = data.read(DataLog.Pointer.decode(value));
                }
                stored.add(new ChunkLog.Stored(seq, WalCodec.decode(value)));
            }
            Checkpoint checkpoint = null;
            byte[] value = db.get(checkpoints, prefix);
            if (value != null) {
                checkpoint = Checkpoint.decode(value);
            }
            byte[] group = db.get(checkpoints, ChunkLog.groupKey(prefix));
            return new ChunkLog(this, chunkId, prefix, stored, checkpoint,
                    group == null ? null : ChunkLog.decodeGroup(group));
        } catch (RocksDBException | CodecException | java.io.IOException e) {
            throw new FarmerException("the log of chunk " + chunkId + " is unreadable: "
                    + e.getMessage(), e);
        }
    }

    /**
     * One log entry read back while the farmer runs (a peer catching up), on any thread; null
     * when it is gone (a checkpoint deleted it, perhaps with its data log segment) or unreadable.
     */
    WalEntry readLogged(byte[] key) {
        try {
            byte[] value = db.get(wal, key);
            if (value != null && DataLog.Pointer.isPointer(value)) {
                value = data.read(DataLog.Pointer.decode(value));
            }
            return value == null ? null : WalCodec.decode(value);
        } catch (RocksDBException | CodecException | java.io.IOException e) {
            log.debug("a logged entry could not be read back: {}", e.toString());
            return null;
        }
    }

    void submit(Op op) {
        if (failure != null) {
            return;
        }
        try {
            queue.put(op);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    ColumnFamilyHandle walFamily() {
        return wal;
    }

    ColumnFamilyHandle checkpointFamily() {
        return checkpoints;
    }

    void noteLoggedData(long bytes) {
        loggedData.addAndGet(bytes);
    }

    long loggedData() {
        return loggedData.get();
    }

    /** Null while healthy; otherwise why the store stopped making anything durable. */
    public String failure() {
        return failure;
    }

    public long batches() {
        return batches;
    }

    public long entries() {
        return entries;
    }

    private void writeLoop() {
        // One batch, cleared between writes, keeps its native buffer: a new one per write grew
        // through freshly zeroed pages every time.
        try (WriteBatch write = new WriteBatch()) {
            writeLoop(write);
        }
    }

    private void writeLoop(WriteBatch write) {
        List<Op> batch = new ArrayList<>(MAX_BATCH_OPS);
        while (running || !queue.isEmpty()) {
            try {
                Op first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH_OPS - 1);
                long started = System.nanoTime();
                long bytes = 0;
                write.clear();
                List<DataLog.Pointer> released = new ArrayList<>();
                boolean appended = false;
                for (Op op : batch) {
                    if (op.parts() != null) {
                        DataLog.Pointer pointer = data.append(op.parts());
                        pointers.put(ByteBuffer.wrap(op.key()), pointer);
                        write.put(op.family(), op.key(), pointer.toBytes());
                        bytes += pointer.length();
                        appended = true;
                    } else if (op.value() == null) {
                        write.delete(op.family(), op.key());
                        DataLog.Pointer gone = op.family() == wal
                                ? pointers.remove(ByteBuffer.wrap(op.key())) : null;
                        if (gone != null) {
                            released.add(gone);
                        }
                    } else if (op.family() == wal && op.value().length >= DATA_LOG_MIN_BYTES) {
                        DataLog.Pointer pointer = data.append(op.value());
                        pointers.put(ByteBuffer.wrap(op.key()), pointer);
                        write.put(op.family(), op.key(), pointer.toBytes());
                        bytes += op.value().length;
                        appended = true;
                    } else {
                        write.put(op.family(), op.key(), op.value());
                        bytes += op.value().length;
                    }
                }
                if (appended) {
                    // The records must be durable before any pointer to them is.
                    data.sync();
                }
                db.write(synced, write);
                for (DataLog.Pointer pointer : released) {
                    data.release(pointer);
                }
                long tookMs = (System.nanoTime() - started) / 1_000_000;
                if (tookMs >= SLOW_SYNC_MS) {
                    log.warn("slow log sync: {} ms for {} entries ({} KiB); votes wait on it",
                            tookMs, batch.size(), bytes >> 10);
                }
                batches++;
                entries += batch.size();
                for (Op op : batch) {
                    if (op.onDurable() != null) {
                        try {
                            op.onDurable().run();
                        } catch (RuntimeException e) {
                            // A replica that closed meanwhile refuses its callback: no loss.
                            log.debug("durability callback failed: {}", e.toString());
                        }
                    }
                }
            } catch (RocksDBException | java.io.IOException e) {
                // Acknowledging anything now could lose it: stop, and the replicas stop voting.
                failure = "replica database write failed: " + e.getMessage();
                log.error("{}; this farmer no longer votes or commits", failure);
                queue.clear();
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            data.close();
        } catch (java.io.IOException e) {
            log.warn("closing the data log: {}", e.getMessage());
        }
        closeDatabase();
    }

    private void closeDatabase() {
        synced.close();
        handles.forEach(ColumnFamilyHandle::close);
        db.close();
        options.close();
        familyOptions.close();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length
                && java.util.Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }
}
