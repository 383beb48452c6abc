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
import org.cnt.farmer.microchain.ReplicaConfig;
import org.cnt.farmer.store.ReplicaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The wiring of a running farmer; {@code FarmerDaemon} is its public face. */
public final class FarmerRuntime implements Outbox, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FarmerRuntime.class);
    private static final int MAX_OPS_PER_BLOCK = 256;
    private static final int MAX_PENDING_OPS = 4096;
    private static final int RETAIN_BLOCKS = 256;

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
    private final Map<Long, ChunkHost> hosts = new ConcurrentHashMap<>();
    private final ClientConnections clients = new ClientConnections();
    private final AtomicReference<ChainView> view = new AtomicReference<>();
    private final ChainLeaseView leases = new ChainLeaseView(view);
    private final ReadService reads = new ReadService();
    private final NodeClient node;
    private PeerLinks peers;
    private WireServer server;
    private ChainFollower follower;

    private FarmerRuntime(FarmerConfig config, ReplicaStore store) {
        this.config = config;
        this.chunkDir = config.dir().resolve("chunks");
        this.store = store;
        this.replicaThreads = new DefaultEventExecutorGroup(config.replicaThreads());
        this.node = new NodeClient(config.nodeUrl());
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

    /** Opens a replica for every full chunk the chain gives this farmer; closes the others. */
    private synchronized void assign(ChainView current) {
        Long self = current.farmerId(config.key().publicKey());
        Set<Long> mine = new TreeSet<>();
        if (self != null) {
            for (Views.Chunk chunk : current.chunks().values()) {
                if (chunk.full() && chunk.members().contains(self)) {
                    mine.add(chunk.id());
                    open(current, chunk, chunk.members().indexOf(self));
                }
            }
        }
        hosts.entrySet().removeIf(entry -> {
            if (mine.contains(entry.getKey())) {
                return false;
            }
            log.info("chunk {}: no longer assigned to this farmer; replica closed",
                    entry.getKey());
            entry.getValue().close();
            return true;
        });
    }

    private void open(ChainView current, Views.Chunk chunk, int self) {
        ChunkHost existing = hosts.get(chunk.id());
        if (existing != null && existing.config().epoch() == chunk.epoch()) {
            return;
        }
        List<PublicKey> members = current.memberKeys(chunk);
        if (members == null) {
            return;
        }
        ChainParams params = current.params();
        ChunkGeometry geometry = ChunkGeometry.production(params.chunkSizeBytes(),
                params.sliceSizeBytes());
        ReplicaConfig replicaConfig = new ReplicaConfig(chunk.id(), chunk.epoch(), members, self,
                config.key(), geometry, leases, config.leaderTimeoutTicks(), 3,
                MAX_OPS_PER_BLOCK, MAX_PENDING_OPS, RETAIN_BLOCKS, false);
        try {
            ChunkHost host = ChunkHost.open(replicaConfig, store, chunkDir, replicaThreads.next(),
                    fileWriter, this, reads);
            if (existing != null) {
                existing.close();
                log.warn("chunk {}: membership changed (epoch {} to {}); the new group starts "
                        + "its own chain", chunk.id(), existing.config().epoch(), chunk.epoch());
            }
            hosts.put(chunk.id(), host);
            host.start(config.tickMs());
        } catch (FarmerException e) {
            log.error("chunk {}: cannot serve its replica: {}", chunk.id(), e.getMessage());
        }
    }

    @Override
    public void toMember(long chunkId, int member, MicroMessage message) {
        peers.send(chunkId, member, message);
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
        return new TreeSet<>(hosts.keySet());
    }

    public long committedHeight(long chunkId) {
        ChunkHost host = hosts.get(chunkId);
        if (host == null) {
            return -1;
        }
        try {
            return host.inspect(replica -> replica.committedHeight());
        } catch (Exception e) {
            return -1;
        }
    }

    @Override
    public void close() {
        if (follower != null) {
            follower.close();
        }
        if (server != null) {
            server.close();
        }
        hosts.values().forEach(ChunkHost::close);
        hosts.clear();
        if (peers != null) {
            peers.close();
        }
        replicaThreads.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS)
                .syncUninterruptibly();
        fileWriter.shutdown();
        try {
            fileWriter.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        io.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        store.close();
    }
}
