package org.cnt.node.internal;

import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.SliceRef;
import org.cnt.chain.types.Volume;

/**
 * Keeps leases in time order and the lease figures in {@link Globals} in step with them. At each
 * block, active leases whose expiry has come lock, and locked leases whose grace period is over
 * are released: the volume is gone and its slices return to the allocator. Every volume change
 * goes through {@link #put} or {@link #release} so the figures can never drift from the volumes.
 */
final class LeaseBook {
    private record LeaseKey(long atSec, long volumeId) implements Comparable<LeaseKey> {
        @Override
        public int compareTo(LeaseKey other) {
            int byTime = Long.compare(atSec, other.atSec);
            return byTime != 0 ? byTime : Long.compare(volumeId, other.volumeId);
        }
    }

    private final ChainState state;
    private final SliceAllocator allocator;
    private final long graceSec;
    private final TreeSet<LeaseKey> activeByExpiry = new TreeSet<>();
    private final TreeSet<LeaseKey> lockedByGraceEnd = new TreeSet<>();
    /** Slices of active leases per chunk: whose members the rent of a block goes to. */
    private final TreeMap<Long, Integer> leasedSlicesByChunk = new TreeMap<>();

    LeaseBook(ChainState state, SliceAllocator allocator) {
        this.state = state;
        this.allocator = allocator;
        this.graceSec = state.params.graceDays() * ChainParams.SECONDS_PER_DAY;
    }

    void rebuild() {
        activeByExpiry.clear();
        lockedByGraceEnd.clear();
        leasedSlicesByChunk.clear();
        for (Volume volume : state.volumes().values()) {
            index(volume);
        }
    }

    /**
     * Chunk id to the number of its slices under an active lease, as it stands before {@link
     * #advanceTo}{@code (nowSec)}: a copy only when a lease ends by then (the live map stays the
     * same otherwise, and most blocks end none).
     */
    SortedMap<Long, Integer> leasedSlicesByChunkBefore(long nowSec) {
        boolean anyEnds = !activeByExpiry.isEmpty() && activeByExpiry.first().atSec() <= nowSec;
        return anyEnds ? new TreeMap<>(leasedSlicesByChunk)
                : java.util.Collections.unmodifiableSortedMap(leasedSlicesByChunk);
    }

    long graceEndSec(Volume volume) {
        return volume.expirySec() + graceSec;
    }

    /** Stores a new or changed volume and moves the lease figures by the difference. */
    void put(Volume updated) {
        Volume old = state.volume(updated.id());
        Globals globals = state.globals();
        long sum = globals.leaseSumMbSec();
        long leased = globals.leasedMb();
        if (old != null) {
            unindex(old);
            if (old.status() == Volume.Status.ACTIVE) {
                sum = Math.subtractExact(sum, Math.multiplyExact(old.sizeMb(), old.expirySec()));
                leased -= old.sizeMb();
            }
        }
        if (updated.status() == Volume.Status.ACTIVE) {
            sum = Math.addExact(sum, Math.multiplyExact(updated.sizeMb(), updated.expirySec()));
            leased += updated.sizeMb();
        }
        state.setGlobals(globals.withLeases(sum, leased));
        state.putVolume(updated);
        index(updated);
    }

    /** Locks what expired by {@code nowSec} and releases what left its grace period. */
    void advanceTo(long nowSec) {
        while (!activeByExpiry.isEmpty() && activeByExpiry.first().atSec() <= nowSec) {
            Volume volume = state.volume(activeByExpiry.first().volumeId());
            put(volume.withLease(volume.expirySec(), Volume.Status.LOCKED));
        }
        while (!lockedByGraceEnd.isEmpty() && lockedByGraceEnd.first().atSec() <= nowSec) {
            release(state.volume(lockedByGraceEnd.first().volumeId()));
        }
    }

    private void release(Volume volume) {
        if (volume.status() == Volume.Status.ACTIVE) {
            throw new IllegalStateException("release of active volume " + volume.id());
        }
        unindex(volume);
        allocator.release(volume.slices(), volume.expirySec());
        state.removeVolume(volume.id());
    }

    private void index(Volume volume) {
        if (volume.status() == Volume.Status.ACTIVE) {
            activeByExpiry.add(new LeaseKey(volume.expirySec(), volume.id()));
            countSlices(volume, 1);
        } else {
            lockedByGraceEnd.add(new LeaseKey(graceEndSec(volume), volume.id()));
        }
    }

    private void unindex(Volume volume) {
        if (activeByExpiry.remove(new LeaseKey(volume.expirySec(), volume.id()))) {
            countSlices(volume, -1);
        }
        lockedByGraceEnd.remove(new LeaseKey(graceEndSec(volume), volume.id()));
    }

    private void countSlices(Volume volume, int sign) {
        for (SliceRef slice : volume.slices()) {
            leasedSlicesByChunk.merge(slice.chunkId(), sign, (a, b) -> a + b == 0 ? null : a + b);
        }
    }
}
