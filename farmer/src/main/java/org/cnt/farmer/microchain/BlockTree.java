package org.cnt.farmer.microchain;

import org.cnt.chain.micro.ChunkMeta;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.micro.ChunkOp;
import org.cnt.chain.micro.MicroBlock;
import org.cnt.chain.micro.QuorumCert;

/**
 * A replica's blocks: the committed chain (its state, its hashes, the headers of recent blocks,
 * and the operations of the newest few, kept for peers that are barely behind) and the
 * uncommitted blocks above it, which may fork until one branch commits. Each uncommitted block
 * remembers the chunk metadata after it, so proposals on top of it are validated without
 * applying anything to the chunk.
 */
final class BlockTree {
    /** A stored block with its operations and the metadata after it. */
    record Node(MicroBlock block, List<ChunkOp> ops, ChunkMeta metaAfter) {
    }

    static final int HISTORY_BLOCKS = 1024;
    /**
     * The operations of committed blocks stay in memory only for the newest few, up to this much
     * written data: a peer further behind is served from the durable log (or a snapshot), so a
     * farmer's heap does not grow by megabytes for every chunk it has written lately.
     */
    static final long MAX_RETAINED_DATA_BYTES = 1L << 20;
    static final int IN_MEMORY_BLOCKS = 4;
    private final ChunkState state;
    private final int retainBlocks;
    private final Map<Hash, Node> pending = new HashMap<>();
    private final NavigableMap<Long, Node> recentCommitted = new TreeMap<>();
    /** The newest committed blocks without their operations. */
    private final NavigableMap<Long, MicroBlock> committedBlocks = new TreeMap<>();
    /**
     * The certificate of each of the newest {@code retainBlocks} committed heights (the next
     * block's justify): what a reply of blocks read back from the log ends with.
     */
    private final NavigableMap<Long, QuorumCert> certificates =
            new TreeMap<>();
    /**
     * Hashes of the newest committed blocks, by height, and the reverse index: a window, so a
     * replica that runs for months keeps constant memory.
     */
    private final NavigableMap<Long, Hash> committedHashes = new TreeMap<>();
    private final Map<Hash, Long> committedHeights = new HashMap<>();
    private final NavigableMap<Long, Hash> rootAt = new TreeMap<>();
    private long committedHeight;
    /**
     * The newest committed height whose block carried operations; the base height of a tree that
     * starts from a snapshot, whose history is unknown.
     */
    private long newestOpHeight;
    private long retainedDataBytes;

    BlockTree(ChunkState state, Hash genesisHash, int retainBlocks) {
        this(state, 0, genesisHash, retainBlocks);
    }

    /**
     * A tree whose committed chain starts at {@code baseHeight} (a snapshot): hashes below it are
     * unknown and read as null.
     */
    BlockTree(ChunkState state, long baseHeight, Hash baseHash, int retainBlocks) {
        this.state = state;
        this.retainBlocks = retainBlocks;
        committedHeight = baseHeight;
        newestOpHeight = baseHeight;
        committedHashes.put(baseHeight, baseHash);
        committedHeights.put(baseHash, baseHeight);
        rootAt.put(baseHeight, state.root());
        snapshot(baseHeight);
    }

    /**
     * The chunk at a recent committed height, for a peer far behind: its pages are read when
     * sent, and only while the state can still read that height.
     */
    record Snapshot(long height, Hash hash, ChunkMeta meta, Map<Integer, byte[]> pages) {
    }

    private static final int SNAPSHOTS = ChunkState.READABLE_HEIGHTS;
    private final NavigableMap<Long, Snapshot> snapshots = new TreeMap<>();

    /** The metadata of more recent heights than snapshots: checkpoints name a lagging one. */
    private static final int METAS = 256;
    private final NavigableMap<Long, ChunkMeta> metas = new TreeMap<>();

    private void snapshot(long height) {
        metas.put(height, state.meta());
        while (metas.size() > METAS) {
            metas.remove(metas.firstKey());
        }
        snapshots.put(height, new Snapshot(height, committedHashes.get(height), state.meta(),
                state.pagesAt(height)));
        while (snapshots.size() > SNAPSHOTS) {
            snapshots.remove(snapshots.firstKey());
        }
    }

    ChunkMeta metaAt(long height) {
        return metas.get(height);
    }

    /**
     * The chunk at a recent committed height, or null. Once the file holds every page (the
     * chunk went idle), older heights are no longer readable on their own, but one whose root
     * is the current root is the chunk as it is now.
     */
    Snapshot snapshotAt(long height) {
        Snapshot snapshot = snapshots.get(height);
        if (snapshot != null && state.readable(height)) {
            return snapshot;
        }
        Hash hash = committedHashes.get(height);
        if (hash != null && state.root().equals(rootAt.get(height))) {
            return new Snapshot(height, hash, state.meta(), state.pagesAt(committedHeight));
        }
        return null;
    }

    ChunkState state() {
        return state;
    }

    long committedHeight() {
        return committedHeight;
    }

    /** The newest committed height an operation was ordered at (or the snapshot base). */
    long newestOpHeight() {
        return newestOpHeight;
    }

    Hash committedHash() {
        return committedHashes.lastEntry().getValue();
    }

    /** Hashes of the newest committed blocks by height (at most {@link #HISTORY_BLOCKS}). */
    NavigableMap<Long, Hash> committedHashes() {
        return Collections.unmodifiableNavigableMap(committedHashes);
    }

    Hash rootAt(long height) {
        return rootAt.get(height);
    }

    boolean isCommitted(Hash hash) {
        return committedHeights.containsKey(hash);
    }

    Node pendingNode(Hash hash) {
        return pending.get(hash);
    }

    /** A committed block with its operations, while they are still held in memory; or null. */
    Node committedNode(long height) {
        return recentCommitted.get(height);
    }

    /** One of the newest committed blocks (its header: operations are not kept), or null. */
    MicroBlock committedBlock(long height) {
        return committedBlocks.get(height);
    }

    /** The certificate of a recent committed height that has a committed child, or null. */
    QuorumCert certificateOf(long height) {
        return certificates.get(height);
    }

    long oldestRetained() {
        return recentCommitted.isEmpty() ? committedHeight() + 1 : recentCommitted.firstKey();
    }

    boolean knows(Hash hash) {
        return pending.containsKey(hash) || isCommitted(hash);
    }

    /** The metadata after the block, or null while an ancestor is missing. */
    ChunkMeta metaAfter(Hash hash) {
        if (hash.equals(committedHash())) {
            return state.meta();
        }
        Node node = pending.get(hash);
        if (node == null) {
            return null;
        }
        if (node.metaAfter() != null) {
            return node.metaAfter();
        }
        ChunkMeta parent = metaAfter(node.block().parentHash());
        if (parent == null) {
            return null;
        }
        ChunkMeta meta = parent;
        for (ChunkOp op : node.ops()) {
            meta = meta.after(op);
        }
        pending.put(hash, new Node(node.block(), node.ops(), meta));
        return meta;
    }

    void add(MicroBlock block, List<ChunkOp> ops, ChunkMeta metaAfter) {
        if (block.height() > committedHeight() && !pending.containsKey(block.hash())) {
            pending.put(block.hash(), new Node(block, List.copyOf(ops), metaAfter));
        }
    }

    /** The uncommitted blocks from just above the committed tip up to {@code tip}; null if broken. */
    List<Node> chainTo(Hash tip) {
        List<Node> chain = new ArrayList<>();
        Hash at = tip;
        while (!at.equals(committedHash())) {
            Node node = pending.get(at);
            if (node == null || node.block().height() <= committedHeight()) {
                return null;
            }
            chain.add(node);
            at = node.block().parentHash();
        }
        return chain.reversed();
    }

    /** The operations the uncommitted blocks up to {@code tip} order (none if broken). */
    java.util.Set<Hash> opsInChainTo(Hash tip) {
        List<Node> chain = chainTo(tip);
        java.util.Set<Hash> digests = new java.util.HashSet<>();
        if (chain != null) {
            chain.forEach(node -> digests.addAll(node.block().opDigests()));
        }
        return digests;
    }

    /** Whether any uncommitted block up to {@code tip} carries operations (so needs committing). */
    boolean chainHasOps(Hash tip) {
        List<Node> chain = chainTo(tip);
        return chain != null && chain.stream().anyMatch(node -> !node.ops().isEmpty());
    }

    /** Applies the chain up to {@code tip} to the chunk and returns the blocks committed. */
    List<Node> commitTo(Hash tip) {
        List<Node> chain = chainTo(tip);
        if (chain == null) {
            throw new IllegalStateException("commit of " + tip + " without its chain");
        }
        for (Node node : chain) {
            state.applyBlock(node.block().height(), node.ops());
            pending.remove(node.block().hash());
            committedHeight = node.block().height();
            if (!node.ops().isEmpty()) {
                newestOpHeight = committedHeight;
            }
            committedHashes.put(committedHeight, node.block().hash());
            committedHeights.put(node.block().hash(), committedHeight);
            recentCommitted.put(node.block().height(), node);
            committedBlocks.put(node.block().height(), node.block());
            certificates.put(node.block().height() - 1, node.block().justify());
            retainedDataBytes += Replica.dataBytes(node.ops());
            rootAt.put(node.block().height(), state.root());
            snapshot(node.block().height());
        }
        pending.values().removeIf(node -> node.block().height() <= committedHeight());
        while (committedHashes.size() > Math.max(HISTORY_BLOCKS, retainBlocks)) {
            committedHeights.remove(committedHashes.pollFirstEntry().getValue());
        }
        while (!recentCommitted.isEmpty() && (recentCommitted.size() > IN_MEMORY_BLOCKS
                || retainedDataBytes > MAX_RETAINED_DATA_BYTES)) {
            retainedDataBytes -= Replica.dataBytes(
                    recentCommitted.pollFirstEntry().getValue().ops());
        }
        while (committedBlocks.size() > IN_MEMORY_BLOCKS) {
            committedBlocks.pollFirstEntry();
        }
        while (certificates.size() > retainBlocks) {
            certificates.pollFirstEntry();
        }
        // Roots are small: members keep them for every retained height's worth of blocks, so a
        // leader that lags a little can still have its root claim checked.
        while (rootAt.size() > retainBlocks) {
            rootAt.pollFirstEntry();
        }
        return chain;
    }
}
