package org.cnt.farmer.microchain;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.micro.ChunkOp;
import org.cnt.chain.micro.MicroMessage;

/**
 * Client operations a member holds until they commit: the leader's queue to propose from, a
 * follower's watch list that tells it the leader is silent. Bounded, in arrival order; a follower
 * forgets an operation that survives several views (it may be invalid). Also keeps the proofs of
 * recent commits, so a client that lost its acknowledgement and resends gets it again.
 */
final class PendingOps {
    /** An operation and the peer to tell when it commits. */
    record Entry(ChunkOp op, int client, int views) {
    }

    private static final int RECENT_COMMITS = 4096;
    private final int capacity;
    private final LinkedHashMap<Hash, Entry> waiting = new LinkedHashMap<>();
    private final LinkedHashMap<Hash, MicroMessage.Committed> recentCommits =
            new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Hash, MicroMessage.Committed> e) {
                    return size() > RECENT_COMMITS;
                }
            };

    PendingOps(int capacity) {
        this.capacity = capacity;
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    int size() {
        return waiting.size();
    }

    boolean isFull() {
        return waiting.size() >= capacity;
    }

    boolean contains(Hash digest) {
        return waiting.containsKey(digest);
    }

    void add(Hash digest, ChunkOp op, int client) {
        waiting.putIfAbsent(digest, new Entry(op, client, 0));
    }

    /** In arrival order; removing through the iterator drops the operation. */
    Collection<Entry> entries() {
        return waiting.values();
    }

    Map<Hash, Entry> asMap() {
        return waiting;
    }

    /** A new view: every operation has now waited one view longer. */
    void ageAndForgetBeyond(int maxViews) {
        waiting.replaceAll((digest, e) -> new Entry(e.op(), e.client(), e.views() + 1));
        waiting.values().removeIf(e -> e.views() > maxViews);
    }

    /**
     * Records the proof and returns who was waiting for it, or null. The first proof stays: it
     * is the one the client was told of.
     */
    Entry committed(Hash digest, MicroMessage.Committed proof) {
        recentCommits.putIfAbsent(digest, proof);
        return waiting.remove(digest);
    }

    MicroMessage.Committed proofOf(Hash digest) {
        return recentCommits.get(digest);
    }
}
