package org.cnt.farmer.sim;

import java.util.HashMap;
import java.util.Map;
import org.cnt.farmer.microchain.LeaseView;
import org.cnt.farmer.microchain.SliceLease;

/** The simulated main chain: fixed leases of the simulated chunk. */
final class TestLeaseView implements LeaseView {
    private final Map<Integer, SliceLease> leases = new HashMap<>();

    void put(int slice, SliceLease lease) {
        leases.put(slice, lease);
    }

    @Override
    public SliceLease lease(long chunkId, int sliceIndex) {
        return chunkId == Simulator.CHUNK ? leases.get(sliceIndex) : null;
    }

    @Override
    public long nowSec() {
        return 0;
    }
}
