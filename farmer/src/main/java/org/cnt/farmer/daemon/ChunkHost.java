package org.cnt.farmer.daemon;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.PublicKey;
import org.cnt.chain.micro.MicroBlock;
import org.cnt.chain.micro.MicroMessage;
import org.cnt.chain.micro.Wop;
import org.cnt.chain.wire.WireMessage;
import org.cnt.farmer.FarmerException;
import org.cnt.farmer.microchain.ChunkGeometry;
import org.cnt.chain.micro.ChunkMeta;
import org.cnt.farmer.microchain.ChunkState;
import org.cnt.farmer.microchain.Replica;
import org.cnt.farmer.microchain.ReplicaConfig;
import org.cnt.farmer.microchain.ReplicaOutput;
import org.cnt.farmer.microchain.WalEntry;
import org.cnt.farmer.store.Checkpoint;
import org.cnt.farmer.store.ChunkFile;
import org.cnt.farmer.store.ChunkLog;
import org.cnt.farmer.store.ReplicaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one replica on real I/O: every input goes through the replica's own single-threaded
 * executor, persist requests go to the group-committed log, committed blocks reach the chunk file
 * only after their commit record is durable (so recovery can always redo them), and the file is
 * synced and checkpointed every {@link #CHECKPOINT_EVERY_BLOCKS} blocks or
 * {@link #CHECKPOINT_EVERY_BYTES} of logged data.
 */
final class ChunkHost implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChunkHost.class);
    static final int CHECKPOINT_EVERY_BLOCKS = 512;
    /**
     * Checkpoint after this much logged write data too: the checkpoint deletes the logged blocks,
     * and blocks deleted while still in RocksDB's memtable are never written a second time (to an
     * SST file at the flush). Several chunks share one memtable, so this stays well below it.
     */
    static final long CHECKPOINT_EVERY_BYTES = 8L << 20;
    /**
     * All the replicas of a farmer share one memtable: once their logged data together passes
     * this, each checkpoints as soon as it has this much of its own, so a farmer with many chunks
     * does not push its log through SST files (a flush, then a compaction) before deleting it.
     */
    static final long SHARED_LOG_BUDGET_BYTES = 24L << 20;
    static final long CHECKPOINT_UNDER_PRESSURE_BYTES = 1L << 20;
    private static final int MAX_QUEUED_INPUTS = 4096;
    private static final int MAX_WAITING_READS = 256;
    /**
     * How long a read waits for a certified state new enough before the reader is told "behind":
     * under a client's 2 s attempt timeout, so a member that is alive but behind says so instead
     * of being taken for a dead one (which a client then avoids for a while).
     */
    private static final long READ_WAIT_MS = 1_500;
    private static final long BEHIND_LOG_INTERVAL_MS = 10_000;
    private static final long IDLE_FLUSH_MS = 500;

    private final ReplicaConfig config;
    private final ChunkLog chunkLog;
    private final ReplicaFile file;
    private final EventExecutor executor;
    private final Executor logReader;
    /**
     * A peer's catch-up reply being read from the log: one at a time per peer, so a peer asking
     * again and again (or a Byzantine one) cannot queue up disk reads without bound.
     */
    private final AtomicBoolean[] servingFromLog;
    private final Outbox outbox;
    private final ReadService reads;
    private final AtomicInteger queued = new AtomicInteger();
    private final ArrayDeque<WaitingRead> waitingReads = new ArrayDeque<>();
    private Replica replica;
    /** Committed heights handed to the file writer, up to this one. */
    private long fileHeight;
    /** This replica's proof rounds; created at the first round (replica thread only). */
    private ProofDriver proofs;
    /** The newest round this replica runs (written on its thread, read by the follower's). */
    private volatile long roundStarted;
    /** The newest height whose commit record is durable. */
    private long durableHeight;
    private long idleSinceMs;
    private long heightAtLastTick = -1;
    /** Catch-up in progress: the committed height it started from; -1: none. */
    private long catchUpFromHeight = -1;
    private long blocksFetchedSeen;
    private long checkpointHeight;
    private long loggedBytes;
    private long nextBehindLogMs;
    private boolean checkpointing;
    private ScheduledFuture<?> ticker;
    private volatile boolean closed;
    /** What the farmer's runtime reads between inputs to steer a handover, without blocking. */
    private volatile boolean sealed;
    private volatile boolean joining;
    private volatile boolean certified;
    /** The snapshot being installed is this farmer's own sealed epoch (for the log). */
    private boolean ownBase;
    /** Told once, on the replica's thread, when this epoch's seal is committed. */
    private volatile java.util.function.Consumer<WalEntry.SnapshotEntry> onSealed;

    private record WaitingRead(WireMessage.ReadRequest request, int clientId, long untilMs) {
    }

    private ChunkHost(ReplicaConfig config, ChunkLog chunkLog, ReplicaFile file,
                      EventExecutor executor, Executor logReader,
                      Outbox outbox, ReadService reads) {
        this.config = config;
        this.chunkLog = chunkLog;
        this.file = file;
        this.executor = executor;
        this.logReader = logReader;
        this.servingFromLog = new AtomicBoolean[config.groupSize()];
        for (int i = 0; i < servingFromLog.length; i++) {
            servingFromLog[i] = new AtomicBoolean();
        }
        this.outbox = outbox;
        this.reads = reads;
    }

    /**
     * Opens the replica of {@code config}'s chunk from its file and log: the checkpointed state
     * plus every logged block, with committed blocks above the checkpoint written to the file
     * again (a crash may have left them half written).
     */
    static ChunkHost open(ReplicaConfig config, boolean joining, ReplicaStore store,
                          Path chunkDir, EventExecutor executor,
                          java.util.concurrent.Executor fileWriter,
                          Executor logReader, Outbox outbox,
                          ReadService reads) throws FarmerException {
        ChunkGeometry geometry = config.geometry();
        Path path = chunkDir.resolve(config.chunkId() + "-" + config.epoch() + ".replica");
        ChunkFile file;
        try {
            file = ChunkFile.open(path, geometry.chunkSizeBytes());
        } catch (IOException e) {
            throw new FarmerException("cannot open the replica file " + path + ": "
                    + e.getMessage(), e);
        }
        try {
            ChunkLog chunkLog = store.log(config.chunkId(), config.epoch());
            if (chunkLog.group() == null) {
                chunkLog.saveGroup(config.members());
            }
            ChunkHost host = new ChunkHost(config, chunkLog,
                    new ReplicaFile(file, geometry, fileWriter), executor, logReader, outbox,
                    reads);
            host.recover(joining);
            return host;
        } catch (FarmerException | IOException | CodecException | RuntimeException e) {
            closeQuietly(file);
            throw e instanceof FarmerException fe ? fe : new FarmerException("cannot recover the "
                    + "replica of chunk " + config.chunkId() + ": " + e.getMessage(), e);
        }
    }

    private void recover(boolean joiningEpoch) throws IOException, CodecException {
        List<WalEntry> entries = new ArrayList<>();
        Checkpoint checkpoint = chunkLog.checkpoint();
        if (checkpoint != null) {
            ChunkMeta meta = ChunkMeta.decode(checkpoint.meta(), config.geometry().sliceCount());
            // No pages: the file holds the checkpoint's, and the state reads them from there.
            entries.add(new WalEntry.SnapshotEntry(checkpoint.height(), checkpoint.hash(), meta,
                    null));
            checkpointHeight = checkpoint.height();
        }
        List<WalEntry> logged = chunkLog.entries();
        entries.addAll(logged);
        replica = Replica.recover(config, file.pages(), entries, joiningEpoch);
        observeState();
        Map<Hash, WalEntry.BlockEntry> blocks = new HashMap<>();
        Map<Long, Hash> commits = new HashMap<>();
        for (WalEntry entry : logged) {
            if (entry instanceof WalEntry.BlockEntry b) {
                blocks.put(b.block().hash(), b);
            } else if (entry instanceof WalEntry.CommitEntry c) {
                commits.put(c.height(), c.hash());
            }
        }
        fileHeight = checkpointHeight;
        for (long h = checkpointHeight + 1; h <= replica.committedHeight(); h++) {
            file.applyNow(blocks.get(commits.get(h)).ops());
            fileHeight = h;
        }
        durableHeight = fileHeight;
        replica.state().takeChangesThrough(fileHeight);
        replica.state().flushed(fileHeight);
        log.info("chunk {} epoch {}: recovered at committed height {} (checkpoint {}, {} log "
                + "entries){}", config.chunkId(), config.epoch(), fileHeight, checkpointHeight,
                logged.size(), replica.isJoining() ? "; joining: waiting for the epoch's state"
                        : "");
    }

    void start(long tickMs) {
        ticker = executor.scheduleAtFixedRate(this::tick, tickMs, tickMs, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        run(replica::onTick);
        long now = System.currentTimeMillis();
        if (proofs != null && !closed) {
            proofs.tick(now);
        }
        if (replica.committedHeight() != heightAtLastTick) {
            heightAtLastTick = replica.committedHeight();
            idleSinceMs = now;
        } else if (now - idleSinceMs >= IDLE_FLUSH_MS && fileHeight < durableHeight) {
            // Nothing commits: no snapshot of an older height will be wanted soon, so the
            // newest heights go to the file too (the state stops holding their pages).
            writeFile(durableHeight);
        }
    }

    long chunkId() {
        return config.chunkId();
    }

    /** The main chain moved the chunk on: seal this epoch; {@code then} gets its final state. */
    void seal(java.util.function.Consumer<WalEntry.SnapshotEntry> then) {
        onSealed = then;
        post(() -> run(replica::seal));
    }

    /** This farmer's own sealed state of the previous epoch: the start of this one. */
    void installBase(WalEntry.SnapshotEntry base) {
        post(() -> run(() -> {
            ownBase = replica.isJoining();
            return replica.installBase(base);
        }));
    }

    boolean sealed() {
        return sealed;
    }

    /** Whether this replica still waits for its epoch's starting state. */
    boolean joining() {
        return joining;
    }

    /** Whether a block of this epoch is certified: a quorum of it holds the starting state. */
    boolean certified() {
        return certified;
    }

    ReplicaConfig config() {
        return config;
    }

    /** The member index of a key in this group, or -1. */
    int memberIndex(PublicKey key) {
        return config.members().indexOf(key);
    }

    /**
     * Queues a message from a member or a client. Returns false when the replica is too far
     * behind its inputs: the caller drops the message (the protocol resends) or tells the
     * client it is busy.
     */
    boolean offer(int from, MicroMessage message) {
        if (closed || queued.incrementAndGet() > MAX_QUEUED_INPUTS) {
            queued.decrementAndGet();
            return false;
        }
        executor.execute(() -> {
            queued.decrementAndGet();
            if (message instanceof MicroMessage.ProofMsg proof) {
                // Signed by its member: who relayed it does not matter.
                if (proofs != null && !closed) {
                    proofs.onMessage(proof.message(), System.currentTimeMillis());
                }
                return;
            }
            run(() -> replica.onMessage(from, message));
        });
        return true;
    }

    /**
     * Takes part in a proof round the main chain opened, over this replica's committed state
     * (a replica still joining its epoch has no state to prove yet).
     */
    void proveRound(ProofDriver.Round round, ProofDriver.Submitter submitter) {
        // Every chain view names the open round; once it runs, the replica's thread is spared.
        if (round.height() <= roundStarted) {
            return;
        }
        post(() -> {
            if (closed || joining) {
                return;
            }
            if (proofs == null) {
                proofs = new ProofDriver(config.chunkId(), config.key(), outbox, submitter);
            }
            proofs.start(round, replica, System.currentTimeMillis());
            roundStarted = round.height();
        });
    }

    void read(WireMessage.ReadRequest request, PublicKey reader, int clientId) {
        executor.execute(() -> {
            String refusal = epochRefusal(request);
            if (refusal == null) {
                refusal = reads.authorize(config, replica.state().meta(), request, reader);
            }
            if (refusal != null) {
                outbox.toClient(clientId, new WireMessage.Failure(request.requestId(), refusal));
            } else if (!serveRead(request, clientId)) {
                if (waitingReads.size() >= MAX_WAITING_READS) {
                    outbox.toClient(clientId, new WireMessage.Failure(request.requestId(),
                            "busy: too many reads wait for a certified root; retry"));
                } else {
                    waitingReads.add(new WaitingRead(request, clientId,
                            System.currentTimeMillis() + READ_WAIT_MS));
                }
            }
        });
    }

    /**
     * A read counts its heights in one epoch: this replica's heights say nothing of another's.
     * An earlier epoch was sealed into this one (the reader moves on to this group); a later one
     * this farmer has not started yet (another member may have).
     */
    private String epochRefusal(WireMessage.ReadRequest request) {
        if (request.epoch() < config.epoch()) {
            return "epoch_changed: epoch " + request.epoch() + " of chunk " + config.chunkId()
                    + " is over; the chunk is in epoch " + config.epoch() + " now";
        }
        if (request.epoch() > config.epoch()) {
            return "behind: this farmer serves chunk " + config.chunkId() + " in epoch "
                    + config.epoch() + ", not yet in epoch " + request.epoch()
                    + "; try another member";
        }
        return null;
    }

    /** Observers for tests and status, read on the replica's thread. */
    <T> T inspect(java.util.function.Function<Replica, T> query) throws Exception {
        return executor.submit(() -> query.apply(replica)).get(10, TimeUnit.SECONDS);
    }

    private boolean serveRead(WireMessage.ReadRequest request, int clientId) {
        Replica.Anchor anchor = replica.readAnchor();
        if (anchor == null || anchor.block().committedHeight() < request.minHeight()) {
            return false;
        }
        outbox.toClient(clientId, reads.reply(request, replica.state(), anchor));
        return true;
    }

    private void retryReads() {
        long now = System.currentTimeMillis();
        int count = waitingReads.size();
        for (int i = 0; i < count; i++) {
            WaitingRead waiting = waitingReads.poll();
            if (serveRead(waiting.request(), waiting.clientId())) {
                continue;
            }
            if (now > waiting.untilMs()) {
                if (now >= nextBehindLogMs) {
                    // Once in a while, not per read: a chunk stuck this way refuses every read.
                    nextBehindLogMs = now + BEHIND_LOG_INTERVAL_MS;
                    log.warn("chunk {} epoch {}: no certified state at height {} to read after "
                            + "{} ms; {}", config.chunkId(), config.epoch(),
                            waiting.request().minHeight(), READ_WAIT_MS, replica.describe());
                }
                outbox.toClient(waiting.clientId(), new WireMessage.Failure(
                        waiting.request().requestId(), "behind: no certified state at height "
                        + waiting.request().minHeight() + " yet; try another member"));
            } else {
                waitingReads.add(waiting);
            }
        }
    }

    private void run(java.util.function.Supplier<List<ReplicaOutput>> input) {
        if (closed) {
            return;
        }
        long viewBefore = replica.view();
        long heightBefore = replica.committedHeight();
        handle(input.get());
        if (proofs != null && replica.committedHeight() != heightBefore) {
            proofs.observe(System.currentTimeMillis());
        }
        if (replica.view() != viewBefore) {
            log.info("chunk {}: view {} (leader member {}), committed height {}",
                    config.chunkId(), replica.view(), config.leader(replica.view()),
                    replica.committedHeight());
        }
        noteCatchUp(heightBefore);
        if (!waitingReads.isEmpty()) {
            retryReads();
        }
        observeState();
    }

    /**
     * Says once per catch-up how far peers' blocks brought this replica, when it is level with
     * the group again: replies are capped in bytes, so a catch-up of large blocks spans many.
     */
    private void noteCatchUp(long heightBefore) {
        long fetched = replica.blocksFetched();
        if (fetched != blocksFetchedSeen) {
            blocksFetchedSeen = fetched;
            if (catchUpFromHeight < 0) {
                catchUpFromHeight = heightBefore;
            }
        }
        if (catchUpFromHeight >= 0 && replica.levelWithLock()
                && replica.committedHeight() > catchUpFromHeight) {
            log.info("chunk {}: caught up {} heights from peers, committed height {}",
                    config.chunkId(), replica.committedHeight() - catchUpFromHeight,
                    replica.committedHeight());
            catchUpFromHeight = -1;
        }
    }

    private void observeState() {
        joining = replica.isJoining();
        certified = !replica.lock().isGenesis();
        if (!sealed && replica.sealed()) {
            sealed = true;
            log.info("chunk {}: epoch {} sealed at committed height {}", config.chunkId(),
                    config.epoch(), replica.committedHeight());
        }
        var then = onSealed;
        if (sealed && then != null) {
            onSealed = null;
            then.accept(replica.baseForNextEpoch());
        }
    }

    private void handle(List<ReplicaOutput> outputs) {
        for (int i = 0; i < outputs.size(); i++) {
            switch (outputs.get(i)) {
                case ReplicaOutput.Send send -> {
                    if (send.to() < config.groupSize()) {
                        i = sendToPeers(outputs, i);
                    } else {
                        outbox.toClient(send.to(), new WireMessage.Micro(send.message()));
                    }
                }
                case ReplicaOutput.Persist persist -> persist(persist);
                case ReplicaOutput.ServeLogged serve -> serveLogged(serve);
                case ReplicaOutput.Commit commit -> {
                    // The state holds the block's pages until they reach the file.
                }
            }
        }
    }

    /**
     * Sends the message of {@code outputs[first]} to that member and to every member the sends
     * right after it address with the same message (a broadcast), in one call, so it is encoded
     * once; returns the index of the last of them.
     */
    private int sendToPeers(List<ReplicaOutput> outputs, int first) {
        MicroMessage message = ((ReplicaOutput.Send) outputs.get(first)).message();
        List<PublicKey> members = new ArrayList<>(config.groupSize());
        int last = first;
        while (last < outputs.size() && outputs.get(last) instanceof ReplicaOutput.Send send
                && send.message() == message && send.to() < config.groupSize()) {
            members.add(config.members().get(send.to()));
            last++;
        }
        outbox.toPeers(members, message);
        return last - 1;
    }

    private void serveLogged(ReplicaOutput.ServeLogged serve) {
        AtomicBoolean busy = servingFromLog[serve.to()];
        if (!busy.compareAndSet(false, true)) {
            return;
        }
        var reader = chunkLog.blockReader(serve.blocks().stream()
                .map(ReplicaOutput.LoggedBlock::hash).toList());
        PublicKey peer = config.members().get(serve.to());
        try {
            logReader.execute(() -> {
                try {
                    MicroMessage.BlockResponse reply = serve.reply(reader);
                    if (reply != null && !closed) {
                        outbox.toPeers(List.of(peer), reply);
                    }
                } finally {
                    busy.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            busy.set(false);
        }
    }

    private void persist(ReplicaOutput.Persist persist) {
        long token = persist.token();
        switch (persist.entry()) {
            case WalEntry.SnapshotEntry snapshot -> installSnapshot(snapshot);
            case WalEntry.CommitEntry commit -> chunkLog.append(commit, () -> post(
                    () -> run(() -> {
                        applyDurable(commit.height());
                        return replica.onPersisted(token);
                    })));
            default -> {
                if (persist.entry() instanceof WalEntry.BlockEntry block) {
                    long bytes = Replica.dataBytes(block.ops());
                    loggedBytes += bytes;
                    chunkLog.noteLoggedData(bytes);
                }
                chunkLog.append(persist.entry(), () -> post(
                        () -> run(() -> replica.onPersisted(token))));
            }
        }
    }

    /** Runs a task on the replica's thread, unless the replica closed meanwhile. */
    private void post(Runnable task) {
        if (!closed) {
            try {
                executor.execute(task);
            } catch (RejectedExecutionException e) {
                log.debug("chunk {}: closed before a file task finished", config.chunkId());
            }
        }
    }

    /**
     * A commit record is durable: the file gets the pages of every durable commit except the
     * newest few heights, which stay readable whole for a peer that needs a snapshot.
     */
    private void applyDurable(long height) {
        durableHeight = Math.max(durableHeight, height);
        writeFile(replica.committedHeight() - (ChunkState.READABLE_HEIGHTS - 1));
        if (fileHeight - checkpointHeight >= CHECKPOINT_EVERY_BLOCKS
                || loggedBytes >= CHECKPOINT_EVERY_BYTES
                || loggedBytes >= CHECKPOINT_UNDER_PRESSURE_BYTES
                && chunkLog.sharedLoggedData() >= SHARED_LOG_BUDGET_BYTES) {
            checkpoint();
        }
    }

    /**
     * Hands the file writer the pages of committed heights up to {@code through} (never past a
     * durable commit record, so recovery can always redo what the file holds); once written,
     * the state drops its copies.
     */
    private void writeFile(long through) {
        long upTo = Math.min(Math.min(through, durableHeight), replica.committedHeight());
        if (upTo <= fileHeight) {
            return;
        }
        List<java.util.SortedMap<Integer, java.nio.ByteBuffer>> heights = new ArrayList<>();
        for (var changes : replica.state().takeChangesThrough(upTo)) {
            heights.add(changes.getValue());
        }
        fileHeight = upTo;
        file.writePagesThen(heights, () -> post(() -> replica.state().flushed(upTo)));
    }

    /**
     * Once the file is synced past {@code fileHeight} (the sync covers every write queued before
     * it), that height becomes the checkpoint and the log drops what it no longer needs.
     */
    private void checkpoint() {
        long height = fileHeight;
        ChunkMeta meta = replica.committedMeta(height);
        Hash hash = replica.committedHash(height);
        if (meta == null || hash == null || checkpointing) {
            return;
        }
        checkpointing = true;
        chunkLog.noteLoggedData(-loggedBytes);
        loggedBytes = 0;
        Checkpoint next = new Checkpoint(height, hash, meta.toBytes());
        file.syncThen(() -> post(() -> {
            checkpointing = false;
            if (!closed && height > checkpointHeight) {
                checkpointHeight = height;
                chunkLog.checkpoint(next, null);
                replica.onLogTrimmed(height);
            }
        }));
    }

    /** A verified snapshot from a peer replaces the file whole, then becomes the checkpoint. */
    private void installSnapshot(WalEntry.SnapshotEntry snapshot) {
        fileHeight = snapshot.height();
        durableHeight = Math.max(durableHeight, snapshot.height());
        Checkpoint next = new Checkpoint(snapshot.height(), snapshot.hash(),
                snapshot.meta().toBytes());
        file.replaceThen(snapshot.pages(), () -> post(() -> {
            replica.state().flushed(snapshot.height());
            // A new epoch's starting state is a snapshot at height 0: it too must become the
            // checkpoint, or a restart would find the epoch's log without its base.
            if (!closed && (snapshot.height() > checkpointHeight
                    || chunkLog.checkpoint() == null)) {
                checkpointHeight = snapshot.height();
                chunkLog.checkpoint(next, null);
            }
        }));
        if (ownBase) {
            ownBase = false;
            log.info("chunk {}: epoch {} starts from this farmer's sealed epoch", config.chunkId(),
                    config.epoch());
        } else {
            log.info("chunk {}: installing a verified snapshot at height {} from a peer",
                    config.chunkId(), snapshot.height());
        }
    }

    @Override
    public void close() {
        // What is durable goes to the file before it closes, so a stopped farmer's file holds
        // every page it acknowledged (the log would redo them anyway).
        if (executor.inEventLoop()) {
            writeFile(durableHeight);
        } else {
            try {
                executor.submit(() -> writeFile(durableHeight)).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("chunk {}: the file was closed before its newest pages were written "
                        + "(the log still has them): {}", config.chunkId(), e.toString());
            }
        }
        closed = true;
        chunkLog.noteLoggedData(-loggedBytes);
        if (ticker != null) {
            ticker.cancel(false);
        }
        file.close();
    }

    /** Closes the replica and removes its file and log: its epoch is handed over. */
    void retire() {
        closed = true;
        chunkLog.noteLoggedData(-loggedBytes);
        if (ticker != null) {
            ticker.cancel(false);
        }
        executor.execute(chunkLog::discard);
        file.closeAndDelete();
    }

    private static void closeQuietly(ChunkFile file) {
        try {
            file.close();
        } catch (IOException e) {
            log.warn("closing {}: {}", file.path(), e.getMessage());
        }
    }
}
