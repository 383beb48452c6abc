package org.cnt.node.internal;

import org.cnt.node.Rejection;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cnt.chain.crypto.Address;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.types.Tx;

/**
 * Verified transactions waiting for a block, in arrival order. Bounded in total and per sender,
 * and each sender's nonces must be contiguous, so the pool cannot be flooded with transactions
 * that can never apply. Owned by the chain thread.
 */
final class Mempool {
    private final int capacity;
    private final int perSenderLimit;
    private final ArrayDeque<Tx> queue = new ArrayDeque<>();
    private final Set<Hash> ids = new HashSet<>();
    private final Map<Address, Integer> pendingBySender = new HashMap<>();

    Mempool(int capacity, int perSenderLimit) {
        if (capacity < 1 || perSenderLimit < 1) {
            throw new IllegalArgumentException("mempool limits must be positive: " + capacity
                    + ", " + perSenderLimit);
        }
        this.capacity = capacity;
        this.perSenderLimit = perSenderLimit;
    }

    int size() {
        return queue.size();
    }

    boolean contains(Hash txId) {
        return ids.contains(txId);
    }

    int pendingOf(Address sender) {
        return pendingBySender.getOrDefault(sender, 0);
    }

    /** Refuses what the pool cannot take; the ledger has already judged the transaction. */
    Rejection admit(Tx tx, Hash txId, long stateNonce) {
        if (ids.contains(txId)) {
            return Rejection.of("already_pending", "transaction " + txId + " is already waiting "
                    + "for a block");
        }
        Address sender = tx.senderAddress();
        int pending = pendingOf(sender);
        long expected = stateNonce + pending;
        if (tx.nonce() < stateNonce) {
            return Rejection.of("nonce_too_low", "nonce " + tx.nonce() + " was already used by "
                    + sender + " (replayed transaction?); next nonce is " + expected);
        }
        if (tx.nonce() < expected) {
            return Rejection.of("nonce_pending", "nonce " + tx.nonce() + " is taken by a "
                    + "transaction still waiting for a block; next nonce is " + expected);
        }
        if (tx.nonce() > expected) {
            return Rejection.of("nonce_gap", "nonce " + tx.nonce() + " skips ahead; " + sender
                    + " must use nonce " + expected + " next");
        }
        if (queue.size() >= capacity) {
            return Rejection.of("mempool_full", "the node holds " + capacity + " waiting "
                    + "transactions; try again in a few blocks");
        }
        if (pending >= perSenderLimit) {
            return Rejection.of("too_many_pending", sender + " has " + pending + " transactions "
                    + "waiting; wait for a block");
        }
        queue.addLast(tx);
        ids.add(txId);
        pendingBySender.merge(sender, 1, Integer::sum);
        return null;
    }

    /** Takes up to {@code max} transactions, oldest first, for the next block. */
    List<Tx> take(int max) {
        List<Tx> taken = new ArrayList<>(Math.min(max, queue.size()));
        while (taken.size() < max && !queue.isEmpty()) {
            Tx tx = queue.pollFirst();
            taken.add(tx);
            ids.remove(tx.id());
            pendingBySender.computeIfPresent(tx.senderAddress(), (a, n) -> n == 1 ? null : n - 1);
        }
        return taken;
    }
}
