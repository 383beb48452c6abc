package org.cnt.node.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.Chunk;
import org.cnt.chain.types.Farmer;

/**
 * Turns pledged capacity into copy-group membership (DESIGN.md, "Assignment"): each replica slot
 * of a farmer joins the lowest-numbered chunk that still lacks members and does not already hold
 * that farmer, and opens a new chunk when none does. A leaving farmer is replaced, in each of its
 * groups, by the active farmer with the most free slots (lowest id on a tie). Deterministic:
 * the same transactions always give the same chunk map.
 */
final class ChunkAssigner {
    private final ChainState state;
    private final SliceAllocator allocator;
    private final ChainParams params;
    private final TreeSet<Long> incompleteChunks = new TreeSet<>();

    ChunkAssigner(ChainState state, SliceAllocator allocator) {
        this.state = state;
        this.allocator = allocator;
        this.params = state.params;
    }

    void rebuild() {
        incompleteChunks.clear();
        for (Chunk chunk : state.chunks().values()) {
            if (!chunk.isFull(params)) {
                incompleteChunks.add(chunk.id());
            }
        }
    }

    /** Gives every free slot of the farmer a chunk. */
    void fillSlots(long farmerId) {
        Farmer farmer = state.farmer(farmerId);
        int free = farmer.freeReplicaSlots(params);
        int assigned = farmer.assignedReplicas();
        List<Long> candidates = new ArrayList<>(incompleteChunks);
        int next = 0;
        for (int slot = 0; slot < free; slot++) {
            Chunk target = null;
            while (next < candidates.size() && target == null) {
                Chunk chunk = state.chunk(candidates.get(next++));
                if (!chunk.members().contains(farmerId)) {
                    target = chunk;
                }
            }
            if (target == null) {
                target = newChunk();
            }
            join(target, farmerId);
            assigned++;
        }
        state.putFarmer(farmer.withAssigned(assigned));
    }

    private Chunk newChunk() {
        Globals globals = state.globals();
        Chunk chunk = new Chunk(globals.nextChunkId(), List.of(), 0, 0);
        state.setGlobals(globals.withNextIds(globals.nextFarmerId(), globals.nextChunkId() + 1,
                globals.nextVolumeId()));
        return chunk;
    }

    private void join(Chunk chunk, long farmerId) {
        List<Long> members = new ArrayList<>(chunk.members());
        members.add(farmerId);
        Chunk updated = chunk.withMembers(members);
        allocator.putChunk(updated);
        track(updated);
    }

    private void track(Chunk chunk) {
        if (chunk.isFull(params)) {
            incompleteChunks.remove(chunk.id());
        } else {
            incompleteChunks.add(chunk.id());
        }
    }

    /** Removes the farmer from every group it is in and finds each group a replacement. */
    void exit(long farmerId) {
        Farmer leaving = state.farmer(farmerId);
        state.putFarmer(leaving.exited());
        for (long chunkId : List.copyOf(state.chunksOf(farmerId))) {
            Chunk chunk = state.chunk(chunkId);
            List<Long> members = new ArrayList<>(chunk.members());
            members.remove(farmerId);
            Farmer replacement = pickReplacement(members);
            if (replacement != null) {
                members.add(replacement.id());
                state.putFarmer(replacement.withAssigned(replacement.assignedReplicas() + 1));
            }
            Chunk updated = chunk.withMembers(members);
            allocator.putChunk(updated);
            track(updated);
        }
    }

    private Farmer pickReplacement(List<Long> members) {
        Farmer best = null;
        for (Farmer candidate : state.farmers().values()) {
            int free = candidate.freeReplicaSlots(params);
            if (free > 0 && !members.contains(candidate.id())
                    && (best == null || free > best.freeReplicaSlots(params))) {
                best = candidate;
            }
        }
        return best;
    }
}
