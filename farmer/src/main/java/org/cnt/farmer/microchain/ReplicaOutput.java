package org.cnt.farmer.microchain;

import java.util.List;
import java.util.function.Function;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.micro.ChunkOp;
import org.cnt.chain.micro.MicroBlock;
import org.cnt.chain.micro.MicroMessage;
import org.cnt.chain.micro.QuorumCert;

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

    /**
     * A peer asked for committed blocks this replica no longer holds in memory: read them back
     * from the durable log (off the replica's thread: it is a disk read) and send the peer
     * {@link #reply}. The log may have dropped some meanwhile (a checkpoint): the reply then
     * stops before them, and the peer asks again.
     */
    record ServeLogged(int to, long chunkId, List<LoggedBlock> blocks) implements ReplicaOutput {
        public ServeLogged {
            blocks = List.copyOf(blocks);
        }

        /** The reply from what the log returns for each hash (null: not there any more). */
        public MicroMessage.BlockResponse reply(Function<Hash, WalEntry.BlockEntry> logged) {
            return CertifiedRuns.fromLog(chunkId, blocks, logged);
        }
    }

    /** A committed block to serve from the log, and the certificate a reply ending at it has. */
    record LoggedBlock(Hash hash, QuorumCert certificate) {
    }
}
