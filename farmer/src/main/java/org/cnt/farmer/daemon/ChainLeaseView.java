package org.cnt.farmer.daemon;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.cnt.farmer.microchain.LeaseView;
import org.cnt.farmer.microchain.SliceLease;

/** Leases as the newest chain view states them; replicas ask it on their own threads. */
final class ChainLeaseView implements LeaseView {
    private final AtomicReference<ChainView> view;

    ChainLeaseView(AtomicReference<ChainView> view) {
        this.view = view;
    }

    @Override
    public SliceLease lease(long chunkId, int sliceIndex) {
        Map<Integer, SliceLease> slices = view.get().leases().get(chunkId);
        return slices == null ? null : slices.get(sliceIndex);
    }

    @Override
    public long nowSec() {
        return view.get().nowSec();
    }
}
