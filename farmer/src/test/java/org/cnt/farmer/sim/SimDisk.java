package org.cnt.farmer.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cnt.chain.crypto.Hash;
import org.cnt.farmer.microchain.WalEntry;

/**
 * One member's write-ahead log: a write becomes durable after a random latency; a crash loses
 * every write not yet durable, and may tear the last one (it is then detected by its checksum and
 * dropped on recovery, which is the same as losing it).
 */
final class SimDisk {
    /** A write on its way to the platter. */
    record Pending(long durableAt, long token, WalEntry entry) {
    }

    private final Random random;
    private final List<WalEntry> durable = new ArrayList<>();
    private final Map<Hash, WalEntry.BlockEntry> durableBlocks = new HashMap<>();
    private final List<Pending> pending = new ArrayList<>();
    int maxLatencyMs = 5;

    SimDisk(Random random) {
        this.random = random;
    }

    void write(long now, long token, WalEntry entry) {
        long at = Math.max(now + 1 + random.nextInt(maxLatencyMs),
                pending.isEmpty() ? 0 : pending.getLast().durableAt());
        pending.add(new Pending(at, token, entry));
    }

    /** Writes that became durable by {@code now}, in order: the disk preserves write order. */
    List<Pending> complete(long now) {
        List<Pending> done = new ArrayList<>();
        while (!pending.isEmpty() && pending.getFirst().durableAt() <= now) {
            Pending write = pending.removeFirst();
            keep(write.entry());
            done.add(write);
        }
        return done;
    }

    long nextTime() {
        return pending.isEmpty() ? Long.MAX_VALUE : pending.getFirst().durableAt();
    }

    /**
     * Power loss: writes in flight reach the platter in order up to a random point; the write at
     * that point may be torn, which its checksum reveals on recovery, so it is dropped with
     * everything after it, as a real log is truncated at its first bad record.
     */
    void crash() {
        int survive = pending.isEmpty() ? 0 : random.nextInt(pending.size() + 1);
        for (int i = 0; i < survive; i++) {
            keep(pending.get(i).entry());
        }
        pending.clear();
    }

    private void keep(WalEntry entry) {
        durable.add(entry);
        if (entry instanceof WalEntry.BlockEntry block) {
            durableBlocks.putIfAbsent(block.block().hash(), block);
        }
    }

    /** A durable block entry by its block's hash, or null. */
    WalEntry.BlockEntry durableBlock(Hash hash) {
        return durableBlocks.get(hash);
    }

    List<WalEntry> durableEntries() {
        return List.copyOf(durable);
    }
}
