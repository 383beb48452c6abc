package org.cnt.farmer.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.cnt.chain.codec.CanonicalReader;
import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.micro.ChunkOp;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.PublicKey;
import org.cnt.farmer.microchain.WalEntry;

/**
 * One replica's write-ahead log. Used from the replica's own thread only; durability callbacks
 * run on the store's writer thread, so callers hand them back to their own thread.
 */
public final class ChunkLog {
    record Stored(long seq, WalEntry entry) {
    }

    private final ReplicaStore store;
    private final long chunkId;
    private final byte[] prefix;
    /**
     * What each live entry is, without its data: the checkpoint needs no more, and a replica's
     * logged blocks (megabytes each) must not stay in the heap until it.
     */
    private final TreeMap<Long, Logged> live = new TreeMap<>();
    /** Where each live block entry is, so a peer catching up can be served from the log. */
    private final Map<Hash, Long> blockSeqs = new HashMap<>();
    /** The entries found at open, for recovery; they leave as checkpoints drop them. */
    private final TreeMap<Long, WalEntry> recovered = new TreeMap<>();
    private Checkpoint checkpoint;
    private List<PublicKey> group;
    private long nextSeq;

    ChunkLog(ReplicaStore store, long chunkId, byte[] prefix, List<Stored> stored,
             Checkpoint checkpoint, List<PublicKey> group) {
        this.store = store;
        this.chunkId = chunkId;
        this.prefix = prefix;
        this.checkpoint = checkpoint;
        this.group = group;
        for (Stored s : stored) {
            track(s.seq(), s.entry());
            recovered.put(s.seq(), s.entry());
        }
        nextSeq = live.isEmpty() ? 1 : live.lastKey() + 1;
    }

    /** The entries after the checkpoint as the log was opened, in the order they were written. */
    public List<WalEntry> entries() {
        return new ArrayList<>(recovered.values());
    }

    private enum Kind { BLOCK, COMMIT, VOTE, LOCK, SNAPSHOT }

    /** {@code block}: the hash of a block entry's block; null for the other kinds. */
    private record Logged(Kind kind, long height, Hash block) {
        static Logged of(WalEntry entry) {
            return switch (entry) {
                case WalEntry.BlockEntry b -> new Logged(Kind.BLOCK, b.block().height(),
                        b.block().hash());
                case WalEntry.CommitEntry c -> new Logged(Kind.COMMIT, c.height(), null);
                case WalEntry.VoteEntry v -> new Logged(Kind.VOTE, v.height(), null);
                case WalEntry.LockEntry l -> new Logged(Kind.LOCK, 0, null);
                case WalEntry.SnapshotEntry snap -> new Logged(Kind.SNAPSHOT, snap.height(), null);
            };
        }
    }

    private void track(long seq, WalEntry entry) {
        Logged logged = Logged.of(entry);
        live.put(seq, logged);
        if (logged.block() != null) {
            blockSeqs.put(logged.block(), seq);
        }
    }

    private void untrack(long seq, Logged logged) {
        if (logged.block() != null) {
            blockSeqs.remove(logged.block(), seq);
        }
    }

    /**
     * Reads logged blocks back by hash, for a peer that catches up: where each entry is gets
     * looked up now (on the replica's thread), the reading may happen on any thread. A block the
     * log dropped in between (a checkpoint) reads as null.
     */
    public Function<Hash, WalEntry.BlockEntry> blockReader(List<Hash> hashes) {
        Map<Hash, byte[]> keys = new HashMap<>();
        for (Hash hash : hashes) {
            Long seq = blockSeqs.get(hash);
            if (seq != null) {
                keys.put(hash, key(seq));
            }
        }
        return hash -> {
            byte[] key = keys.get(hash);
            return key != null && store.readLogged(key) instanceof WalEntry.BlockEntry block
                    ? block : null;
        };
    }

    /**
     * The members of this replica's epoch, in order, or null if never recorded: after the chain
     * moved the chunk on, they are known from here only, and a farmer restarted during a
     * handover needs them to seal the old epoch.
     */
    public List<PublicKey> group() {
        return group;
    }

    /** Records the epoch's members (once, when the replica is first opened). */
    public void saveGroup(List<PublicKey> members) {
        group = List.copyOf(members);
        CanonicalWriter out = new CanonicalWriter(8 + members.size() * PublicKey.SIZE_BYTES)
                .u8(0x67).u8(1).u32(members.size());
        for (PublicKey member : members) {
            out.fixed(member.toBytes());
        }
        store.submit(new ReplicaStore.Op(store.checkpointFamily(), groupKey(prefix),
                out.toByteArray(), null));
    }

    static byte[] groupKey(byte[] prefix) {
        return new CanonicalWriter(prefix.length + 1).fixed(prefix).u8(0x67).toByteArray();
    }

    static List<PublicKey> decodeGroup(byte[] bytes) throws CodecException {
        CanonicalReader in = CanonicalReader.of(bytes);
        in.expectTag(0x67, "replica group");
        in.expectVersion(1, "replica group");
        int count = in.u32("member count");
        if (count < 1 || count > 64) {
            throw new CodecException("a replica group of " + count + " members");
        }
        List<PublicKey> members = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            members.add(PublicKey.wrap(in.fixed(PublicKey.SIZE_BYTES, "member")));
        }
        in.finish("replica group");
        return List.copyOf(members);
    }

    /** Null until the first checkpoint. */
    public Checkpoint checkpoint() {
        return checkpoint;
    }

    public int size() {
        return live.size();
    }

    public void append(WalEntry entry, Runnable onDurable) {
        long seq = nextSeq++;
        track(seq, entry);
        if (entry instanceof WalEntry.BlockEntry block
                && block.ops().stream().anyMatch(ChunkOp.WopBatch.class::isInstance)) {
            // The log writer copies the batches' own bytes into the data log: no array of the
            // whole entry is made first.
            store.submit(new ReplicaStore.Op(store.walFamily(), key(seq), null,
                    WalCodec.encodeParts(chunkId, block), onDurable));
        } else {
            store.submit(new ReplicaStore.Op(store.walFamily(), key(seq),
                    WalCodec.encode(chunkId, entry), onDurable));
        }
    }

    /**
     * Records that the chunk file (already synced) holds the committed state at the checkpoint's
     * height, and drops what recovery no longer needs: blocks and commits at or below it, and
     * every vote and lock entry but the newest.
     */
    public void checkpoint(Checkpoint next, Runnable onDurable) {
        checkpoint = next;
        // The checkpoint is queued before the deletes, so no crash leaves neither.
        store.submit(new ReplicaStore.Op(store.checkpointFamily(), prefix, next.toBytes(),
                onDurable));
        long newestVote = -1;
        long newestLock = -1;
        for (Map.Entry<Long, Logged> e : live.entrySet()) {
            if (e.getValue().kind() == Kind.VOTE) {
                newestVote = e.getKey();
            } else if (e.getValue().kind() == Kind.LOCK) {
                newestLock = e.getKey();
            }
        }
        Iterator<Map.Entry<Long, Logged>> it = live.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Logged> e = it.next();
            boolean obsolete = switch (e.getValue().kind()) {
                case BLOCK, COMMIT -> e.getValue().height() <= next.height();
                case VOTE -> e.getKey() != newestVote;
                case LOCK -> e.getKey() != newestLock;
                case SNAPSHOT -> true;
            };
            if (obsolete) {
                store.submit(new ReplicaStore.Op(store.walFamily(), key(e.getKey()), null, null));
                untrack(e.getKey(), e.getValue());
                it.remove();
                recovered.remove(e.getKey());
            }
        }
    }

    /** Counts data logged by this replica and not yet checkpointed (negative: released). */
    public void noteLoggedData(long bytes) {
        store.noteLoggedData(bytes);
    }

    /** Data logged and not yet checkpointed by all the replicas of this store. */
    public long sharedLoggedData() {
        return store.loggedData();
    }

    /** Forgets the replica: its entries and its checkpoint (an epoch handed over, retired). */
    public void discard() {
        for (long seq : live.keySet()) {
            store.submit(new ReplicaStore.Op(store.walFamily(), key(seq), null, null));
        }
        live.clear();
        blockSeqs.clear();
        recovered.clear();
        checkpoint = null;
        group = null;
        store.submit(new ReplicaStore.Op(store.checkpointFamily(), prefix, null, null));
        store.submit(new ReplicaStore.Op(store.checkpointFamily(), groupKey(prefix), null, null));
    }

    private byte[] key(long seq) {
        return new CanonicalWriter(24).fixed(prefix).u64(seq).toByteArray();
    }
}
