package org.cnt.farmer.microchain;

import org.cnt.chain.micro.ChunkMeta;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.micro.CertificateCache;
import org.cnt.chain.micro.ChunkOp;
import org.cnt.chain.micro.MicroBlock;
import org.cnt.chain.micro.MicroMessage;
import org.cnt.chain.micro.NewView;
import org.cnt.chain.micro.QuorumCert;
import org.cnt.chain.micro.Vote;

/**
 * One member of a chunk's copy group running the micro-chain protocol, as a state machine with no
 * I/O, clock or threads: inputs are messages, ticks and storage completions; outputs are
 * {@link ReplicaOutput}s. See the package documentation for the protocol and its safety argument.
 */
public final class Replica {
    private static final int MAX_BUFFERED_PROPOSALS = 8;
    /** Lost messages are sent again this often, so one drop does not cost a view change. */
    private static final int RESEND_TICKS = 3;
    /** A proposal still unanswered is resent less and less often: under load it is just slow. */
    private static final int MAX_RESEND_TICKS = 4 * RESEND_TICKS;
    private static final int CERTIFICATE_RESENDS = 4;
    /** A follower forgets a forwarded operation after this many views without it committing. */
    private static final int MAX_FORWARD_VIEWS = 3;
    private static final int SYNC_TICKS = 30;
    /**
     * A block stops taking operations past this much written data, so proposals and catch-up
     * replies stay well inside a frame and votes are not held up behind one huge transfer. Not
     * less: every block costs each member a quorum certificate to check, and at 1 MiB signature
     * checks were a tenth of the CPU of a 128 KiB write stream (4 MiB: under a twentieth).
     */
    static final long MAX_BLOCK_DATA_BYTES = 4 << 20;

    private final ReplicaConfig config;
    private BlockTree tree;
    private SnapshotAssembly assembly;
    private final OpValidator validator;
    private final CertificateCache certificates = new CertificateCache(256);
    private List<ReplicaOutput> out = new ArrayList<>();

    private long view;
    private long votedView;
    private long votedHeight;
    private Vote lastVote;
    private QuorumCert lock;
    private MicroMessage.Proposal outstanding;
    private int resendCountdown;
    private int resendInterval = RESEND_TICKS;
    private int certificateResends;

    private long nextToken = 1;
    private final Map<Long, List<ReplicaOutput>> heldUntilPersisted = new HashMap<>();

    private final PendingOps pendingOps;
    private Hash awaitingVotes;
    private final Map<Hash, TreeMap<Integer, Vote>> votes = new HashMap<>();
    private final Map<Long, Map<Integer, NewView>> newViews = new HashMap<>();
    private boolean leading;
    private int newViewWait = -1;

    private int silentTicks;
    /** This member reached its view by its own timeout, not pulled by others or a proposal. */
    private NewView ownTimeout;
    /** The highest view each member's verified new-view message named (this member's too). */
    private final Map<Integer, Long> highestViewOf = new HashMap<>();
    private int consecutiveViewChanges;
    private int catchUpCooldown;
    private int syncCountdown = SYNC_TICKS;
    private int catchUpAttempts;
    private int catchUpRotation;
    /** Blocks adopted from peers' catch-up replies, ever: how a host tells catch-up apart. */
    private long blocksFetched;
    /** The durable log holds no committed block at or below this height (its driver trimmed it). */
    private long logFloor;
    private final List<Buffered> buffered = new ArrayList<>();
    /** The main chain gave the chunk to a later epoch: this one is to be sealed. */
    private boolean sealDue;
    /**
     * A member of an epoch that has not got the epoch's starting state yet (new to the group, or
     * its own copy of the sealed predecessor is not at hand): it neither votes nor leads until it
     * installs a snapshot verified against a certified root, or is handed its own sealed state.
     */
    private boolean joining;
    private int joinCountdown;
    /** Where the chunk's pages live; null: in memory. */
    private final PageBase pageBase;

    /** A proposal that arrived before its parent. */
    private record Buffered(int from, MicroMessage.Proposal proposal) {
    }

    public Replica(ReplicaConfig config) {
        this(config, null);
    }

    /**
     * {@code pages}: where the chunk's pages live (the replica's file), empty at height 0; null
     * keeps them in memory.
     */
    private Replica(ReplicaConfig config, PageBase pages) {
        this.config = config;
        this.pageBase = pages;
        ChunkState state = pages == null ? new ChunkState(config.geometry())
                : new ChunkState(config.geometry(), pages);
        this.tree = new BlockTree(state, MicroBlock.genesisHash(config.chunkId(), config.epoch()),
                config.retainBlocks());
        this.validator = new OpValidator(config.chunkId(), config.epoch(), config.members(),
                config.geometry(), config.leases());
        this.lock = QuorumCert.genesis(config.chunkId(), config.epoch());
        this.pendingOps = new PendingOps(config.maxPendingOps());
        this.leading = config.leader(0) == config.self();
    }

    /**
     * A member of an epoch that inherits its predecessor's state without holding it: it waits for
     * a verified snapshot (or {@link #installBase}) before it takes part.
     */
    public static Replica joining(ReplicaConfig config) {
        Replica replica = new Replica(config);
        replica.joining = true;
        return replica;
    }

    /** Rebuilds a replica from its write-ahead entries after a crash or restart. */
    public static Replica recover(ReplicaConfig config, List<WalEntry> entries) {
        return recover(config, entries, false);
    }

    /**
     * Rebuilds a replica from its write-ahead entries; {@code joining} as for {@link #joining}:
     * a logged snapshot (a base installed before the crash) ends the joining.
     */
    public static Replica recover(ReplicaConfig config, List<WalEntry> entries,
                                  boolean joining) {
        return recover(config, null, entries, joining);
    }

    /**
     * As {@link #recover(ReplicaConfig, List, boolean)}, with the chunk's pages in {@code pages}
     * (the replica's file): a snapshot entry without pages is a checkpoint the file holds.
     */
    public static Replica recover(ReplicaConfig config, PageBase pages, List<WalEntry> entries,
                                  boolean joining) {
        Replica replica = new Replica(config, pages);
        replica.joining = joining;
        Map<Hash, WalEntry.BlockEntry> blocks = new HashMap<>();
        List<WalEntry.CommitEntry> commits = new ArrayList<>();
        for (WalEntry entry : entries) {
            switch (entry) {
                case WalEntry.BlockEntry b -> blocks.put(b.block().hash(), b);
                case WalEntry.VoteEntry v -> {
                    if (v.view() > replica.votedView || v.view() == replica.votedView
                            && v.height() > replica.votedHeight) {
                        replica.votedView = v.view();
                        replica.votedHeight = v.height();
                    }
                }
                case WalEntry.LockEntry l -> replica.raiseLock(l.lock());
                case WalEntry.CommitEntry c -> commits.add(c);
                case WalEntry.SnapshotEntry snap -> replica.installSnapshot(snap.height(),
                        snap.hash(), snap.meta(), snap.pages());
            }
        }
        for (WalEntry.BlockEntry b : blocks.values()) {
            replica.raiseLock(b.block().justify());
        }
        if (replica.joining) {
            // Without the epoch's starting state, logged blocks would apply to the wrong base;
            // the snapshot it waits for replaces them anyway.
            replica.view = Math.max(replica.votedView, replica.lock.view());
            replica.leading = false;
            return replica;
        }
        commits.sort((a, b) -> Long.compare(a.height(), b.height()));
        for (WalEntry.CommitEntry commit : commits) {
            if (commit.height() == replica.tree.committedHeight() + 1) {
                WalEntry.BlockEntry b = blocks.get(commit.hash());
                if (b == null) {
                    break;
                }
                replica.tree.add(b.block(), b.ops(), null);
                replica.tree.commitTo(commit.hash());
            }
        }
        replica.rebuildProofs(commits, blocks);
        for (WalEntry.BlockEntry b : blocks.values()) {
            replica.tree.add(b.block(), b.ops(), null);
        }
        replica.view = Math.max(replica.votedView, replica.lock.view());
        replica.leading = config.leader(replica.view) == config.self() && replica.view == 0;
        return replica;
    }

    /**
     * Restores the commit proofs of logged operations, so a client whose acknowledgement was
     * lost can still get it from a member that restarted since.
     */
    private void rebuildProofs(List<WalEntry.CommitEntry> commits,
                               Map<Hash, WalEntry.BlockEntry> blocks) {
        Map<Long, Hash> hashAt = new HashMap<>();
        for (WalEntry.CommitEntry commit : commits) {
            hashAt.put(commit.height(), commit.hash());
        }
        for (WalEntry.CommitEntry commit : commits) {
            if (commit.certifying() == null) {
                continue;
            }
            List<MicroBlock> chain = new ArrayList<>();
            for (long h = commit.height(); h < commit.certifying().height(); h++) {
                WalEntry.BlockEntry block = hashAt.get(h) == null ? null
                        : blocks.get(hashAt.get(h));
                if (block == null) {
                    chain = null;
                    break;
                }
                chain.add(block.block());
            }
            if (chain == null || chain.isEmpty()) {
                continue;
            }
            chain.add(commit.certifying());
            for (Hash digest : chain.getFirst().opDigests()) {
                pendingOps.committed(digest, new MicroMessage.Committed(config.chunkId(),
                        digest, chain, commit.proofQc()));
            }
        }
    }

    // ---- inputs

    public List<ReplicaOutput> onMessage(int from, MicroMessage message) {
        if (message.chunkId() != config.chunkId()) {
            return drain();
        }
        switch (message) {
            case MicroMessage.Submit submit -> onSubmit(from, submit.op());
            case MicroMessage.Proposal proposal -> onProposal(from, proposal);
            case MicroMessage.VoteMsg vote -> onVote(from, vote.vote());
            case MicroMessage.Certificate certificate -> onCertificate(from, certificate.qc());
            case MicroMessage.NewViewMsg newView -> onNewView(from, newView.newView());
            case MicroMessage.BlockRequest request -> onBlockRequest(from, request);
            case MicroMessage.BlockResponse response -> onBlockResponse(from, response);
            case MicroMessage.StateResponse part -> onStateResponse(from, part);
            default -> {
                // State transfer and client notices are not for replicas in this version.
            }
        }
        return drain();
    }

    public List<ReplicaOutput> onTick() {
        if (catchUpCooldown > 0) {
            catchUpCooldown--;
        }
        if (joining) {
            if (--joinCountdown <= 0) {
                joinCountdown = RESEND_TICKS * 2;
                requestSnapshot(-1);
            }
            return drain();
        }
        if (--syncCountdown <= 0) {
            // Anti-entropy: an idle replica that missed blocks hears of no certificate that
            // would tell it so, so it asks a peer now and then.
            syncCountdown = SYNC_TICKS;
            requestCatchUp(-1);
        }
        if (leading && newViewWait > 0 && --newViewWait == 0) {
            maybePropose();
        }
        if (leading && --resendCountdown <= 0) {
            if (outstanding != null) {
                resendProposal();
            } else if (certificateResends > 0) {
                resendCountdown = RESEND_TICKS;
                certificateResends--;
                broadcast(new MicroMessage.Certificate(config.chunkId(), lock));
            }
        }
        if (hasWork()) {
            silentTicks++;
            int limit = config.timeoutTicks() << Math.min(consecutiveViewChanges, 6);
            if (silentTicks >= limit && aloneAhead()) {
                // Timing out again would only run further ahead of the group (whose timers run
                // as fast): wait in this view, where the others arrive by their own timeouts,
                // and tell them again that this member is here. Without this, one member ahead
                // and one that cannot vote (a crashed or joining one) leave too few voters in
                // any one view, for ever.
                silentTicks = 0;
                broadcast(new MicroMessage.NewViewMsg(config.chunkId(), ownTimeout));
                for (PendingOps.Entry pending : pendingOps.entries()) {
                    broadcast(new MicroMessage.Submit(config.chunkId(), pending.op()));
                }
            } else if (silentTicks >= limit) {
                // Tell the others what is waiting, so they watch the leader too and a view change
                // gathers the f + 1 members it needs (the client talked to this member only).
                for (PendingOps.Entry pending : pendingOps.entries()) {
                    broadcast(new MicroMessage.Submit(config.chunkId(), pending.op()));
                }
                consecutiveViewChanges++;
                NewView mine = enterView(view + 1);
                // Unless f + 1 others pulled it further at once, it is here on its own timeout.
                ownTimeout = view == mine.view() ? mine : null;
            }
        } else {
            silentTicks = 0;
        }
        maybePropose();
        return drain();
    }

    /**
     * The main chain moved the chunk to a later epoch: stop ordering writes here. The leader
     * proposes a seal and commits it by the two-chain rule; writes acknowledged in this epoch are
     * all below it, and writes still waiting are refused with {@code epoch_changed} once it is
     * committed, so their clients send them to the next group.
     */
    public List<ReplicaOutput> seal() {
        if (!sealDue) {
            sealDue = true;
            validator.sealDue();
        }
        maybePropose();
        return drain();
    }

    /**
     * Hands a joining member the starting state of its epoch from its own sealed predecessor
     * (trusted: it is this farmer's own committed state); it is logged like a snapshot.
     */
    public List<ReplicaOutput> installBase(WalEntry.SnapshotEntry base) {
        if (joining) {
            persist(new WalEntry.SnapshotEntry(0, tree.committedHash(), base.meta(),
                    base.pages()));
            installSnapshot(0, tree.committedHash(), base.meta(), base.pages());
        }
        return drain();
    }

    public List<ReplicaOutput> onPersisted(long token) {
        List<ReplicaOutput> held = heldUntilPersisted.remove(token);
        if (held != null) {
            for (ReplicaOutput output : held) {
                if (output instanceof ReplicaOutput.Send send
                        && send.message() instanceof MicroMessage.VoteMsg durable) {
                    lastVote = durable.vote();
                }
                if (output instanceof ReplicaOutput.Send send && send.to() == config.self()
                        && send.message() instanceof MicroMessage.VoteMsg own) {
                    onVote(config.self(), own.vote());
                } else {
                    out.add(output);
                }
            }
        }
        return drain();
    }

    // ---- observers (for the driver and the simulator's checkers)

    public long view() {
        return view;
    }

    /** Whether a seal of this epoch is committed: the epoch's state is final. */
    public boolean sealed() {
        return tree.state().meta().sealed();
    }

    /** Whether this member still waits for the epoch's starting state. */
    public boolean isJoining() {
        return joining;
    }

    /**
     * The state the chunk's next epoch starts from: the committed pages and metadata of this
     * sealed epoch, open for writes again. The page arrays are shared, never modified.
     */
    public WalEntry.SnapshotEntry baseForNextEpoch() {
        if (!sealed()) {
            throw new IllegalStateException("chunk " + config.chunkId() + " epoch "
                    + config.epoch() + " is not sealed");
        }
        return new WalEntry.SnapshotEntry(0, null, tree.state().meta().unsealed(),
                tree.state().writtenPages());
    }

    public long committedHeight() {
        return tree.committedHeight();
    }

    /** How many blocks this replica took from peers' catch-up replies since it started. */
    public long blocksFetched() {
        return blocksFetched;
    }

    /**
     * Whether this replica's committed chain is as far as the newest certificate it has seen
     * allows: a block commits only under two certified descendants of its view, so the newest
     * certified block and its parent may still be waiting.
     */
    public boolean levelWithLock() {
        return lock.height() - tree.committedHeight() <= 2;
    }

    /** Hashes of the newest committed blocks by height: a bounded window, for checkers. */
    public java.util.NavigableMap<Long, Hash> committedHashes() {
        return tree.committedHashes();
    }

    public Hash committedHash() {
        return tree.committedHash();
    }

    /** The hash of a recent committed block, or null beyond the window. */
    public Hash committedHash(long height) {
        return tree.committedHashes().get(height);
    }

    /** The chunk metadata at one of the last few committed heights, or null. */
    public ChunkMeta committedMeta(long height) {
        return tree.metaAt(height);
    }

    public ChunkState state() {
        return tree.state();
    }

    public QuorumCert lock() {
        return lock;
    }

    public boolean isLeader() {
        return leading;
    }

    public ReplicaConfig config() {
        return config;
    }

    /**
     * One line on where this member stands, for an operator (and a test) to see why a chunk
     * does not move: its view and leadership, certified and committed heights, whether it knows
     * the block its lock certifies, and what it waits for.
     */
    public String describe() {
        MicroBlock locked = lockBlock();
        return "view " + view + (leading ? " (leading)" : "") + ", lock " + lock.height()
                + "@view " + lock.view() + (locked == null ? " (block unknown)" : " stating "
                + locked.committedHeight()) + ", committed " + tree.committedHeight()
                + ", newest operation at " + tree.newestOpHeight() + ", " + pendingOps.size()
                + " operations pending" + (awaitingVotes != null ? ", awaiting votes" : "")
                + (joining ? ", joining" : "") + (sealed() ? ", sealed" : "")
                + ", voted " + votedHeight + "@view " + votedView + ", silent " + silentTicks
                + " ticks";
    }

    /** A certified block and its certificate: what a reader checks served pages against. */
    public record Anchor(MicroBlock block, QuorumCert qc) {
    }

    /**
     * The certified block whose stated root is this replica's committed state, so pages served
     * from that state verify against it; null while no such block exists (the leader publishes
     * one shortly after each commit that changed the chunk).
     */
    public Anchor readAnchor() {
        if (joining) {
            return null;
        }
        MicroBlock block = lockBlock();
        return block != null && block.committedRoot().equals(tree.state().root())
                ? new Anchor(block, lock) : null;
    }

    private MicroBlock lockBlock() {
        BlockTree.Node node = tree.pendingNode(lock.blockHash());
        MicroBlock block = node != null ? node.block() : tree.committedBlock(lock.height());
        return block != null && block.hash().equals(lock.blockHash()) ? block : null;
    }

    /**
     * Whether an operation committed since the newest certified root statement, so a reader that
     * asks for state at least as new as its commit cannot be served yet: then the leader proposes
     * a block (empty if need be) stating the root. Judged by height, not by whether the root
     * changed: an operation that leaves the chunk as it was (a session reopened on the same
     * terms) still has a client waiting for a statement at its height.
     */
    private boolean rootStatementStale() {
        if (lock.isGenesis()) {
            return true;
        }
        MicroBlock block = lockBlock();
        return block != null && block.committedHeight() < tree.newestOpHeight();
    }

    private List<ReplicaOutput> drain() {
        List<ReplicaOutput> result = out;
        out = new ArrayList<>();
        return result;
    }

    private void send(int to, MicroMessage message) {
        if (to == config.self()) {
            return;
        }
        out.add(new ReplicaOutput.Send(to, message));
    }

    private void broadcast(MicroMessage message) {
        for (int member = 0; member < config.groupSize(); member++) {
            send(member, message);
        }
    }

    private long persist(WalEntry entry) {
        long token = nextToken++;
        out.add(new ReplicaOutput.Persist(token, entry));
        return token;
    }

    private boolean hasWork() {
        if (joining) {
            return false;
        }
        if (!pendingOps.isEmpty() || awaitingVotes != null || rootStatementStale()) {
            return true;
        }
        return tree.chainTo(lock.blockHash()) == null ? lock.height() > tree.committedHeight()
                : tree.chainHasOps(lock.blockHash());
    }

    private void progress() {
        silentTicks = 0;
    }

    // ---- clients

    private void onSubmit(int from, ChunkOp op) {
        Hash digest = op.digest();
        MicroMessage.Committed done = pendingOps.proofOf(digest);
        if (done != null) {
            if (from >= config.groupSize()) {
                send(from, done);
            }
            return;
        }
        if (op instanceof ChunkOp.Seal) {
            // A leader makes the seal itself; nobody submits one.
            return;
        }
        if (joining) {
            // No state to judge it by yet: the leader will. Kept, so a view change forwards it
            // to the next leader (this member may be the one that cannot lead).
            if (!pendingOps.isFull()) {
                pendingOps.add(digest, op, from);
            }
            int leader = config.leader(view);
            if (leader != config.self() && from >= config.groupSize()) {
                send(leader, new MicroMessage.Submit(config.chunkId(), op));
            }
            return;
        }
        if (sealed()) {
            send(from, epochChanged(digest));
            return;
        }
        if (pendingOps.contains(digest)) {
            return;
        }
        if (pendingOps.isFull()) {
            send(from, new MicroMessage.Rejected(config.chunkId(), digest,
                    "busy: " + config.maxPendingOps() + " operations are waiting; retry"));
            return;
        }
        if (!validator.signatureValid(op)) {
            send(from, new MicroMessage.Rejected(config.chunkId(), digest,
                    "bad_signature: the owner signature does not verify"));
            return;
        }
        if (refusedForGood(from, op, digest)) {
            return;
        }
        pendingOps.add(digest, op, from);
        int leader = config.leader(view);
        if (leader != config.self() && from >= config.groupSize()) {
            send(leader, new MicroMessage.Submit(config.chunkId(), op));
        }
        maybePropose();
    }

    /**
     * Every member checks an operation before it watches the leader for it: one that can never
     * pass (forged, not the owner's, outside the slice...) is refused to the client at once
     * instead of making the group change views over it.
     */
    private boolean refusedForGood(int from, ChunkOp op, Hash digest) {
        ChunkMeta meta = tree.metaAfter(lock.blockHash());
        OpValidator.Outcome outcome = validator.validate(op, meta != null ? meta
                : tree.state().meta());
        if (outcome.accepted() || outcome.refusal().transientRefusal()
                || tree.opsInChainTo(lock.blockHash()).contains(digest)) {
            return false;
        }
        send(from, new MicroMessage.Rejected(config.chunkId(), digest,
                outcome.refusal().toString()));
        return true;
    }

    private MicroMessage.Rejected epochChanged(Hash digest) {
        return new MicroMessage.Rejected(config.chunkId(), digest, "epoch_changed: epoch "
                + config.epoch() + " of chunk " + config.chunkId() + " is sealed and did not "
                + "order this write; send it to the chunk's next copy group");
    }

    // ---- leader

    private void maybePropose() {
        if (!leading || awaitingVotes != null || joining) {
            return;
        }
        if (newViewWait > 0) {
            return;
        }
        long height = lock.height() + 1;
        if (view < votedView || view == votedView && height <= votedHeight) {
            // It already voted at this rank (say, before a crash): proposing again would make an
            // honest leader equivocate. The view will time out and move on.
            return;
        }
        ChunkMeta meta = tree.metaAfter(lock.blockHash());
        if (meta == null) {
            requestCatchUp(config.leader(lock.view()));
            return;
        }
        List<ChunkOp> ops = new ArrayList<>();
        if (sealDue && !meta.sealed()) {
            // The seal goes alone: what waits now is for the next group.
            ChunkOp seal = ChunkOp.Seal.sign(config.key(), config.chunkId(), config.epoch());
            OpValidator.Outcome outcome = validator.validate(seal, meta);
            if (outcome.accepted()) {
                ops.add(seal);
                meta = outcome.after();
            }
        }
        long blockBytes = 0;
        // An operation stays queued until it commits, so the blocks above the committed tip may
        // order it already; one that is idempotent (a session reopened) would pass again.
        java.util.Set<Hash> ordered = tree.opsInChainTo(lock.blockHash());
        var iterator = pendingOps.asMap().entrySet().iterator();
        while (!sealDue && iterator.hasNext() && ops.size() < config.maxOpsPerBlock()
                && blockBytes < MAX_BLOCK_DATA_BYTES) {
            var entry = iterator.next();
            if (ordered.contains(entry.getKey())) {
                continue;
            }
            OpValidator.Outcome outcome = validator.validate(entry.getValue().op(), meta);
            if (outcome.accepted()) {
                ops.add(entry.getValue().op());
                blockBytes += dataBytes(entry.getValue().op());
                meta = outcome.after();
            } else if (!outcome.refusal().transientRefusal()) {
                send(entry.getValue().client(), new MicroMessage.Rejected(config.chunkId(),
                        entry.getKey(), outcome.refusal().toString()));
                iterator.remove();
            }
        }
        if (ops.isEmpty() && !tree.chainHasOps(lock.blockHash()) && !rootStatementStale()) {
            return;
        }
        MicroBlock block = MicroBlock.propose(config.key(), config.self(), lock, view,
                tree.committedHeight(), tree.state().root(), ops.stream().map(ChunkOp::digest)
                        .toList());
        tree.add(block, ops, meta);
        awaitingVotes = block.hash();
        votes.put(block.hash(), new TreeMap<>());
        MicroMessage.Proposal proposal = new MicroMessage.Proposal(config.chunkId(), block, ops);
        castVote(block, ops, List.of());
        broadcast(proposal);
        outstanding = proposal;
        resendInterval = RESEND_TICKS;
        resendCountdown = RESEND_TICKS;
    }

    /**
     * Only members whose vote is missing get the proposal again, and each time later: a member
     * that is merely slow (a long sync, a busy link) would otherwise be sent megabytes it already
     * has while it works through them.
     */
    private void resendProposal() {
        Map<Integer, Vote> voted = votes.getOrDefault(outstanding.block().hash(), new TreeMap<>());
        for (int member = 0; member < config.groupSize(); member++) {
            if (!voted.containsKey(member)) {
                send(member, outstanding);
            }
        }
        resendInterval = Math.min(resendInterval * 2, MAX_RESEND_TICKS);
        resendCountdown = resendInterval;
    }

    private void onVote(int from, Vote vote) {
        if (from != vote.voter() || vote.voter() >= config.groupSize() || vote.view() != view
                || !leading || vote.chunkId() != config.chunkId()
                || vote.epoch() != config.epoch()) {
            return;
        }
        TreeMap<Integer, Vote> collected = votes.get(vote.blockHash());
        if (collected == null || !vote.verify(config.members().get(vote.voter()))) {
            return;
        }
        collected.put(vote.voter(), vote);
        if (collected.size() >= config.quorum() && vote.blockHash().equals(awaitingVotes)) {
            long signers = 0;
            List<byte[]> signatures = new ArrayList<>();
            for (Vote v : collected.values()) {
                signers |= 1L << v.voter();
                signatures.add(v.signature());
            }
            QuorumCert qc = new QuorumCert(config.chunkId(), config.epoch(), vote.view(),
                    vote.height(), vote.blockHash(), signers, signatures);
            awaitingVotes = null;
            outstanding = null;
            votes.remove(vote.blockHash());
            observe(qc);
            broadcast(new MicroMessage.Certificate(config.chunkId(), qc));
            certificateResends = CERTIFICATE_RESENDS;
            resendCountdown = RESEND_TICKS;
            maybePropose();
        }
    }

    // ---- members

    private void onProposal(int from, MicroMessage.Proposal proposal) {
        MicroBlock block = proposal.block();
        if (block.chunkId() != config.chunkId() || block.epoch() != config.epoch()
                || block.view() < view || from >= config.groupSize()
                || from != config.leader(block.view()) || block.leader() != from
                || !block.leaderSignatureValid(config.members().get(from))
                || !block.extendsJustify()
                || !certificates.verify(block.justify(), config.members(), config.quorum())
                || !CertifiedRuns.opsMatch(block, proposal.ops())) {
            return;
        }
        if (lastVote != null && lastVote.blockHash().equals(block.hash())) {
            send(from, new MicroMessage.VoteMsg(config.chunkId(), lastVote));
            return;
        }
        if (block.view() > view) {
            enterViewQuietly(block.view());
        }
        if (joining) {
            requestSnapshot(from);
            return;
        }
        observe(block.justify());
        if (!tree.knows(block.parentHash())) {
            if (buffered.size() < MAX_BUFFERED_PROPOSALS) {
                buffered.add(new Buffered(from, proposal));
            }
            requestCatchUp(from);
            return;
        }
        boolean newerRank = block.view() > votedView
                || block.view() == votedView && block.height() > votedHeight;
        if (!newerRank || block.justify().compareRank(lock) < 0) {
            return;
        }
        if (!rootClaimHolds(block)) {
            return;
        }
        ChunkMeta meta = tree.metaAfter(block.parentHash());
        if (meta == null) {
            requestCatchUp(from);
            return;
        }
        for (ChunkOp op : proposal.ops()) {
            OpValidator.Outcome outcome = validator.validate(op, meta);
            if (!outcome.accepted()) {
                return;
            }
            meta = outcome.after();
        }
        tree.add(block, proposal.ops(), meta);
        progress();
        castVote(block, proposal.ops(), List.of());
    }

    static long dataBytes(ChunkOp op) {
        return op instanceof ChunkOp.WopBatch batch ? batch.dataBytes() : 0;
    }

    /** The bytes the operations write (their Wops' data). */
    public static long dataBytes(List<ChunkOp> ops) {
        long total = 0;
        for (ChunkOp op : ops) {
            total += dataBytes(op);
        }
        return total;
    }

    /** A member vouches only for a root it holds itself (DESIGN.md: clients verify reads by it). */
    private boolean rootClaimHolds(MicroBlock block) {
        if (block.committedHeight() > tree.committedHeight()) {
            return false;
        }
        Hash mine = tree.rootAt(block.committedHeight());
        return mine != null && mine.equals(block.committedRoot());
    }

    /** Persists the block, the vote's rank and the lock, and only then sends the vote. */
    private void castVote(MicroBlock block, List<ChunkOp> ops, List<ReplicaOutput> alsoHeld) {
        votedView = block.view();
        votedHeight = block.height();
        persist(new WalEntry.BlockEntry(block, ops));
        persist(new WalEntry.LockEntry(lock));
        long token = persist(new WalEntry.VoteEntry(block.view(), block.height()));
        Vote vote = Vote.sign(config.key(), config.self(), block);
        List<ReplicaOutput> held = new ArrayList<>(alsoHeld);
        held.add(new ReplicaOutput.Send(config.leader(block.view()),
                new MicroMessage.VoteMsg(config.chunkId(), vote)));
        heldUntilPersisted.put(token, held);
    }

    private void onCertificate(int from, QuorumCert qc) {
        if (from < config.groupSize() && qc.chunkId() == config.chunkId()
                && qc.epoch() == config.epoch()
                && certificates.verify(qc, config.members(), config.quorum())) {
            observe(qc);
        }
    }

    /** A verified certificate: raise the lock, and commit what the two-chain rule allows. */
    private void observe(QuorumCert qc) {
        if (qc.compareRank(lock) > 0) {
            raiseLock(qc);
            progress();
        }
        BlockTree.Node certified = tree.pendingNode(qc.blockHash());
        if (certified == null) {
            if (qc.height() > tree.committedHeight() && !tree.isCommitted(qc.blockHash())) {
                requestCatchUp(config.leader(qc.view()));
            }
            return;
        }
        MicroBlock block = certified.block();
        QuorumCert parentQc = block.justify();
        if (parentQc.view() == block.view() && qc.view() == block.view()
                && parentQc.height() > tree.committedHeight()) {
            commitTo(parentQc.blockHash(), block, qc);
        }
    }

    private void raiseLock(QuorumCert qc) {
        if (qc.compareRank(lock) > 0) {
            lock = qc;
        }
    }

    /** Commits up to {@code tip}, whose child {@code certifying} carries the proof {@code qc}. */
    private void commitTo(Hash tip, MicroBlock certifying, QuorumCert qc) {
        if (tree.chainTo(tip) == null) {
            requestCatchUp(config.leader(view));
            return;
        }
        List<BlockTree.Node> committed = tree.commitTo(tip);
        List<MicroBlock> proof = new ArrayList<>();
        for (BlockTree.Node node : committed) {
            proof.add(node.block());
        }
        proof.add(certifying);
        for (int i = 0; i < committed.size(); i++) {
            BlockTree.Node node = committed.get(i);
            persist(new WalEntry.CommitEntry(node.block().height(), node.block().hash(),
                    certifying, qc));
            out.add(new ReplicaOutput.Commit(node.block(), node.ops()));
            for (Hash digest : node.block().opDigests()) {
                MicroMessage.Committed notice = new MicroMessage.Committed(config.chunkId(),
                        digest, proof.subList(i, proof.size()), qc);
                PendingOps.Entry pending = pendingOps.committed(digest, notice);
                if (pending != null && pending.client() >= config.groupSize()) {
                    send(pending.client(), notice);
                }
            }
        }
        if (sealed() && !pendingOps.isEmpty()) {
            for (PendingOps.Entry waiting : List.copyOf(pendingOps.entries())) {
                if (waiting.client() >= config.groupSize()) {
                    send(waiting.client(), epochChanged(waiting.op().digest()));
                }
            }
            pendingOps.entries().clear();
        }
        consecutiveViewChanges = 0;
        progress();
        retryBuffered();
    }

    // ---- view change

    private NewView enterView(long newView) {
        enterViewQuietly(newView);
        NewView message = NewView.sign(config.key(), config.self(), config.chunkId(),
                config.epoch(), newView, lock);
        recordNewView(message);
        // Every member hears it, not the new leader alone: once f + 1 members have timed out,
        // the rest join them at once instead of each waiting out its own (doubling) timeout,
        // which under load and with a member down let the views drift apart for minutes.
        broadcast(new MicroMessage.NewViewMsg(config.chunkId(), message));
        return message;
    }

    /**
     * Whether this member timed out into its view and fewer than f + 1 members are known at it or
     * beyond: timing out again would only take it further from the rest.
     */
    private boolean aloneAhead() {
        return ownTimeout != null && ownTimeout.view() == view && viewOfFPlusOne() < view;
    }

    /** The highest view that f + 1 members (this one included) are known to have reached. */
    private long viewOfFPlusOne() {
        List<Long> views = new ArrayList<>(highestViewOf.values());
        views.sort(java.util.Comparator.reverseOrder());
        int index = config.faults();
        return views.size() > index ? views.get(index) : -1;
    }

    private void enterViewQuietly(long newView) {
        ownTimeout = null;
        view = newView;
        leading = false;
        newViewWait = -1;
        awaitingVotes = null;
        votes.clear();
        silentTicks = 0;
        int leader = config.leader(newView);
        pendingOps.ageAndForgetBeyond(MAX_FORWARD_VIEWS);
        if (leader != config.self()) {
            for (PendingOps.Entry pending : pendingOps.entries()) {
                send(leader, new MicroMessage.Submit(config.chunkId(), pending.op()));
            }
        }
        newViews.keySet().removeIf(v -> v < newView);
    }

    private void onNewView(int from, NewView message) {
        if (from >= config.groupSize() || message.sender() != from
                || message.chunkId() != config.chunkId() || message.epoch() != config.epoch()
                || message.view() < view || !message.verify(config.members().get(from))
                || !certificates.verify(message.highQc(), config.members(), config.quorum())) {
            return;
        }
        observe(message.highQc());
        recordNewView(message);
    }

    private void recordNewView(NewView message) {
        Map<Integer, NewView> forView = newViews.computeIfAbsent(message.view(),
                v -> new HashMap<>());
        forView.put(message.sender(), message);
        highestViewOf.merge(message.sender(), message.view(), Math::max);
        long pulled = viewOfFPlusOne();
        if (pulled > view) {
            // f + 1 members are at this view or beyond, so at least one honest member is: join
            // the lowest such view, where a quorum can meet (members whose timeouts drifted
            // apart into different views would otherwise never all be in one).
            enterView(pulled);
            return;
        }
        if (message.view() == view && config.leader(view) == config.self() && !leading
                && forView.size() >= config.quorum()) {
            leading = true;
            newViewWait = forView.size() == config.groupSize() ? 0 : config.newViewWaitTicks();
            maybePropose();
        } else if (leading && message.view() == view && forView.size() == config.groupSize()) {
            newViewWait = 0;
            maybePropose();
        }
    }

    // ---- catch-up

    /**
     * Asks for missing blocks: first the peer that showed it has them, then, when that does not
     * help, each other member in turn, so one silent or lying member cannot keep a replica behind.
     */
    private void requestCatchUp(int hint) {
        if (catchUpCooldown > 0) {
            return;
        }
        catchUpCooldown = 3;
        int peer = hint;
        if (catchUpAttempts++ % 2 == 1 || peer < 0 || peer == config.self()
                || peer >= config.groupSize()) {
            catchUpRotation = (catchUpRotation + 1) % config.groupSize();
            if (catchUpRotation == config.self()) {
                catchUpRotation = (catchUpRotation + 1) % config.groupSize();
            }
            peer = catchUpRotation;
        }
        if (peer == config.self()) {
            return;
        }
        send(peer, new MicroMessage.BlockRequest(config.chunkId(), config.epoch(),
                tree.committedHeight() + 1, MicroMessage.MAX_BLOCKS_PER_RESPONSE));
    }

    /** A joining member asks for the epoch's state: a request from height 0 means a snapshot. */
    private void requestSnapshot(int hint) {
        if (catchUpCooldown > 0) {
            return;
        }
        catchUpCooldown = 3;
        int peer = hint;
        if (peer < 0 || peer == config.self() || peer >= config.groupSize()) {
            catchUpRotation = (catchUpRotation + 1) % config.groupSize();
            if (catchUpRotation == config.self()) {
                catchUpRotation = (catchUpRotation + 1) % config.groupSize();
            }
            peer = catchUpRotation;
        }
        if (peer != config.self()) {
            send(peer, new MicroMessage.BlockRequest(config.chunkId(), config.epoch(), 0,
                    MicroMessage.MAX_BLOCKS_PER_RESPONSE));
        }
    }

    private void onBlockRequest(int from, MicroMessage.BlockRequest request) {
        if (from >= config.groupSize() || request.epoch() != config.epoch() || joining) {
            return;
        }
        MicroMessage.BlockResponse response = CertifiedRuns.respond(config, tree, lock, request);
        if (response != null) {
            send(from, response);
        } else if (request.fromHeight() < tree.oldestRetained()) {
            List<ReplicaOutput.LoggedBlock> logged = CertifiedRuns.loggedRun(tree, lock,
                    request.fromHeight(), Math.min(request.maxBlocks(),
                            MicroMessage.MAX_BLOCKS_PER_RESPONSE), logFloor);
            if (logged != null) {
                out.add(new ReplicaOutput.ServeLogged(from, config.chunkId(), logged));
            } else {
                serveSnapshot(from);
            }
        }
    }

    /**
     * The driver dropped committed blocks at or below {@code height} from the durable log (they
     * are in the chunk file now): a peer that needs them gets a snapshot instead.
     */
    public void onLogTrimmed(long height) {
        logFloor = Math.max(logFloor, height);
    }

    /**
     * A peer is behind the blocks this member keeps: send the chunk at the height the lock block
     * certifies a root for, in runs of pages, so the peer can check it against that root.
     */
    private void serveSnapshot(int to) {
        BlockTree.Node anchor = tree.pendingNode(lock.blockHash());
        if (anchor == null) {
            return;
        }
        BlockTree.Snapshot snapshot = tree.snapshotAt(anchor.block().committedHeight());
        if (snapshot == null || snapshot.hash() == null) {
            return;
        }
        byte[] meta = snapshot.meta().toBytes();
        int pageCount = config.geometry().pageCount();
        for (int from = 0; from < pageCount; from += MicroMessage.MAX_PAGES_PER_RESPONSE) {
            List<byte[]> pages = new ArrayList<>();
            for (int page = from; page < Math.min(pageCount,
                    from + MicroMessage.MAX_PAGES_PER_RESPONSE); page++) {
                byte[] content = snapshot.pages().get(page);
                pages.add(content == null ? new byte[0] : content);
            }
            send(to, new MicroMessage.StateResponse(config.chunkId(), anchor.block(), lock,
                    snapshot.hash(), meta, from, pages));
        }
    }

    private void onStateResponse(int from, MicroMessage.StateResponse part) {
        MicroBlock anchor = part.anchor();
        if (from >= config.groupSize() || anchor.committedHeight() < tree.committedHeight()
                || anchor.committedHeight() == tree.committedHeight() && !joining
                || !part.anchorQc().blockHash().equals(anchor.hash())
                || anchor.chunkId() != config.chunkId() || anchor.epoch() != config.epoch()
                || !certificates.verify(part.anchorQc(), config.members(), config.quorum())) {
            return;
        }
        if (assembly == null || !assembly.anchor().hash().equals(anchor.hash())) {
            assembly = new SnapshotAssembly(anchor, part.anchorQc(), part.baseHash(), part.meta(),
                    config.geometry());
        }
        if (!assembly.add(part)) {
            assembly = null;
            return;
        }
        if (assembly.complete()) {
            SnapshotAssembly done = assembly;
            assembly = null;
            ChunkMeta meta = done.meta();
            if (meta == null) {
                return;
            }
            ChunkState candidate = ChunkState.restore(config.geometry(),
                    anchor.committedHeight(), meta, done.pages());
            if (!candidate.root().equals(anchor.committedRoot())) {
                return;
            }
            persist(new WalEntry.SnapshotEntry(anchor.committedHeight(), done.baseHash(), meta,
                    done.pages()));
            installSnapshot(anchor.committedHeight(), done.baseHash(), meta, done.pages());
            observe(done.anchorQc());
            requestCatchUp(from);
        }
    }

    /** Replaces the committed chain below {@code height} by a verified snapshot. */
    private void installSnapshot(long height, Hash hash, ChunkMeta meta,
                                 Map<Integer, byte[]> pages) {
        if (height < tree.committedHeight() || height == tree.committedHeight() && !joining) {
            return;
        }
        joining = false;
        logFloor = Math.max(logFloor, height);
        ChunkState state = pageBase == null ? ChunkState.restore(config.geometry(), height, meta,
                pages) : ChunkState.restore(config.geometry(), height, meta, pages, pageBase);
        tree = new BlockTree(state, height, hash, config.retainBlocks());
        buffered.clear();
        progress();
    }

    private void onBlockResponse(int from, MicroMessage.BlockResponse response) {
        if (from >= config.groupSize() || joining
                || !CertifiedRuns.verify(config, certificates, response)) {
            return;
        }
        for (MicroMessage.Proposal proposal : response.blocks()) {
            MicroBlock block = proposal.block();
            if (!tree.knows(block.hash()) && block.height() > tree.committedHeight()) {
                tree.add(block, proposal.ops(), null);
                persist(new WalEntry.BlockEntry(block, proposal.ops()));
                blocksFetched++;
            }
            observe(block.justify());
        }
        observe(response.lastQc());
        catchUpCooldown = 0;
        retryBuffered();
        maybePropose();
    }

    private void retryBuffered() {
        if (buffered.isEmpty()) {
            return;
        }
        List<Buffered> again = new ArrayList<>(buffered);
        buffered.clear();
        for (Buffered b : again) {
            if (tree.knows(b.proposal().block().parentHash())) {
                onProposal(b.from(), b.proposal());
            } else if (buffered.size() < MAX_BUFFERED_PROPOSALS) {
                buffered.add(b);
            }
        }
    }
}
