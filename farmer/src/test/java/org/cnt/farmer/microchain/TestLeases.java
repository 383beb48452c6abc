package org.cnt.farmer.microchain;

import java.util.HashMap;
import java.util.Map;

/** A mutable lease map and clock, standing in for the main chain in unit tests and simulations. */
final class TestLeases implements LeaseView {
    private final Map<Long, Map<Integer, SliceLease>> leases = new HashMap<>();
    long nowSec = 1_000;

    TestLeases lease(long chunk, int slice, SliceLease lease) {
        leases.computeIfAbsent(chunk, c -> new HashMap<>()).put(slice, lease);
        return this;
    }

    @Override
    public SliceLease lease(long chunkId, int sliceIndex) {
        return leases.getOrDefault(chunkId, Map.of()).get(sliceIndex);
    }

    @Override
    public long nowSec() {
        return nowSec;
    }
}
