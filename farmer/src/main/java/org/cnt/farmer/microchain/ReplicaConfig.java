package org.cnt.farmer.microchain;

import java.util.List;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.crypto.PublicKey;
import org.cnt.chain.replication.CopyGroup;

/**
 * One member's view of one chunk's copy group. {@code timeoutTicks} is how many silent ticks make
 * a member give up on a leader (doubling on each consecutive view change); {@code newViewWaitTicks}
 * how long a new leader waits, after a quorum of new-view messages, for the rest (HotStuff-2's
 * wait, which lets it see the highest lock of every live member). {@code retainBlocks}: how many
 * committed heights back a peer can still be sent blocks (from the durable log; their
 * certificates stay in memory, the blocks' operations only for the newest few) rather than a
 * snapshot.
 */
public record ReplicaConfig(long chunkId, long epoch, List<PublicKey> members, int self,
                            KeyPair key, ChunkGeometry geometry, LeaseView leases,
                            int timeoutTicks, int newViewWaitTicks, int maxOpsPerBlock,
                            int maxPendingOps, int retainBlocks,
                            boolean unsafeCommitOnFewerVotes) {

    public ReplicaConfig {
        members = List.copyOf(members);
        if (members.isEmpty() || members.size() > 64 || self < 0 || self >= members.size()
                || !members.get(self).equals(key.publicKey())) {
            throw new IllegalArgumentException("member " + self + " of " + members.size()
                    + " must hold its own key");
        }
        if (timeoutTicks < 1 || newViewWaitTicks < 0 || maxOpsPerBlock < 1 || maxPendingOps < 1
                || retainBlocks < 2) {
            throw new IllegalArgumentException("replica limits must be positive");
        }
    }

    public int groupSize() {
        return members.size();
    }

    /** {@code floor(2n/3) + 1}; the test-only broken mode takes one fewer, to prove the checkers. */
    public int quorum() {
        int q = 2 * members.size() / 3 + 1;
        return unsafeCommitOnFewerVotes ? q - 1 : q;
    }

    /** Tolerated faults: {@code f = (n - 1) / 3}. */
    public int faults() {
        return (members.size() - 1) / 3;
    }

    /** {@code leader(view) = members[(h(chunk) + view) mod n]}, with h a fixed mix of the id. */
    public int leader(long view) {
        return CopyGroup.leader(chunkId, view, members.size());
    }
}
