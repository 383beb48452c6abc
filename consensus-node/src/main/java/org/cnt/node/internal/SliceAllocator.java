package org.cnt.node.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.Chunk;
import org.cnt.chain.types.SliceRef;

/**
 * Hands out slices of rentable chunks (those whose copy group is full): never-used slices first,
 * in chunk order, then freed slices, earliest-expired first (DESIGN.md, "Rent"). It keeps the
 * count of allocatable slices and of full chunks, so a quote or a rent is answered without
 * scanning the disk. Every chunk change must go through {@link #putChunk} to keep them right.
 */
final class SliceAllocator {
    private final ChainState state;
    private final ChainParams params;
    private final TreeSet<Long> chunksWithFreshSlices = new TreeSet<>();
    private final Map<Long, Integer> freedPerChunk = new HashMap<>();
    private long freeSlices;
    private long fullChunks;

    SliceAllocator(ChainState state) {
        this.state = state;
        this.params = state.params;
    }

    /** Derives the counters from the state after a load. */
    void rebuild() {
        chunksWithFreshSlices.clear();
        freedPerChunk.clear();
        freeSlices = 0;
        fullChunks = 0;
        for (FreedSlice slice : state.freedSlices()) {
            freedPerChunk.merge(slice.chunkId(), 1, Integer::sum);
        }
        for (Chunk chunk : state.chunks().values()) {
            count(chunk, +1);
        }
    }

    long freeSlices() {
        return freeSlices;
    }

    long freeMb() {
        return freeSlices / params.slicesPerMb();
    }

    long worldMb() {
        return fullChunks * params.chunkSizeMb();
    }

    void putChunk(Chunk updated) {
        Chunk old = state.chunk(updated.id());
        if (old != null) {
            count(old, -1);
        }
        state.putChunk(updated);
        count(updated, +1);
    }

    private void count(Chunk chunk, int sign) {
        if (!chunk.isFull(params)) {
            return;
        }
        fullChunks += sign;
        int fresh = params.slicesPerChunk() - chunk.freshSlices();
        freeSlices += sign * (long) (fresh + freedPerChunk.getOrDefault(chunk.id(), 0));
        if (fresh > 0 && sign > 0) {
            chunksWithFreshSlices.add(chunk.id());
        } else {
            chunksWithFreshSlices.remove(chunk.id());
        }
    }

    /** Takes {@code count} slices; the caller has checked {@code count <= freeSlices()}. */
    List<SliceRef> allocate(int count) {
        if (count > freeSlices) {
            throw new IllegalStateException("allocate " + count + " with only " + freeSlices
                    + " free");
        }
        List<SliceRef> taken = new ArrayList<>(count);
        while (taken.size() < count && !chunksWithFreshSlices.isEmpty()) {
            Chunk chunk = state.chunk(chunksWithFreshSlices.first());
            int take = Math.min(count - taken.size(), params.slicesPerChunk() - chunk.freshSlices());
            for (int i = 0; i < take; i++) {
                taken.add(new SliceRef(chunk.id(), chunk.freshSlices() + i));
            }
            putChunk(chunk.withFreshSlices(chunk.freshSlices() + take));
        }
        Iterator<FreedSlice> freed = state.freedSlices().iterator();
        List<FreedSlice> reused = new ArrayList<>();
        while (taken.size() < count && freed.hasNext()) {
            FreedSlice slice = freed.next();
            if (state.chunk(slice.chunkId()).isFull(params)) {
                reused.add(slice);
                taken.add(slice.slice());
            }
        }
        for (FreedSlice slice : reused) {
            state.removeFreed(slice);
            freedPerChunk.merge(slice.chunkId(), -1, Integer::sum);
            freeSlices--;
        }
        if (taken.size() != count) {
            throw new IllegalStateException("free-slice count was wrong: wanted " + count
                    + ", found " + taken.size());
        }
        return taken;
    }

    /** Returns slices whose lease ended at {@code sinceSec}. */
    void release(List<SliceRef> slices, long sinceSec) {
        for (SliceRef slice : slices) {
            state.addFreed(new FreedSlice(sinceSec, slice.chunkId(), slice.index()));
            freedPerChunk.merge(slice.chunkId(), 1, Integer::sum);
            if (state.chunk(slice.chunkId()).isFull(params)) {
                freeSlices++;
            }
        }
    }
}
