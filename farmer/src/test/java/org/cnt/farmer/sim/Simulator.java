package org.cnt.farmer.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.crypto.PublicKey;
import org.cnt.chain.micro.ChunkOp;
import org.cnt.chain.micro.MicroBlock;
import org.cnt.chain.micro.MicroMessage;
import org.cnt.chain.micro.Wop;
import org.cnt.farmer.microchain.ChunkGeometry;
import org.cnt.farmer.microchain.Replica;
import org.cnt.farmer.microchain.ReplicaConfig;
import org.cnt.farmer.microchain.ReplicaOutput;
import org.cnt.farmer.microchain.SliceLease;

/**
 * One seeded run of a copy group: real {@link Replica}s wired through a {@link SimNetwork} and
 * {@link SimDisk}s on a simulated clock, a client writing, a forger trying to write what it does
 * not own, up to f Byzantine members, crashes and partitions; then a liveness phase with every
 * fault healed. Checkers run after every step; a failure names the seed and the options.
 */
final class Simulator {
    static final long CHUNK = 5;
    static final long VOLUME = 1;
    static final ChunkGeometry GEOMETRY = new ChunkGeometry(16, 64, 256);
    private static final int TICK_MS = 10;

    private final long seed;
    private final SimOptions options;
    private final Random random;
    private final SimNetwork network;
    private final int n;
    private final List<KeyPair> keys = new ArrayList<>();
    private final List<PublicKey> publicKeys = new ArrayList<>();
    private final ReplicaConfig[] configs;
    private final Replica[] replicas;
    private final SimDisk[] disks;
    private final boolean[] crashed;
    private final int byzantine;
    /** The Byzantine member's second self: it talks to odd members while the first talks to even. */
    private Replica shadow;
    private SimDisk shadowDisk;
    private final SimClient client;
    private final int clientId;
    private final int forgerId;
    private final KeyPair owner = KeyPair.fromLabel("sim-owner");
    private final KeyPair stranger = KeyPair.fromLabel("sim-stranger");
    private final List<MicroMessage> seen = new ArrayList<>();

    private final Map<Long, Hash> canonical = new HashMap<>();
    private final Map<Long, Hash> ackedAt = new HashMap<>();
    private final Map<Long, Hash> rootAt = new HashMap<>();
    private final Set<Hash> forged = new HashSet<>();
    private final SimClock clock = new SimClock();
    /** The membership change (epoch 2): node {@code leaving} hosts the newcomer there. */
    private boolean handedOver;
    private int leaving = -1;
    private List<PublicKey> nextKeys;
    private final ReplicaConfig[] nextConfigs;
    private final Replica[] next;
    private final SimDisk[] nextDisks;
    private final boolean[] baseGiven;
    private final Map<Long, Hash> nextCanonical = new HashMap<>();
    private final Map<Long, Hash> nextAckedAt = new HashMap<>();
    private final Map<Long, Hash> nextRootAt = new HashMap<>();
    private long nextTickAt;
    private long step;
    int snapshotsInstalled;
    int servedFromLog;

    Simulator(long seed, SimOptions options) {
        this.seed = seed;
        this.options = options;
        this.random = new Random(seed);
        this.network = new SimNetwork(random);
        this.n = options.members();
        this.configs = new ReplicaConfig[n];
        this.replicas = new Replica[n];
        this.disks = new SimDisk[n];
        this.crashed = new boolean[n];
        this.nextConfigs = new ReplicaConfig[n];
        this.next = new Replica[n];
        this.nextDisks = new SimDisk[n];
        this.baseGiven = new boolean[n];
        this.byzantine = options.byzantine() ? random.nextInt(n) : -1;
        this.clientId = n;
        this.forgerId = n + 1;
        for (int i = 0; i < n; i++) {
            KeyPair key = KeyPair.fromLabel("sim-member-" + i);
            keys.add(key);
            publicKeys.add(key.publicKey());
        }
        TestLeaseView leases = new TestLeaseView();
        for (int slice = 0; slice < 3; slice++) {
            leases.put(slice, new SliceLease(VOLUME, owner.address(), Long.MAX_VALUE));
        }
        leases.put(3, new SliceLease(2, stranger.address(), Long.MAX_VALUE));
        for (int i = 0; i < n; i++) {
            configs[i] = new ReplicaConfig(CHUNK, 1, publicKeys, i, keys.get(i), GEOMETRY, leases,
                    20, 3, 16, 256, 16, options.brokenQuorum());
            replicas[i] = new Replica(configs[i]);
            disks[i] = new SimDisk(random);
        }
        if (byzantine >= 0) {
            shadow = new Replica(configs[byzantine]);
            shadowDisk = new SimDisk(random);
        }
        this.client = new SimClient(random, owner, CHUNK, VOLUME, new int[] {0, 1, 2},
                GEOMETRY.sliceSizeBytes(), (int) GEOMETRY.chunkSizeBytes(), n);
        if (options.lossyNetwork()) {
            network.dropRate = 0.05;
            network.duplicateRate = 0.05;
        }
    }

    String describe() {
        return "seed=" + seed + " (replay with -Dsim.seed=" + seed + ") options=" + options
                + " byzantine=" + byzantine + " step=" + step + " time=" + clock.nowMs() + "ms";
    }

    /** Runs the safety phase then the liveness phase; throws AssertionError naming the seed. */
    void run() {
        try {
            for (int i = 0; i < options.safetySteps(); i++) {
                if (options.handover() && i == options.safetySteps() / 3) {
                    startHandover();
                }
                maybeInjectFault();
                step();
            }
            heal();
            long deadline = step + options.livenessSteps();
            int quietChecks = 0;
            while (step < deadline) {
                step();
                if (step % 200 == 0) {
                    if (client.issued > 40) {
                        client.writing = false;
                    }
                    quietChecks = converged() ? quietChecks + 1 : 0;
                    if (quietChecks >= 3) {
                        checkConverged();
                        return;
                    }
                }
            }
            throw new AssertionError("no convergence after healing: heights "
                    + Arrays.toString(heights()) + ", certified roots at "
                    + Arrays.toString(anchorHeights()) + ", newest acknowledged write at "
                    + newestAcknowledgedHeight() + handoverState() + ", client unacked "
                    + client.unacked.size()
                    + ", rejections " + client.rejections);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(describe() + ": " + e.getMessage(), e);
        }
    }

    private long[] anchorHeights() {
        long[] heights = new long[n];
        Replica[] group = handedOver ? next : replicas;
        for (int i = 0; i < n; i++) {
            Replica.Anchor anchor = group[i] == null ? null : group[i].readAnchor();
            heights[i] = anchor == null ? -1 : anchor.block().committedHeight();
        }
        return heights;
    }

    private long[] heights() {
        long[] heights = new long[n];
        Replica[] group = handedOver ? next : replicas;
        for (int i = 0; i < n; i++) {
            heights[i] = group[i] == null ? -1 : group[i].committedHeight();
        }
        return heights;
    }

    private String handoverState() {
        if (!handedOver) {
            return "";
        }
        StringBuilder out = new StringBuilder(" (leaving " + leaving + ";");
        for (int i = 0; i < n; i++) {
            out.append(" member ").append(i).append(": epoch 1 height ")
                    .append(replicas[i].committedHeight()).append(replicas[i].sealed()
                            ? " sealed" : " open").append(" view ").append(replicas[i].view())
                    .append(", epoch 2 ").append(next[i].isJoining() ? "joining" : "based")
                    .append(" view ").append(next[i].view()).append(" lock ")
                    .append(next[i].lock().height()).append(";");
        }
        return out.append(")").toString();
    }

    /**
     * The chain gives the chunk to epoch 2: one member leaves, a newcomer with a fresh key takes
     * its place (on its node), every member of epoch 1 is told to seal it, and every member of
     * epoch 2 starts joining: those that stay are handed their own sealed state once they have
     * it, the newcomer must fetch it from them.
     */
    private void startHandover() {
        handedOver = true;
        leaving = random.nextInt(n);
        nextKeys = new ArrayList<>(publicKeys);
        KeyPair newcomer = KeyPair.fromLabel("sim-newcomer");
        nextKeys.set(leaving, newcomer.publicKey());
        for (int i = 0; i < n; i++) {
            KeyPair key = i == leaving ? newcomer : keys.get(i);
            nextConfigs[i] = new ReplicaConfig(CHUNK, 2, nextKeys, i, key, GEOMETRY,
                    configs[i].leases(), 20, 3, 16, 256, 16, false);
            next[i] = Replica.joining(nextConfigs[i]);
            nextDisks[i] = new SimDisk(random);
            if (!crashed[i]) {
                handle(i, replicas[i].seal());
            }
        }
    }

    /** A member that stays starts epoch 2 from its own state once its epoch 1 is sealed. */
    private void handOverBases() {
        for (int i = 0; i < n; i++) {
            if (i != leaving && !crashed[i] && !baseGiven[i] && replicas[i].sealed()
                    && next[i].isJoining()) {
                baseGiven[i] = true;
                handleNext(i, next[i].installBase(replicas[i].baseForNextEpoch()));
            }
        }
    }

    /** A driver checkpoints its log from time to time: older blocks then come by snapshot. */
    private void trimLogsNowAndThen() {
        for (int i = 0; i < n; i++) {
            if (!crashed[i] && random.nextInt(150) == 0) {
                replicas[i].onLogTrimmed(replicas[i].committedHeight() - 1 - random.nextInt(8));
            }
        }
    }

    private void step() {
        step++;
        clock.advanceTo(Math.min(Math.min(network.nextTime(), nextTickAt), nextDiskTime()));
        long now = clock.nowMs();
        for (int i = 0; i < n; i++) {
            if (!crashed[i]) {
                for (SimDisk.Pending done : disks[i].complete(now)) {
                    handle(i, replicas[i].onPersisted(done.token()));
                }
                if (handedOver) {
                    for (SimDisk.Pending done : nextDisks[i].complete(now)) {
                        handleNext(i, next[i].onPersisted(done.token()));
                    }
                }
            }
        }
        if (handedOver) {
            handOverBases();
        }
        if (shadow != null) {
            for (SimDisk.Pending done : shadowDisk.complete(now)) {
                handleShadow(shadow.onPersisted(done.token()));
            }
        }
        checkRootsAndRead();
        SimNetwork.Packet packet = network.next(now);
        if (packet != null) {
            deliver(packet);
        } else if (now >= nextTickAt) {
            nextTickAt = now + TICK_MS;
            for (int i = 0; i < n; i++) {
                if (!crashed[i]) {
                    handle(i, replicas[i].onTick());
                    if (handedOver) {
                        handleNext(i, next[i].onTick());
                    }
                }
            }
            if (shadow != null) {
                handleShadow(shadow.onTick());
            }
            trimLogsNowAndThen();
            for (SimNet.Out out : client.tick()) {
                send(clientId, out.to(), out.message());
            }
            maybeForge();
        }
    }

    /**
     * Honest members at the same committed height hold the same state root, and a page read from
     * any of them verifies against its root (the client's read path).
     */
    private void checkRootsAndRead() {
        for (int i = 0; i < n; i++) {
            if (crashed[i] || i == byzantine) {
                continue;
            }
            long height = replicas[i].committedHeight();
            Hash root = replicas[i].state().root();
            Hash known = rootAt.putIfAbsent(height, root);
            check(known == null || known.equals(root), "member " + i + " holds another state "
                    + "at height " + height);
            if (handedOver && !next[i].isJoining()) {
                Hash nextRoot = next[i].state().root();
                Hash nextKnown = nextRootAt.putIfAbsent(next[i].committedHeight(), nextRoot);
                check(nextKnown == null || nextKnown.equals(nextRoot), "member " + i
                        + " holds another state at height " + next[i].committedHeight()
                        + " of epoch 2");
            }
        }
        if (random.nextInt(50) == 0) {
            int member = random.nextInt(n);
            if (!crashed[member] && member != byzantine) {
                int page = random.nextInt(GEOMETRY.pageCount());
                var state = replicas[member].state();
                check(org.cnt.chain.merkle.PageTree.verify(state.pagesRoot(), page,
                        state.page(page), state.proof(page)), "a page read from member " + member
                        + " does not verify against its root");
            }
        }
    }

    private long nextDiskTime() {
        long earliest = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            if (!crashed[i]) {
                earliest = Math.min(earliest, disks[i].nextTime());
                if (handedOver) {
                    earliest = Math.min(earliest, nextDisks[i].nextTime());
                }
            }
        }
        return earliest;
    }

    private void deliver(SimNetwork.Packet packet) {
        MicroMessage message;
        try {
            message = decode(packet.bytes());
        } catch (CodecException e) {
            return;
        }
        if (packet.to() == clientId) {
            onClientMessage(message);
            return;
        }
        if (packet.to() >= n || crashed[packet.to()]) {
            return;
        }
        if (seen.size() < 500 && random.nextInt(10) == 0) {
            seen.add(message);
        }
        if (handedOver) {
            // As a farmer routes: a member's message by its epoch, an operation to both (the
            // sealed epoch answers with proofs of what it committed).
            long epoch = MicroMessage.epochOf(message);
            if (epoch == 2 || epoch < 0) {
                handleNext(packet.to(), next[packet.to()].onMessage(packet.from(), message));
            }
            if (epoch == 2) {
                return;
            }
        }
        if (packet.to() == byzantine) {
            boolean fromOddSide = packet.from() < n && packet.from() % 2 == 1;
            if (fromOddSide) {
                handleShadow(shadow.onMessage(packet.from(), message));
                return;
            }
            if (packet.from() >= n && random.nextBoolean()) {
                // Each self hears a different half of the clients' operations, so the two
                // branches it proposes really differ.
                handleShadow(shadow.onMessage(packet.from(), message));
                return;
            }
        }
        handle(packet.to(), replicas[packet.to()].onMessage(packet.from(), message));
    }

    private static MicroMessage decode(byte[] bytes) throws CodecException {
        return MicroMessage.decode(bytes);
    }

    private void onClientMessage(MicroMessage message) {
        if (message instanceof MicroMessage.Committed committed) {
            ReplicaConfig config = configs[0];
            boolean second = !committed.chain().isEmpty()
                    && committed.chain().getFirst().epoch() == 2 && handedOver;
            if (!committed.proves(second ? nextKeys : publicKeys, config.quorum())) {
                return;
            }
            Map<Long, Hash> ackedAt = second ? nextAckedAt : this.ackedAt;
            Map<Long, Hash> canonical = second ? nextCanonical : this.canonical;
            MicroBlock block = committed.chain().getFirst();
            Hash earlier = ackedAt.putIfAbsent(block.height(), block.hash());
            check(earlier == null || earlier.equals(block.hash()), "two different blocks were "
                    + "proven committed at height " + block.height());
            Hash known = canonical.get(block.height());
            check(known == null || known.equals(block.hash()), "an acknowledged write is in "
                    + "block " + block.hash() + " but height " + block.height() + " committed "
                    + known);
            check(!forged.contains(committed.opDigest()), "a forged operation was acknowledged");
            client.onCommitted(committed.opDigest());
        } else if (message instanceof MicroMessage.Rejected rejected) {
            client.rejections.add(rejected.reason());
        }
    }

    private void handle(int member, List<ReplicaOutput> outputs) {
        for (ReplicaOutput output : outputs) {
            switch (output) {
                case ReplicaOutput.Send send -> {
                    if (member != byzantine || send.to() >= n || send.to() % 2 == 0) {
                        sendFrom(member, send);
                    }
                }
                case ReplicaOutput.Persist persist -> {
                    if (persist.entry() instanceof org.cnt.farmer.microchain.WalEntry.SnapshotEntry) {
                        snapshotsInstalled++;
                    }
                    disks[member].write(clock.nowMs(), persist.token(), persist.entry());
                }
                case ReplicaOutput.ServeLogged serve -> {
                    MicroMessage reply = serveFromLog(disks[member], serve);
                    if (reply != null) {
                        sendFrom(member, new ReplicaOutput.Send(serve.to(), reply));
                    }
                }
                case ReplicaOutput.Commit commit -> {
                    if (member != byzantine) {
                        onCommit(replicas[member], member, commit, canonical, ackedAt);
                    }
                }
            }
        }
    }

    /** Outputs of a member's epoch-2 replica (the handover runs without a Byzantine member). */
    private void handleNext(int member, List<ReplicaOutput> outputs) {
        for (ReplicaOutput output : outputs) {
            switch (output) {
                case ReplicaOutput.Send send -> send(member, send.to(), send.message());
                case ReplicaOutput.Persist persist -> {
                    if (persist.entry() instanceof org.cnt.farmer.microchain.WalEntry.SnapshotEntry) {
                        snapshotsInstalled++;
                    }
                    nextDisks[member].write(clock.nowMs(), persist.token(), persist.entry());
                }
                case ReplicaOutput.ServeLogged serve -> {
                    MicroMessage reply = serveFromLog(nextDisks[member], serve);
                    if (reply != null) {
                        send(member, serve.to(), reply);
                    }
                }
                case ReplicaOutput.Commit commit -> onCommit(next[member], member, commit,
                        nextCanonical, nextAckedAt);
            }
        }
    }

    /**
     * A catch-up reply read back from a member's log. Now and then a checkpoint is taken to have
     * dropped the tail of what was asked (the reply stops early), and now and then the member's
     * driver tells it its log was trimmed, so peers get snapshots too.
     */
    private MicroMessage serveFromLog(SimDisk disk, ReplicaOutput.ServeLogged serve) {
        servedFromLog++;
        int cut = random.nextInt(8) == 0 ? random.nextInt(serve.blocks().size()) : -1;
        List<Hash> kept = serve.blocks().stream().limit(cut < 0 ? Long.MAX_VALUE : cut)
                .map(ReplicaOutput.LoggedBlock::hash).toList();
        return serve.reply(hash -> kept.contains(hash) ? disk.durableBlock(hash) : null);
    }

    /** The shadow's outputs go to odd members and clients only; it never counts as honest. */
    private void handleShadow(List<ReplicaOutput> outputs) {
        for (ReplicaOutput output : outputs) {
            if (output instanceof ReplicaOutput.Send send
                    && (send.to() >= n || send.to() % 2 == 1)) {
                sendFrom(byzantine, send);
            } else if (output instanceof ReplicaOutput.Persist persist) {
                shadowDisk.write(clock.nowMs(), persist.token(), persist.entry());
            }
        }
    }

    private void sendFrom(int member, ReplicaOutput.Send send) {
        if (member != byzantine) {
            send(member, send.to(), send.message());
            return;
        }
        MicroMessage message = send.message();
        int roll = random.nextInt(10);
        if (message instanceof MicroMessage.VoteMsg vote && roll < 3) {
            if (roll == 0) {
                byte[] forgedSignature = vote.vote().signature().clone();
                forgedSignature[0] ^= 1;
                send(member, send.to(), new MicroMessage.VoteMsg(CHUNK, new org.cnt.chain.micro.Vote(
                        vote.vote().chunkId(), vote.vote().epoch(), vote.vote().view(),
                        vote.vote().height(), vote.vote().blockHash(), vote.vote().voter(),
                        forgedSignature)));
            }
            return;
        }
        if (message instanceof MicroMessage.BlockResponse response && roll < 5) {
            List<MicroMessage.Proposal> lying = new ArrayList<>(response.blocks());
            MicroMessage.Proposal first = lying.getFirst();
            lying.set(0, new MicroMessage.Proposal(CHUNK, first.block(), List.of()));
            send(member, send.to(), new MicroMessage.BlockResponse(CHUNK, lying,
                    response.lastQc()));
            return;
        }
        if (message instanceof MicroMessage.Proposal proposal && roll == 5
                && !proposal.ops().isEmpty()) {
            ChunkOp.WopBatch wrong = ChunkOp.WopBatch.sign(owner, VOLUME, CHUNK,
                    Hash.sha256("wrong".getBytes()), List.of(new Wop(0, 1, 0, new byte[] {9})));
            List<ChunkOp> ops = new ArrayList<>(proposal.ops());
            ops.set(0, wrong);
            send(member, send.to(), new MicroMessage.Proposal(CHUNK, proposal.block(), ops));
            return;
        }
        if (roll == 9 && !seen.isEmpty()) {
            send(member, random.nextInt(n), seen.get(random.nextInt(seen.size())));
        }
        send(member, send.to(), message);
    }

    private void send(int from, int to, MicroMessage message) {
        network.send(clock.nowMs(), from, to, message.toBytes());
    }

    private void onCommit(Replica replica, int member, ReplicaOutput.Commit commit,
                          Map<Long, Hash> canonical, Map<Long, Hash> ackedAt) {
        MicroBlock block = commit.block();
        Hash previous = canonical.putIfAbsent(block.height(), block.hash());
        check(previous == null || previous.equals(block.hash()), "member " + member
                + " committed " + block.hash() + " at height " + block.height() + " where "
                + previous + " was committed");
        Hash acked = ackedAt.get(block.height());
        check(acked == null || acked.equals(block.hash()), "member " + member + " committed "
                + "over an acknowledged block at height " + block.height());
        for (Map.Entry<Long, Hash> mine : replica.committedHashes()
                .tailMap(block.height() - 64, true).entrySet()) {
            Hash known = canonical.get(mine.getKey());
            check(known == null || mine.getKey() == 0 || known.equals(mine.getValue()),
                    "member " + member + "'s committed log is not a prefix of the others' at "
                    + "height " + mine.getKey());
        }
        for (ChunkOp op : commit.ops()) {
            if (op instanceof ChunkOp.Seal seal) {
                check(handedOver && seal.epoch() == 1 && publicKeys.contains(seal.owner()),
                        "a seal was committed that no member was told to make: " + seal);
                continue;
            }
            check(op.signatureValid() && op.owner().equals(owner.publicKey())
                    && !forged.contains(op.digest()), "a write not signed by the slice owner "
                    + "was committed: " + op);
        }
    }

    private void maybeForge() {
        if (random.nextInt(20) != 0) {
            return;
        }
        ChunkOp op = switch (random.nextInt(3)) {
            case 0 -> ChunkOp.WopBatch.sign(stranger, VOLUME, CHUNK,
                    Hash.sha256(("session-" + owner.publicKey()).getBytes()),
                    List.of(new Wop(random.nextInt(3), 1 + random.nextInt(5), 0, new byte[] {6})));
            case 1 -> ChunkOp.OpenSession.sign(stranger, VOLUME, CHUNK, Hash.sha256(
                    "stolen".getBytes()));
            default -> {
                ChunkOp.WopBatch real = ChunkOp.WopBatch.sign(owner, VOLUME, CHUNK,
                        Hash.sha256(("session-" + owner.publicKey()).getBytes()),
                        List.of(new Wop(0, 1 + random.nextInt(50), 0, new byte[] {7})));
                byte[] bad = real.signature().clone();
                bad[5] ^= 1;
                yield new ChunkOp.WopBatch(real.volumeId(), real.chunkId(), real.sessionId(),
                        real.owner(), real.wops(), bad);
            }
        };
        forged.add(op.digest());
        send(forgerId, random.nextInt(n), new MicroMessage.Submit(CHUNK, op));
    }

    private void maybeInjectFault() {
        int roll = random.nextInt(2000);
        if (options.crashes() && roll < 3) {
            int victim = random.nextInt(n);
            if (victim != byzantine && !crashed[victim] && crashedCount() < 1) {
                crashed[victim] = true;
                disks[victim].crash();
                replicas[victim] = null;
                if (handedOver) {
                    nextDisks[victim].crash();
                    next[victim] = null;
                }
            }
        } else if (options.crashes() && roll < 8) {
            for (int i = 0; i < n; i++) {
                if (crashed[i]) {
                    restart(i);
                }
            }
        } else if (options.partitions() && roll < 10) {
            network.isolate(random.nextInt(n));
        } else if (options.partitions() && roll < 14) {
            network.isolated().clear();
        }
    }

    private int crashedCount() {
        int count = 0;
        for (boolean c : crashed) {
            count += c ? 1 : 0;
        }
        return count;
    }

    private void restart(int member) {
        crashed[member] = false;
        replicas[member] = Replica.recover(configs[member], disks[member].durableEntries());
        if (handedOver) {
            // A restarted farmer still sees the chain's epoch 2: it seals epoch 1 again, and its
            // epoch-2 replica keeps a base it logged, or joins again.
            handle(member, replicas[member].seal());
            next[member] = Replica.recover(nextConfigs[member],
                    nextDisks[member].durableEntries(), true);
            baseGiven[member] = !next[member].isJoining();
        }
    }

    private void heal() {
        network.heal();
        for (int i = 0; i < n; i++) {
            if (crashed[i]) {
                restart(i);
            }
        }
    }

    private boolean converged() {
        long height = -1;
        Replica[] group = handedOver ? next : replicas;
        for (int i = 0; i < n; i++) {
            if (i == byzantine) {
                continue;
            }
            if (group[i].isJoining()) {
                return false;
            }
            long h = group[i].committedHeight();
            if (height >= 0 && h != height) {
                return false;
            }
            height = h;
            // A reader asks for a root certified at or above the height its write committed at.
            Replica.Anchor anchor = group[i].readAnchor();
            if (anchor == null || anchor.block().committedHeight() < newestAcknowledgedHeight()) {
                return false;
            }
        }
        return client.unacked.isEmpty() && !client.writing;
    }

    private long newestAcknowledgedHeight() {
        Map<Long, Hash> acked = handedOver ? nextAckedAt : ackedAt;
        return acked.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    private void checkConverged() {
        byte[] reference = null;
        Hash root = null;
        Replica[] replicas = handedOver ? next : this.replicas;
        ReplicaConfig[] configs = handedOver ? nextConfigs : this.configs;
        for (int i = 0; i < n; i++) {
            if (i == byzantine) {
                continue;
            }
            byte[] bytes = replicas[i].state().read(0, (int) GEOMETRY.chunkSizeBytes());
            if (reference == null) {
                reference = bytes;
                root = replicas[i].state().root();
            }
            check(Arrays.equals(reference, bytes), "replica " + i + " holds other bytes");
            check(root.equals(replicas[i].state().root()), "replica " + i + " has another root");
            Replica.Anchor anchor = replicas[i].readAnchor();
            check(anchor.qc().blockHash().equals(anchor.block().hash())
                    && anchor.qc().verify(configs[i].members(), configs[i].quorum())
                    && anchor.block().committedRoot().equals(root), "replica " + i
                    + " offers readers no certified root of its state");
        }
        check(Arrays.equals(reference, client.model), "the replicas do not hold what the client "
                + "wrote and had acknowledged");
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }

    long stepsRun() {
        return step;
    }

    int acknowledged() {
        return client.acked.size();
    }
}
