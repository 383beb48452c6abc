package org.cnt.node.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.Chunk;
import org.cnt.chain.types.Farmer;

/**
 * Turns pledged capacity into copy-group membership (DESIGN.md, "Assignment"). After every change
 * of capacity, first the chunks that lack members are filled, lowest id first; then new chunks
 * are opened while at least {@code n} farmers have free replica slots, so every chunk is born
 * full. In both steps the farmers with the most free slots go first (lowest id on a tie), which
 * spreads load, and a farmer never holds two replicas of one chunk. Slots that cannot form a full
 * group stay free: they are the spare capacity that replaces a member who leaves. Deterministic:
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

    /** Assigns free slots: repairs first, then new full chunks. */
    void assignFreeSlots() {
        for (long chunkId : List.copyOf(incompleteChunks)) {
            Chunk chunk = state.chunk(chunkId);
            List<Long> members = new ArrayList<>(chunk.members());
            List<Farmer> candidates = withFreeSlots(members);
            int missing = params.groupSize() - members.size();
            if (candidates.isEmpty()) {
                continue;
            }
            for (Farmer farmer : candidates.subList(0, Math.min(missing, candidates.size()))) {
                members.add(farmer.id());
                takeSlot(farmer);
            }
            putChunk(chunk.withMembers(members));
        }
        List<Farmer> candidates = withFreeSlots(List.of());
        while (candidates.size() >= params.groupSize()) {
            List<Long> members = new ArrayList<>();
            for (Farmer farmer : candidates.subList(0, params.groupSize())) {
                members.add(farmer.id());
                takeSlot(farmer);
            }
            putChunk(newChunk().withMembers(members));
            candidates = withFreeSlots(List.of());
        }
    }

    /** Active farmers with a free slot and not in {@code exclude}, most free slots first. */
    private List<Farmer> withFreeSlots(List<Long> exclude) {
        List<Farmer> result = new ArrayList<>();
        for (Farmer farmer : state.farmers().values()) {
            if (farmer.freeReplicaSlots(params) > 0 && !exclude.contains(farmer.id())) {
                result.add(farmer);
            }
        }
        result.sort(Comparator.comparingInt((Farmer f) -> -f.freeReplicaSlots(params))
                .thenComparingLong(Farmer::id));
        return result;
    }

    private void takeSlot(Farmer farmer) {
        state.putFarmer(state.farmer(farmer.id()).withAssigned(
                state.farmer(farmer.id()).assignedReplicas() + 1));
    }

    private Chunk newChunk() {
        Globals globals = state.globals();
        Chunk chunk = new Chunk(globals.nextChunkId(), List.of(), 0, 0);
        state.setGlobals(globals.withNextIds(globals.nextFarmerId(), globals.nextChunkId() + 1,
                globals.nextVolumeId()));
        return chunk;
    }

    private void putChunk(Chunk chunk) {
        allocator.putChunk(chunk);
        if (chunk.isFull(params)) {
            incompleteChunks.remove(chunk.id());
        } else {
            incompleteChunks.add(chunk.id());
        }
    }

    /**
     * Whether spare slots could give every group of the farmer a new member now (one that is
     * not in the group already), so that taking it out repairs rather than shrinks them.
     */
    boolean canReplace(long farmerId) {
        Map<Long, Integer> spare = new HashMap<>();
        for (Farmer farmer : withFreeSlots(List.of(farmerId))) {
            spare.put(farmer.id(), farmer.freeReplicaSlots(params));
        }
        for (long chunkId : state.chunksOf(farmerId)) {
            List<Long> members = state.chunk(chunkId).members();
            Long taker = spare.keySet().stream().filter(id -> spare.get(id) > 0
                    && !members.contains(id)).findFirst().orElse(null);
            if (taker == null) {
                return false;
            }
            spare.merge(taker, -1, Integer::sum);
        }
        return true;
    }

    /** Removes the farmer from every group it is in, then repairs the groups from spare slots. */
    void exit(long farmerId) {
        remove(farmerId, Farmer.Status.EXITED);
    }

    /**
     * Takes the farmer out of every group with {@code why} as its status (exited, suspended or
     * blacklisted: none of them is assigned replicas), then repairs the groups from spare slots.
     */
    void remove(long farmerId, Farmer.Status why) {
        Farmer leaving = state.farmer(farmerId);
        state.putFarmer(leaving.removed(why));
        for (long chunkId : List.copyOf(state.chunksOf(farmerId))) {
            Chunk chunk = state.chunk(chunkId);
            List<Long> members = new ArrayList<>(chunk.members());
            members.remove(farmerId);
            putChunk(chunk.withMembers(members));
        }
        assignFreeSlots();
    }
}
