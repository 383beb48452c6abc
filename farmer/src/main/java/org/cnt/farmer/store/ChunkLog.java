package org.cnt.farmer.store;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cnt.chain.codec.CanonicalWriter;
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
    private final TreeMap<Long, WalEntry> live = new TreeMap<>();
    private Checkpoint checkpoint;
    private long nextSeq;

    ChunkLog(ReplicaStore store, long chunkId, byte[] prefix, List<Stored> stored,
             Checkpoint checkpoint) {
        this.store = store;
        this.chunkId = chunkId;
        this.prefix = prefix;
        this.checkpoint = checkpoint;
        for (Stored s : stored) {
            live.put(s.seq(), s.entry());
        }
        nextSeq = live.isEmpty() ? 1 : live.lastKey() + 1;
    }

    /** The entries after the checkpoint, in the order they were written. */
    public List<WalEntry> entries() {
        return new ArrayList<>(live.values());
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
        live.put(seq, entry);
        store.submit(new ReplicaStore.Op(store.walFamily(), key(seq),
                WalCodec.encode(chunkId, entry), onDurable));
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
        for (Map.Entry<Long, WalEntry> e : live.entrySet()) {
            if (e.getValue() instanceof WalEntry.VoteEntry) {
                newestVote = e.getKey();
            } else if (e.getValue() instanceof WalEntry.LockEntry) {
                newestLock = e.getKey();
            }
        }
        Iterator<Map.Entry<Long, WalEntry>> it = live.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, WalEntry> e = it.next();
            boolean obsolete = switch (e.getValue()) {
                case WalEntry.BlockEntry b -> b.block().height() <= next.height();
                case WalEntry.CommitEntry c -> c.height() <= next.height();
                case WalEntry.VoteEntry v -> e.getKey() != newestVote;
                case WalEntry.LockEntry l -> e.getKey() != newestLock;
                case WalEntry.SnapshotEntry s -> true;
            };
            if (obsolete) {
                store.submit(new ReplicaStore.Op(store.walFamily(), key(e.getKey()), null, null));
                it.remove();
            }
        }
    }

    /** Forgets the replica: its entries and its checkpoint (an epoch handed over, retired). */
    public void discard() {
        for (long seq : live.keySet()) {
            store.submit(new ReplicaStore.Op(store.walFamily(), key(seq), null, null));
        }
        live.clear();
        checkpoint = null;
        store.submit(new ReplicaStore.Op(store.checkpointFamily(), prefix, null, null));
    }

    private byte[] key(long seq) {
        return new CanonicalWriter(24).fixed(prefix).u64(seq).toByteArray();
    }
}
