package org.cnt.node.internal;

import java.util.Comparator;
import org.cnt.chain.types.SliceRef;

/** A slice whose lease ended at {@code sinceSec} and whose grace period is over: free again. */
record FreedSlice(long sinceSec, long chunkId, int index) implements Comparable<FreedSlice> {
    private static final Comparator<FreedSlice> ORDER = Comparator.comparingLong(FreedSlice::sinceSec)
            .thenComparingLong(FreedSlice::chunkId).thenComparingInt(FreedSlice::index);

    SliceRef slice() {
        return new SliceRef(chunkId, index);
    }

    /** Earliest-expired first, as DESIGN.md's allocation rule asks. */
    @Override
    public int compareTo(FreedSlice other) {
        return ORDER.compare(this, other);
    }
}
