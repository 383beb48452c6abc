package org.cnt.chain.proof;

import java.util.Map;
import java.util.TreeMap;
import org.cnt.chain.crypto.PublicKey;

/**
 * A statement with the signatures of the group members who made it: what a space-proof
 * transaction carries. It holds when at least {@code quorum} members of the group (by the
 * chain's chunk map) signed that very statement; signatures of others, or bad ones, count for
 * nothing. With a group of {@code 3f + 1} and a quorum of {@code 2f + 1}, up to {@code f}
 * colluding members cannot certify a member that lacks the data: every honest member leaves it
 * out.
 */
public record ProofCertificate(ProofStatement statement, Map<Long, byte[]> signatures) {
    public ProofCertificate {
        signatures = Map.copyOf(new TreeMap<>(signatures));
    }

    /** How many members of {@code group} (farmer id to key) signed the statement validly. */
    public int validSigners(Map<Long, PublicKey> group) {
        byte[] message = statement.signingBytes();
        int valid = 0;
        for (Map.Entry<Long, byte[]> signature : signatures.entrySet()) {
            PublicKey key = group.get(signature.getKey());
            if (key != null && key.verify(message, signature.getValue())) {
                valid++;
            }
        }
        return valid;
    }

    /** Whether a quorum of {@code group} vouches for the statement. */
    public boolean holds(Map<Long, PublicKey> group, int quorum) {
        return validSigners(group) >= quorum;
    }
}
