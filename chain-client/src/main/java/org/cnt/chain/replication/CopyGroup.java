package org.cnt.chain.replication;

import java.util.List;
import org.cnt.chain.crypto.PublicKey;

/** A chunk's copy group as the main chain states it: member keys and where each listens. */
public record CopyGroup(long chunkId, long epoch, List<PublicKey> members,
                        List<String> endpoints) {

    public CopyGroup {
        members = List.copyOf(members);
        endpoints = List.copyOf(endpoints);
        if (members.isEmpty() || members.size() != endpoints.size()) {
            throw new IllegalArgumentException("a copy group needs one endpoint per member: "
                    + members.size() + " members, " + endpoints.size() + " endpoints");
        }
    }

    public int size() {
        return members.size();
    }

    /** {@code f + 1}: so many members saying the same include an honest one. */
    public int honestWitnesses() {
        return (members.size() - 1) / 3 + 1;
    }

    /** {@code q = floor(2n/3) + 1}. */
    public int quorum() {
        return 2 * members.size() / 3 + 1;
    }

    /** {@code leader(view) = members[(h(chunk) + view) mod n]}, h a fixed mix of the id. */
    public static int leader(long chunkId, long view, int groupSize) {
        long mixed = chunkId * 0x9E3779B97F4A7C15L;
        return (int) Math.floorMod(mixed + view, (long) groupSize);
    }
}
