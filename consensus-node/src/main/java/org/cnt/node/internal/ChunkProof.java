package org.cnt.node.internal;

import java.util.Arrays;
import org.cnt.chain.codec.CanonicalReader;
import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.codec.Encodable;

/**
 * A chunk's proof record. {@code roundStartEpoch} is the group's epoch when the open round
 * began: a group that changed during a round is not charged for it (its new member had no full
 * round to prove in). {@code provenRound} and {@code provenEpoch} say which round and group the
 * latest accepted proof is from (-1: none yet), {@code proven} the members it named.
 */
record ChunkProof(long chunkId, long roundStartEpoch, long provenRound, long provenEpoch,
                  long[] proven) implements Encodable {
    static ChunkProof none(long chunkId, long epoch) {
        return new ChunkProof(chunkId, epoch, -1, -1, new long[0]);
    }

    ChunkProof {
        proven = proven.clone();
    }

    boolean names(long farmer) {
        return Arrays.binarySearch(proven, farmer) >= 0;
    }

    ChunkProof startingRound(long epoch) {
        return new ChunkProof(chunkId, epoch, provenRound, provenEpoch, proven);
    }

    ChunkProof proved(long round, long epoch, long[] members) {
        return new ChunkProof(chunkId, roundStartEpoch, round, epoch, members);
    }

    @Override
    public void encode(CanonicalWriter out) {
        out.u64(chunkId).u64(roundStartEpoch).u64(provenRound + 1).u64(provenEpoch + 1)
                .u8(proven.length);
        for (long farmer : proven) {
            out.u64(farmer);
        }
    }

    static ChunkProof decode(CanonicalReader in) throws CodecException {
        long chunk = in.u64Max("chunk id", Long.MAX_VALUE);
        long startEpoch = in.u64Max("round start epoch", Long.MAX_VALUE);
        long round = in.u64Max("proven round", Long.MAX_VALUE) - 1;
        long epoch = in.u64Max("proven epoch", Long.MAX_VALUE) - 1;
        long[] proven = new long[in.u8("proven count")];
        for (int i = 0; i < proven.length; i++) {
            proven[i] = in.u64Max("proven member", Long.MAX_VALUE);
        }
        return new ChunkProof(chunk, startEpoch, round, epoch, proven);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ChunkProof p && chunkId == p.chunkId
                && roundStartEpoch == p.roundStartEpoch && provenRound == p.provenRound
                && provenEpoch == p.provenEpoch && Arrays.equals(proven, p.proven);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(chunkId) * 31 + Long.hashCode(provenRound);
    }

    @Override
    public String toString() {
        return "chunk " + chunkId + " proven in round " + provenRound + " (epoch " + provenEpoch
                + "): " + Arrays.toString(proven);
    }
}
