package org.cnt.farmer.microchain;

import java.util.List;
import org.cnt.chain.micro.ChunkOp;
import org.cnt.chain.micro.MicroBlock;
import org.cnt.chain.micro.MicroMessage;

/** What a replica asks its driver to do; the replica itself does no I/O. */
public sealed interface ReplicaOutput {

    /** Send a message to a peer: members are 0..n-1, clients are driver-assigned ids above. */
    record Send(int to, MicroMessage message) implements ReplicaOutput {
    }

    /**
     * Make an entry durable, then call {@link Replica#onPersisted(long)} with the token. Messages
     * that depend on it (a vote) are held back until then.
     */
    record Persist(long token, WalEntry entry) implements ReplicaOutput {
    }

    /** A block became final: apply it to the chunk file. */
    record Commit(MicroBlock block, List<ChunkOp> ops) implements ReplicaOutput {
    }
}
