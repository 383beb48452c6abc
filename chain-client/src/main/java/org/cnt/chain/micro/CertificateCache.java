package org.cnt.chain.micro;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.PublicKey;

/**
 * Remembers certificates whose signatures already verified: one QC reaches a member in a
 * proposal's justify, a certificate broadcast, new-view messages and catch-up replies, and each
 * check is a quorum of Ed25519 verifications. Keyed by the digest of the certificate's whole
 * encoding with the member keys and quorum it was checked against, so a certificate that differs
 * in any byte, or a different group, is verified afresh. Thread-safe.
 */
public final class CertificateCache {
    private final Map<Hash, Boolean> verified;

    public CertificateCache(int capacity) {
        this.verified = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Hash, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** {@link QuorumCert#verify}, answered from memory for a certificate seen before. */
    public synchronized boolean verify(QuorumCert qc, List<PublicKey> members, int quorum) {
        if (qc.isGenesis()) {
            return qc.verify(members, quorum);
        }
        CanonicalWriter key = new CanonicalWriter(512).write(qc).u32(quorum);
        for (PublicKey member : members) {
            key.fixed(member.toBytes());
        }
        Hash digest = Hash.sha256(key.buffer(), 0, key.sizeBytes());
        if (verified.containsKey(digest)) {
            return true;
        }
        if (!qc.verify(members, quorum)) {
            return false;
        }
        verified.put(digest, Boolean.TRUE);
        return true;
    }
}
