package org.cnt.farmer.microchain;

import org.cnt.chain.micro.ChunkMeta;
import java.util.List;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.micro.ChunkOp;
import org.cnt.chain.micro.MicroBlock;
import org.cnt.chain.micro.QuorumCert;

/**
 * What a replica must find again after a crash: the blocks it accepted, the highest vote it cast
 * (so it never votes twice at one rank), its lock, and which blocks are committed.
 */
public sealed interface WalEntry {

    /** A block and its operations, stored before voting for it or after catching it up. */
    record BlockEntry(MicroBlock block, List<ChunkOp> ops) implements WalEntry {
    }

    /** The rank of a vote, stored before the vote is sent. */
    record VoteEntry(long view, long height) implements WalEntry {
    }

    /** The highest certificate seen, stored before any vote that relied on it. */
    record LockEntry(QuorumCert lock) implements WalEntry {
    }

    /** A verified snapshot installed at {@code height}, whose committed block is {@code hash}. */
    record SnapshotEntry(long height, Hash hash, ChunkMeta meta, java.util.Map<Integer, byte[]> pages)
            implements WalEntry {
    }

    /**
     * Block {@code height} with {@code hash} is committed, by the two-chain ending in
     * {@code certifying} whose certificate is {@code proofQc}: kept so that after a restart the
     * member can still prove the commit to a client that asks again (null in old entries).
     */
    record CommitEntry(long height, Hash hash, MicroBlock certifying, QuorumCert proofQc)
            implements WalEntry {
        public CommitEntry(long height, Hash hash) {
            this(height, hash, null, null);
        }
    }
}
