package org.cnt.farmer.daemon;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.cnt.chain.api.NodeApiException;
import org.cnt.chain.api.NodeClient;
import org.cnt.chain.api.TxSender;
import org.cnt.chain.api.Views;
import org.cnt.chain.crypto.PublicKey;
import org.cnt.chain.micro.MicroMessage;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.TxPayload;
import org.cnt.chain.wire.WireMessage;
import org.cnt.farmer.FarmerConfig;
import org.cnt.farmer.FarmerException;
import org.cnt.farmer.microchain.ChunkGeometry;
import org.cnt.farmer.microchain.Replica;
import org.cnt.farmer.microchain.ReplicaConfig;
import org.cnt.farmer.store.ChunkLog;
import org.cnt.farmer.store.ReplicaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The wiring of a running farmer; {@code FarmerDaemon} is its public face. */
public final class FarmerRuntime implements Outbox, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FarmerRuntime.class);
    private static final int MAX_OPS_PER_BLOCK = 256;
    private static final int MAX_PENDING_OPS = 4096;
    private static final int RETAIN_BLOCKS = 256;
    /**
     * A farmer that left a group keeps its sealed replica this long, so members that missed the
     * seal's last certificate can still fetch it from this one.
     */
    private static final long LEAVING_LINGER_MS = 30_000;

    private final FarmerConfig config;
    private final Path chunkDir;
    private final ReplicaStore store;
    private final EventLoopGroup io = new MultiThreadIoEventLoopGroup(2,
            NioIoHandler.newFactory());
    private final DefaultEventExecutorGroup replicaThreads;
    /** One thread writes and syncs every replica file, in order, away from the votes. */
    private final java.util.concurrent.ExecutorService fileWriter =
            java.util.concurrent.Executors.newSingleThreadExecutor(
                    r -> Thread.ofPlatform().name("replica-file-writer").unstarted(r));
    /** Reads logged blocks back for peers that catch up, away from the votes and the files. */
    private final java.util.concurrent.ExecutorService logReader =
            java.util.concurrent.Executors.newSingleThreadExecutor(
                    r -> Thread.ofPlatform().name("replica-log-reader").unstarted(r));
    private final ChunkHosts hosts = new ChunkHosts();
    /** When a replica of a group this farmer left was sealed, by chunk. */
    private final Map<Long, Long> leftSealedAtMs = new ConcurrentHashMap<>();
    private boolean exitAnnounced;
    private final ClientConnections clients = new ClientConnections();
    private final AtomicReference<ChainView> view = new AtomicReference<>();
    private final ChainLeaseView leases = new ChainLeaseView(view);
    private final ReadService reads = new ReadService();
    private final NodeClient node;
    private final ProofSubmitter proofSubmitter;
    private PeerLinks peers;
    private WireServer server;
    private ChainFollower follower;

    private FarmerRuntime(FarmerConfig config, ReplicaStore store) {
        this.config = config;
        this.chunkDir = config.dir().resolve("chunks");
        this.store = store;
        this.replicaThreads = new DefaultEventExecutorGroup(config.replicaThreads());
        this.node = new NodeClient(config.nodeUrl());
        this.proofSubmitter = new ProofSubmitter(node, config.key());
    }

    public static FarmerRuntime start(FarmerConfig config, Duration nodeWait)
            throws FarmerException {
        DiskPledge.check(config.dir(), config.dir().resolve("chunks"), config.capacityBytes());
        ReplicaStore store = ReplicaStore.open(config.dir().resolve("db"));
        FarmerRuntime runtime = new FarmerRuntime(config, store);
        try {
            runtime.begin(nodeWait);
            return runtime;
        } catch (FarmerException | RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    private void begin(Duration nodeWait) throws FarmerException {
        server = new WireServer(io, config.listenHost(), config.listenPort(),
                config.maxFrameBytes(), hosts, clients);
        peers = new PeerLinks(view, config.key(), io, config.maxFrameBytes());
        ChainView first = firstView(nodeWait);
        view.set(first);
        first = registerOrUpdate(first);
        view.set(first);
        log.info("farmer {} listening on {} (endpoint {}), pledging {} MiB, following {} at "
                + "height {}", first.farmerId(config.key().publicKey()), port(), endpoint(),
                config.capacityBytes() >> 20, config.nodeUrl(), first.height());
        assign(first);
        reopenOldEpochs(first);
        follower = new ChainFollower(node, view, this::assign);
        follower.start(config.chainPollMs());
    }

    private ChainView firstView(Duration wait) throws FarmerException {
        long deadline = System.currentTimeMillis() + wait.toMillis();
        while (true) {
            try {
                return ChainFollower.fetch(node);
            } catch (NodeApiException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw new FarmerException(e.detail() + " (tried for " + wait.toSeconds()
                            + " s)");
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new FarmerException("interrupted while waiting for the node");
                }
            }
        }
    }

    String endpoint() {
        if (config.endpoint() != null) {
            return config.endpoint();
        }
        return config.listenHost() + ":" + port();
    }

    /** Registers this key as a farmer, or updates its endpoint and pledge if they changed. */
    private ChainView registerOrUpdate(ChainView current) throws FarmerException {
        PublicKey key = config.key().publicKey();
        Long id = current.farmerId(key);
        TxPayload payload = null;
        if (id == null) {
            payload = new TxPayload.RegisterFarmer(endpoint(), config.capacityBytes());
        } else {
            Views.Farmer me = current.farmers().get(id);
            if (!me.endpoint().equals(endpoint()) || me.capacityBytes() != config.capacityBytes()) {
                payload = new TxPayload.UpdateFarmer(endpoint(), config.capacityBytes());
            }
        }
        if (payload == null) {
            return current;
        }
        try {
            Views.TxStatus status = TxSender.send(node, config.key(), payload);
            log.info("{} on the main chain in block {}", id == null ? "registered" : "updated",
                    status.height());
            return ChainFollower.fetch(node);
        } catch (NodeApiException e) {
            throw new FarmerException("the chain refused this farmer: " + e.getMessage());
        }
    }

    /**
     * Opens a replica for every chunk the chain gives this farmer, in the chunk's current epoch;
     * a replica of an earlier epoch, or of a group this farmer left, is sealed and handed over.
     */
    private synchronized void assign(ChainView current) {
        Long self = current.farmerId(config.key().publicKey());
        Set<Long> mine = new TreeSet<>();
        if (self != null) {
            for (Views.Chunk chunk : current.chunks().values()) {
                if (chunk.members().contains(self)) {
                    mine.add(chunk.id());
                    open(current, chunk, chunk.members().indexOf(self));
                }
            }
        }
        for (ChunkHost host : List.copyOf(hosts.currentHosts().values())) {
            if (!mine.contains(host.chunkId())) {
                log.info("chunk {}: this farmer left its group; sealing epoch {} before the "
                        + "replica closes", host.chunkId(), host.config().epoch());
                hosts.currentHosts().remove(host.chunkId());
                startRetiring(host);
            }
        }
        retireHandedOver();
        if (self != null && current.proofRoundHeight() > 0) {
            for (long chunkId : mine) {
                proveRound(current, current.chunks().get(chunkId), self);
            }
        }
        if (self == null && !exitAnnounced && hosts.currentHosts().isEmpty()
                && hosts.retiringHosts().isEmpty()) {
            exitAnnounced = true;
            log.info("this farmer is not registered on the chain (it exited): every replica is "
                    + "handed over, nothing is left to serve; it can be stopped");
        }
    }

    /** Joins the open proof round for one of this farmer's chunks (a replica runs it once). */
    private void proveRound(ChainView current, Views.Chunk chunk, long self) {
        ChunkHost host = hosts.current(chunk.id());
        if (host == null || host.config().epoch() != chunk.epoch()) {
            return;
        }
        Map<Long, PublicKey> keys = new java.util.HashMap<>();
        for (long member : chunk.members()) {
            Views.Farmer farmer = current.farmers().get(member);
            if (farmer == null) {
                return;
            }
            keys.put(member, farmer.key());
        }
        ChainParams params = current.params();
        long round = current.proofRoundHeight();
        long turn = Math.floorMod(round / params.proofIntervalBlocks(),
                (long) chunk.members().size());
        host.proveRound(new ProofDriver.Round(round, current.proofRoundSeed(), self,
                chunk.members(), keys, params.chunkSizeBytes(),
                (long) params.proofIntervalBlocks() * params.blockTimeMs(),
                chunk.members().get((int) turn) == self), proofSubmitter::submit);
    }

    private void startRetiring(ChunkHost host) {
        ChunkHost older = hosts.retiringHosts().put(host.chunkId(), host);
        if (older != null) {
            older.retire();
        }
        long chunkId = host.chunkId();
        long epoch = host.config().epoch();
        host.seal(base -> {
            ChunkHost next = hosts.current(chunkId);
            if (next != null && next.config().epoch() > epoch) {
                next.installBase(base);
            } else {
                leftSealedAtMs.put(chunkId, System.currentTimeMillis());
            }
        });
    }

    /**
     * An old epoch's replica closes, and its file and log go, once the next epoch certified a
     * block (a quorum of it holds the starting state, so a late member can get a snapshot from
     * them), or a while after its seal when this farmer left the group.
     */
    private void retireHandedOver() {
        long now = System.currentTimeMillis();
        for (ChunkHost old : List.copyOf(hosts.retiringHosts().values())) {
            ChunkHost next = hosts.current(old.chunkId());
            Long sealedAt = leftSealedAtMs.get(old.chunkId());
            boolean handedOver = next != null && next.config().epoch() > old.config().epoch()
                    && !next.joining() && next.certified();
            boolean lingered = next == null && sealedAt != null
                    && now - sealedAt > LEAVING_LINGER_MS;
            if (handedOver || lingered) {
                hosts.retiringHosts().remove(old.chunkId(), old);
                leftSealedAtMs.remove(old.chunkId());
                old.retire();
                log.info("chunk {}: epoch {} handed over; its replica is closed and removed",
                        old.chunkId(), old.config().epoch());
            }
        }
    }

    /**
     * Replicas of earlier epochs found at start: a restart in the middle of a handover. One whose
     * epoch's members are on record is opened again and sealed, so the epoch can still end with
     * a quorum and hand its state over; one without is removed (its state lives on with the
     * chunk's current group).
     */
    private void reopenOldEpochs(ChainView current) {
        try (var files = java.nio.file.Files.list(chunkDir)) {
            for (Path file : files.sorted().toList()) {
                java.util.regex.Matcher m = REPLICA_FILE.matcher(file.getFileName().toString());
                if (m.matches()) {
                    reopenOldEpoch(current, file, Long.parseLong(m.group(1)),
                            Long.parseLong(m.group(2)));
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            log.warn("could not look for old replicas in {}: {}", chunkDir, e.getMessage());
        }
    }

    private static final java.util.regex.Pattern REPLICA_FILE =
            java.util.regex.Pattern.compile("(\\d+)-(\\d+)\\.replica");

    private void reopenOldEpoch(ChainView current, Path file, long chunkId, long epoch)
            throws java.io.IOException {
        ChunkHost host = hosts.current(chunkId);
        if (host != null && host.config().epoch() <= epoch) {
            return;
        }
        try {
            ChunkLog old = store.log(chunkId, epoch);
            List<PublicKey> group = old.group();
            int self = group == null ? -1 : group.indexOf(config.key().publicKey());
            if (self < 0 || hosts.retiring(chunkId) != null) {
                old.discard();
                java.nio.file.Files.deleteIfExists(file);
                log.info("removed the replica of chunk {} epoch {}: no longer served", chunkId,
                        epoch);
                return;
            }
            ChunkHost reopened = ChunkHost.open(replicaConfig(current, chunkId, epoch, group,
                    self), epoch > org.cnt.chain.types.Chunk.FIRST_EPOCH, store, chunkDir,
                    replicaThreads.next(), fileWriter, logReader, this, reads);
            reopened.start(config.tickMs());
            log.info("chunk {}: reopened epoch {} after a restart during its handover; sealing "
                    + "it", chunkId, epoch);
            startRetiring(reopened);
        } catch (FarmerException e) {
            log.error("chunk {} epoch {}: cannot reopen the old replica: {}", chunkId, epoch,
                    e.getMessage());
        }
    }

    private ReplicaConfig replicaConfig(ChainView current, long chunkId, long epoch,
                                        List<PublicKey> members, int self) {
        ChainParams params = current.params();
        ChunkGeometry geometry = ChunkGeometry.production(params.chunkSizeBytes(),
                params.sliceSizeBytes());
        return new ReplicaConfig(chunkId, epoch, members, self, config.key(), geometry, leases,
                config.leaderTimeoutTicks(), 3, MAX_OPS_PER_BLOCK, MAX_PENDING_OPS,
                RETAIN_BLOCKS, false);
    }

    private void open(ChainView current, Views.Chunk chunk, int self) {
        ChunkHost existing = hosts.current(chunk.id());
        if (existing != null && existing.config().epoch() >= chunk.epoch()) {
            return;
        }
        List<PublicKey> members = current.memberKeys(chunk);
        if (members == null) {
            return;
        }
        ReplicaConfig replicaConfig = replicaConfig(current, chunk.id(), chunk.epoch(), members,
                self);
        boolean inherits = chunk.epoch() > org.cnt.chain.types.Chunk.FIRST_EPOCH;
        try {
            ChunkHost host = ChunkHost.open(replicaConfig, inherits, store, chunkDir,
                    replicaThreads.next(), fileWriter, logReader, this, reads);
            hosts.currentHosts().put(chunk.id(), host);
            host.start(config.tickMs());
            if (existing != null) {
                log.info("chunk {}: membership changed (epoch {} to {}); sealing the old epoch, "
                        + "the new one starts from its final state", chunk.id(),
                        existing.config().epoch(), chunk.epoch());
                startRetiring(existing);
            } else if (inherits && host.joining()) {
                log.info("chunk {}: joining its group in epoch {}; fetching the chunk from the "
                        + "members", chunk.id(), chunk.epoch());
            }
        } catch (FarmerException e) {
            log.error("chunk {}: cannot serve its replica: {}", chunk.id(), e.getMessage());
        }
    }

    @Override
    public void toPeers(List<PublicKey> members, MicroMessage message) {
        peers.send(members, message);
    }

    @Override
    public void toClient(int clientId, WireMessage message) {
        clients.send(clientId, message);
    }

    public int port() {
        return server.port();
    }

    public long chainHeight() {
        return view.get().height();
    }

    public Set<Long> chunks() {
        return new TreeSet<>(hosts.currentHosts().keySet());
    }

    /** Whether this farmer's replica of the chunk still waits for its epoch's state. */
    public boolean joining(long chunkId) {
        ChunkHost host = hosts.current(chunkId);
        return host != null && host.joining();
    }

    /** The membership epoch of the chunk's replica that clients' operations go to, or -1. */
    public long servingEpoch(long chunkId) {
        ChunkHost host = hosts.current(chunkId);
        return host == null ? -1 : host.config().epoch();
    }

    public long committedHeight(long chunkId) {
        return inspect(chunkId, Replica::committedHeight);
    }

    /**
     * The newest height of the chunk whose pages are all in this farmer's replica file (newer
     * ones are still in memory, readable whole for a peer's snapshot), or -1.
     */
    public long fileHeight(long chunkId) {
        return inspect(chunkId, replica -> replica.state().flushedHeight());
    }

    private long inspect(long chunkId, java.util.function.ToLongFunction<Replica> query) {
        ChunkHost host = hosts.current(chunkId);
        if (host == null) {
            return -1;
        }
        try {
            return host.inspect(query::applyAsLong);
        } catch (Exception e) {
            return -1;
        }
    }

    @Override
    public void close() {
        if (follower != null) {
            follower.close();
        }
        proofSubmitter.close();
        if (server != null) {
            server.close();
        }
        hosts.currentHosts().values().forEach(ChunkHost::close);
        hosts.currentHosts().clear();
        hosts.retiringHosts().values().forEach(ChunkHost::close);
        hosts.retiringHosts().clear();
        if (peers != null) {
            peers.close();
        }
        replicaThreads.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS)
                .syncUninterruptibly();
        fileWriter.shutdown();
        logReader.shutdown();
        try {
            fileWriter.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
            // No read may reach the database once it is closed.
            logReader.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        io.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        store.close();
    }
}
