package org.cnt.farmer.microchain;

/**
 * The main chain as the micro-chain sees it: which volume and owner lease each slice, and the
 * chain's time. Fed from the consensus node's chunk map and volumes; a map in tests.
 */
public interface LeaseView {
    /** The lease of a slice of the chunk, or null when no volume holds it. */
    SliceLease lease(long chunkId, int sliceIndex);

    /** The main chain's time (its head block), against which leases expire. */
    long nowSec();
}
