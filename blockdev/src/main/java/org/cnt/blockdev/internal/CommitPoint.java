package org.cnt.blockdev.internal;

/**
 * Where on a chunk's micro-chain a write committed: heights count from each membership epoch's
 * start, and a later epoch holds every write of an earlier one. A read asks for a certified state
 * at least this new, so no replica can serve what was there before.
 */
record CommitPoint(long epoch, long height) {
    static final CommitPoint NONE = new CommitPoint(0, 0);

    CommitPoint max(CommitPoint other) {
        if (other.epoch != epoch) {
            return other.epoch > epoch ? other : this;
        }
        return other.height > height ? other : this;
    }
}
