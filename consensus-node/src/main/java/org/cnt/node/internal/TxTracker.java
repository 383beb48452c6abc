package org.cnt.node.internal;

import org.cnt.node.Rejection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.cnt.chain.crypto.Hash;

/**
 * Remembers why recent transactions were dropped from blocks and wakes callers waiting for a
 * transaction's fate (the long poll of GET /tx/{id}). Bounded: only the latest drops are kept,
 * and waiters per transaction are capped. Owned by the chain thread.
 */
final class TxTracker {
    private static final int MAX_DROPS = 10_000;
    private static final int MAX_WAITERS = 64;
    private final Map<Hash, Rejection> dropped = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Hash, Rejection> eldest) {
            return size() > MAX_DROPS;
        }
    };
    private final Map<Hash, List<CompletableFuture<Void>>> waiters = new HashMap<>();

    Rejection droppedReason(Hash txId) {
        return dropped.get(txId);
    }

    void dropped(Hash txId, Rejection why) {
        dropped.put(txId, why);
        wake(txId);
    }

    void included(Hash txId) {
        wake(txId);
    }

    /** A future that completes when the transaction is included or dropped; null when too many wait. */
    CompletableFuture<Void> await(Hash txId) {
        List<CompletableFuture<Void>> list = waiters.computeIfAbsent(txId, id -> new ArrayList<>());
        list.removeIf(CompletableFuture::isDone);
        if (list.size() >= MAX_WAITERS) {
            return null;
        }
        CompletableFuture<Void> future = new CompletableFuture<>();
        list.add(future);
        return future;
    }

    /** Forgets waiters that timed out, so abandoned polls cannot accumulate. */
    void prune() {
        waiters.values().removeIf(list -> {
            list.removeIf(CompletableFuture::isDone);
            return list.isEmpty();
        });
    }

    private void wake(Hash txId) {
        List<CompletableFuture<Void>> list = waiters.remove(txId);
        if (list != null) {
            list.forEach(future -> future.complete(null));
        }
    }
}
