package org.cnt.chain.proof;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.crypto.Hash;

/**
 * What a member signs at the end of a proof round: for chunk {@code chunkId}, in the round of
 * block {@code roundHeight} (seed {@code seed}), these members (sorted farmer ids) answered
 * their challenges with bytes that match the signer's own copy. The chain pays those named in a
 * statement a quorum of the group signed.
 */
public record ProofStatement(long chunkId, long roundHeight, Hash seed, long[] agreeing) {
    private static final byte[] DOMAIN = "cnt-proof-statement".getBytes(StandardCharsets.UTF_8);

    public ProofStatement {
        agreeing = agreeing.clone();
        for (int i = 1; i < agreeing.length; i++) {
            if (agreeing[i] <= agreeing[i - 1]) {
                throw new IllegalArgumentException("agreeing members must be sorted and "
                        + "distinct: " + Arrays.toString(agreeing));
            }
        }
    }

    /** The bytes a signature covers. */
    public byte[] signingBytes() {
        CanonicalWriter out = new CanonicalWriter().fixed(DOMAIN).u64(chunkId).u64(roundHeight)
                .fixed(seed.toBytes()).u32(agreeing.length);
        for (long farmer : agreeing) {
            out.u64(farmer);
        }
        return out.toByteArray();
    }

    public boolean names(long farmer) {
        return Arrays.binarySearch(agreeing, farmer) >= 0;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ProofStatement s && chunkId == s.chunkId
                && roundHeight == s.roundHeight && seed.equals(s.seed)
                && Arrays.equals(agreeing, s.agreeing);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(chunkId) * 31 + Arrays.hashCode(agreeing);
    }

    @Override
    public String toString() {
        return "chunk " + chunkId + " round " + roundHeight + " agreeing "
                + Arrays.toString(agreeing);
    }
}
