package org.cnt.blockdev.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.cnt.blockdev.LeaseExpiredException;
import org.cnt.chain.micro.ChunkOp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The volume's pages behind a write-back log (DESIGN.md, "Writes, sessions and ordering"): a
 * write returns once it is in the local log; a flusher thread sends dirty pages, a chunk's run
 * at a time, as Wop batches pipelined to every chunk's group; {@link #flush} returns once every
 * page dirty before it was called is committed by a quorum in its newest version. A page stays
 * dirty (and is read from the log) until then; once committed it moves to the read cache, and its
 * log records go as soon as no dirty page needs them. A batch that fails leaves its pages dirty:
 * the chunk's sequence numbers are learned again from certified state and the pages sent again,
 * so a write the client accepted is never dropped.
 */
final class WriteBackStore implements PageStore {
    private static final Logger log = LoggerFactory.getLogger(WriteBackStore.class);
    /** Pages per batch: 1 MiB, a slice, what one micro-block commits well. */
    static final int BATCH_PAGES = 256;
    /** Batches of one chunk on their way at once: enough to keep its group's pipeline full. */
    static final int MAX_IN_FLIGHT_PER_CHUNK = 8;
    /** Pauses before a chunk is brought back in step: doubling while batches keep failing. */
    private static final long MIN_RESYNC_PAUSE_MS = 10;
    private static final long MAX_RESYNC_PAUSE_MS = 2_000;
    private static final long WARN_EVERY_MS = 30_000;

    /** A page written and not yet committed in its newest version. */
    private static final class Dirty {
        WriteLog.Entry newest;
        /** The log record that first made the page dirty: what a flush waits past. */
        final long firstSeq;
        /** The version on its way to the farmers, or 0. */
        long sentSeq;

        Dirty(WriteLog.Entry newest) {
            this.newest = newest;
            this.firstSeq = newest.seq();
        }
    }

    private record Sent(long page, long seq, byte[] content) {
    }

    private final VolumeMap map;
    private final WriteLog writeLog;
    private final SealedPages sealed;
    private final Replicas replicas;
    private final VolumeSession session;
    private final ReadCache cache;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<Long, Dirty> dirty = new HashMap<>();
    /** Newest log record of each dirty page: older records are no longer needed. */
    private final TreeSet<Long> newestSeqs = new TreeSet<>();
    private final TreeSet<Long> firstSeqs = new TreeSet<>();
    /** Dirty pages with a version not yet sent, by page number. */
    private final TreeSet<Long> pending = new TreeSet<>();
    private final Map<Long, Integer> inFlight = new HashMap<>();
    private final Set<Long> resyncDue = new HashSet<>();
    private final Thread flusher;
    private long registeredSeq;
    private long cursor;
    private volatile boolean running = true;
    private volatile String lastError;
    private volatile String sessionLost;
    /**
     * Set while the farmers refuse this volume's writes because its lease ran out: a flush then
     * fails at once with how to extend it instead of waiting for good. The pages stay dirty and
     * the flusher keeps offering them, so they commit once the lease is extended.
     */
    private volatile LeaseExpiredException leaseExpired;
    private volatile long resyncPauseMs = MIN_RESYNC_PAUSE_MS;

    WriteBackStore(VolumeMap map, WriteLog writeLog, SealedPages sealed, Replicas replicas,
                   VolumeSession session, ReadCache cache) {
        this.map = map;
        this.writeLog = writeLog;
        this.sealed = sealed;
        this.replicas = replicas;
        this.session = session;
        this.cache = cache;
        for (WriteLog.Entry entry : writeLog.replayed()) {
            lock.lock();
            try {
                register(entry);
            } finally {
                lock.unlock();
            }
        }
        if (!writeLog.replayed().isEmpty()) {
            log.info("volume {}: replaying {} writes the write-back log held", map.volumeId(),
                    writeLog.replayed().size());
        }
        flusher = Thread.ofPlatform().name("volume-" + map.volumeId() + "-flusher").daemon()
                .start(this::flushLoop);
    }

    @Override
    public long pageCount() {
        return map.layout().pageCount();
    }

    @Override
    public void readPage(long page, byte[] into) throws IOException {
        readPages(page, 1, into);
    }

    @Override
    public void readPages(long first, int count, byte[] into) throws IOException {
        boolean[] missing = new boolean[count];
        boolean anyMissing = false;
        lock.lock();
        try {
            for (int i = 0; i < count; i++) {
                long page = first + i;
                Dirty d = dirty.get(page);
                if (d != null) {
                    writeLog.read(d.newest, into, i * PAGE_BYTES);
                } else if (!cache.read(page, into, i * PAGE_BYTES)) {
                    missing[i] = true;
                    anyMissing = true;
                }
            }
        } finally {
            lock.unlock();
        }
        if (anyMissing) {
            fetch(first, count, missing, into);
        }
    }

    /** Fetches the missing pages from the replicas, each run inside one slice at once. */
    private void fetch(long first, int count, boolean[] missing, byte[] into) throws IOException {
        VolumeLayout layout = map.layout();
        record Run(int index, int count, CompletableFuture<byte[]> pages) {
        }
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < count; ) {
            if (!missing[i]) {
                i++;
                continue;
            }
            int slice = layout.place(first + i).slice();
            int end = i;
            while (end < count && missing[end] && end - i < BATCH_PAGES
                    && layout.place(first + end).slice() == slice) {
                end++;
            }
            runs.add(new Run(i, end - i, sealed.read(first + i, end - i, replicas)));
            i = end;
        }
        for (Run run : runs) {
            byte[] pages;
            try {
                pages = VolumeSession.await(run.pages(), map.volumeId(), "read pages "
                        + (first + run.index()) + ".." + (first + run.index() + run.count() - 1)
                        + " of volume " + map.volumeId());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted reading volume "
                        + map.volumeId());
            }
            System.arraycopy(pages, 0, into, run.index() * PAGE_BYTES, pages.length);
            for (int i = 0; i < run.count(); i++) {
                cache.put(first + run.index() + i, pages, i * PAGE_BYTES);
            }
        }
    }

    @Override
    public void writePage(long page, byte[] from) throws IOException {
        log(page, from);
    }

    @Override
    public void trimPage(long page) throws IOException {
        log(page, null);
    }

    private void log(long page, byte[] content) throws IOException {
        checkOpen();
        WriteLog.Entry entry;
        try {
            entry = writeLog.append(page, content);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted waiting for room in the "
                    + "write-back log");
        }
        lock.lock();
        try {
            register(entry);
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: the entry is the page's newest version, to be sent. */
    private void register(WriteLog.Entry entry) {
        long page = entry.page();
        cache.remove(page);
        Dirty d = dirty.get(page);
        if (d == null) {
            d = new Dirty(entry);
            dirty.put(page, d);
            firstSeqs.add(d.firstSeq);
        } else {
            newestSeqs.remove(d.newest.seq());
            d.newest = entry;
        }
        newestSeqs.add(entry.seq());
        pending.add(page);
        registeredSeq = entry.seq();
        if (sendable(page)) {
            changed.signalAll();
        }
    }

    @Override
    public void flush() throws IOException {
        checkOpen();
        writeLog.sync();
        long start = System.currentTimeMillis();
        long warned = start;
        lock.lock();
        try {
            long target = registeredSeq;
            while (!firstSeqs.isEmpty() && firstSeqs.first() <= target) {
                checkOpen();
                if (leaseExpired != null) {
                    throw leaseExpired;
                }
                changed.await(1, TimeUnit.SECONDS);
                long now = System.currentTimeMillis();
                if (now - warned >= WARN_EVERY_MS) {
                    warned = now;
                    log.warn("volume {}: flush waiting {} s for {} pages to commit{}; they are "
                            + "safe in the write-back log, which the next open replays",
                            map.volumeId(), (now - start) / 1000, dirty.size(),
                            lastError == null ? "" : " (last error: " + lastError + ")");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while flushing volume "
                    + map.volumeId());
        } finally {
            lock.unlock();
        }
    }

    private void checkOpen() throws IOException {
        if (sessionLost != null) {
            throw new IOException(sessionLost);
        }
        if (!running) {
            throw new IOException("volume " + map.volumeId() + " is closed");
        }
    }

    /** Pages dirty now (tests and status). */
    int dirtyPages() {
        lock.lock();
        try {
            return dirty.size();
        } finally {
            lock.unlock();
        }
    }

    private void flushLoop() {
        while (running) {
            try {
                resyncWhatIsDue();
                List<Sent> batch = new ArrayList<>();
                long chunk = takeBatch(batch);
                if (batch.isEmpty()) {
                    continue;
                }
                send(chunk, batch);
            } catch (InterruptedException e) {
                return;
            } catch (org.cnt.blockdev.VolumeInUseException e) {
                // Another client took the volume over: nothing this one holds can commit now.
                sessionLost = e.getMessage();
                log.error("volume {}: {}; the writes not yet committed stay in {}",
                        map.volumeId(), sessionLost, "the write-back log");
                lock.lock();
                try {
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
                return;
            } catch (RuntimeException | IOException e) {
                lastError = e.getMessage();
                if (e instanceof LeaseExpiredException expired) {
                    expiredLease(expired);
                }
                log.warn("volume {}: flusher: {}", map.volumeId(), e.toString());
                try {
                    backOff(MAX_RESYNC_PAUSE_MS);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    /**
     * Waits {@code ms} before the flusher tries again, on the store's condition, not a sleep:
     * {@link #stop} ends the wait at once.
     */
    private void backOff(long ms) throws InterruptedException {
        long deadline = System.currentTimeMillis() + ms;
        lock.lock();
        try {
            for (long left = ms; running && left > 0;
                 left = deadline - System.currentTimeMillis()) {
                changed.await(left, TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the next run of pending pages of one chunk, in page order from where the last batch
     * ended (an elevator: every dirty page is reached), with the contents of their newest
     * versions, read from the log outside the lock so writers do not wait on it. Waits while there
     * is nothing to send, or only chunks with {@link #MAX_IN_FLIGHT_PER_CHUNK} batches out: pages
     * then gather into full batches instead of leaving one small batch per write. Returns the
     * chunk.
     */
    private long takeBatch(List<Sent> batch) throws InterruptedException, IOException {
        List<WriteLog.Entry> entries = new ArrayList<>();
        long chunk;
        lock.lock();
        try {
            Long page = nextSendable(cursor);
            if (page == null) {
                changed.await(100, TimeUnit.MILLISECONDS);
                return -1;
            }
            VolumeLayout layout = map.layout();
            chunk = map.chunkOf(layout.place(page).slice());
            while (page != null && entries.size() < BATCH_PAGES
                    && map.chunkOf(layout.place(page).slice()) == chunk) {
                Dirty d = dirty.get(page);
                d.sentSeq = d.newest.seq();
                entries.add(d.newest);
                pending.remove(page);
                page = pending.higher(page);
            }
            cursor = entries.getLast().page() + 1;
            inFlight.merge(chunk, 1, Integer::sum);
        } finally {
            lock.unlock();
        }
        List<WriteLog.Entry> superseded = new ArrayList<>();
        for (WriteLog.Entry entry : entries) {
            byte[] content = null;
            if (!entry.trim()) {
                content = new byte[PAGE_BYTES];
                try {
                    writeLog.read(entry, content, 0);
                } catch (IOException e) {
                    // Released: a newer version committed meanwhile, or waits to be sent.
                    superseded.add(entry);
                    continue;
                }
            }
            batch.add(new Sent(entry.page(), entry.seq(), content));
        }
        if (!superseded.isEmpty() || batch.isEmpty()) {
            lock.lock();
            try {
                for (WriteLog.Entry entry : superseded) {
                    Dirty d = dirty.get(entry.page());
                    if (d != null && d.sentSeq == entry.seq()) {
                        d.sentSeq = 0;
                        pending.add(entry.page());
                    }
                }
                if (batch.isEmpty()) {
                    inFlight.merge(chunk, -1, Integer::sum);
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }
        return chunk;
    }

    /**
     * The first pending page at or after {@code from} (wrapping) whose chunk may be sent. A slice
     * whose chunk may not is skipped whole: the walk costs slices, not pages.
     */
    private Long nextSendable(long from) {
        Long found = nextSendable(from, Long.MAX_VALUE);
        return found != null ? found : nextSendable(0, from);
    }

    private Long nextSendable(long from, long before) {
        int pagesPerSlice = map.layout().dataPagesPerSlice();
        for (Long page = pending.ceiling(from); page != null && page < before; ) {
            if (sendable(page)) {
                return page;
            }
            page = pending.ceiling((page / pagesPerSlice + 1) * pagesPerSlice);
        }
        return null;
    }

    private boolean sendable(long page) {
        long chunk = map.chunkOf(map.layout().place(page).slice());
        return !resyncDue.contains(chunk)
                && inFlight.getOrDefault(chunk, 0) < MAX_IN_FLIGHT_PER_CHUNK;
    }

    private void send(long chunk, List<Sent> batch) throws InterruptedException {
        CompletableFuture<CommitPoint> commit;
        try {
            List<SealedPages.PageWrite> writes = new ArrayList<>(batch.size());
            for (Sent sent : batch) {
                writes.add(new SealedPages.PageWrite(sent.page(), sent.content()));
            }
            ChunkOp.WopBatch wops = sealed.seal(chunk, writes);
            commit = replicas.submit(wops);
        } catch (IOException | RuntimeException e) {
            failed(chunk, batch, e);
            return;
        }
        commit.whenComplete((point, error) -> {
            if (error == null) {
                committed(chunk, batch, point);
            } else {
                failed(chunk, batch, error instanceof ExecutionException ? error.getCause()
                        : error);
            }
        });
    }

    private void expiredLease(LeaseExpiredException expired) {
        if (leaseExpired == null) {
            log.error("volume {}: {}", map.volumeId(), expired.getMessage());
        }
        lock.lock();
        try {
            leaseExpired = expired;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void committed(long chunk, List<Sent> batch, CommitPoint point) {
        if (leaseExpired != null) {
            leaseExpired = null;
            log.info("volume {}: the farmers take its writes again", map.volumeId());
        }
        session.committed(chunk, point);
        resyncPauseMs = MIN_RESYNC_PAUSE_MS;
        lock.lock();
        try {
            inFlight.merge(chunk, -1, Integer::sum);
            for (Sent sent : batch) {
                Dirty d = dirty.get(sent.page());
                if (d == null) {
                    continue;
                }
                if (d.newest.seq() == sent.seq()) {
                    if (sent.content() == null) {
                        cache.remove(sent.page());
                    } else {
                        cache.put(sent.page(), sent.content(), 0);
                    }
                    dirty.remove(sent.page());
                    newestSeqs.remove(d.newest.seq());
                    firstSeqs.remove(d.firstSeq);
                } else if (d.sentSeq == sent.seq()) {
                    d.sentSeq = 0;
                }
            }
            writeLog.release(newestSeqs.isEmpty() ? registeredSeq : newestSeqs.first() - 1);
            changed.signalAll();
        } catch (IOException e) {
            lastError = e.getMessage();
            log.warn("volume {}: could not drop committed write-log segments: {}",
                    map.volumeId(), e.toString());
        } finally {
            lock.unlock();
        }
    }

    private void failed(long chunk, List<Sent> batch, Throwable error) {
        lastError = error.getMessage();
        LeaseExpiredException expired = LeaseExpiredException.of(map.volumeId(), "write "
                + batch.size() + " pages to chunk " + chunk, error);
        if (expired != null) {
            expiredLease(expired);
        }
        log.warn("volume {}: a batch of {} pages for chunk {} did not commit ({}); sending "
                + "them again", map.volumeId(), batch.size(), chunk, error.getMessage());
        lock.lock();
        try {
            inFlight.merge(chunk, -1, Integer::sum);
            for (Sent sent : batch) {
                Dirty d = dirty.get(sent.page());
                if (d != null && d.sentSeq == sent.seq()) {
                    d.sentSeq = 0;
                    pending.add(sent.page());
                }
            }
            // Its sequence numbers never committed: later batches of the chunk wait on a gap.
            resyncDue.add(chunk);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Chunks whose batches failed: once none of theirs is in flight, their slices' sequence
     * numbers are learned again from the group, and their pages go out again.
     */
    private void resyncWhatIsDue() throws IOException, InterruptedException {
        List<Long> ready = new ArrayList<>();
        lock.lock();
        try {
            for (long chunk : resyncDue) {
                if (inFlight.getOrDefault(chunk, 0) == 0) {
                    ready.add(chunk);
                }
            }
        } finally {
            lock.unlock();
        }
        for (long chunk : ready) {
            long pause = resyncPauseMs;
            resyncPauseMs = Math.min(MAX_RESYNC_PAUSE_MS, pause * 2);
            backOff(pause);
            if (!running) {
                return;
            }
            session.resync(chunk);
            lock.lock();
            try {
                resyncDue.remove(chunk);
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            log.info("volume {}: chunk {} back in step; resending its dirty pages",
                    map.volumeId(), chunk);
        }
    }

    /**
     * Stops the flusher; what is not committed stays in the log for the next open. It is told,
     * not interrupted: an interrupt in the middle of a read closes the log's file channel.
     */
    void stop() {
        running = false;
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            flusher.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (flusher.isAlive()) {
            log.warn("volume {}: the flusher did not stop within 30 s", map.volumeId());
        }
    }

    @Override
    public void close() throws IOException {
        stop();
        writeLog.close();
    }
}
