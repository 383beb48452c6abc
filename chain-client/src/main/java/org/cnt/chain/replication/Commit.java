package org.cnt.chain.replication;

import org.cnt.chain.crypto.Hash;
import org.cnt.chain.micro.MicroMessage;

/**
 * A verified commit of one operation: the block height holding it and the proof a quorum of the
 * group signed, checked before this object exists.
 */
public record Commit(long chunkId, Hash opDigest, long height, MicroMessage.Committed proof) {

    /** The membership epoch of the group that ordered it: the epoch its height counts in. */
    public long epoch() {
        return proof.chain().getFirst().epoch();
    }

    /** The member that led the certifying block: the best first guess for the next write. */
    public int leader() {
        return proof.chain().getLast().leader();
    }
}
