package org.cnt.chain.proof;

import org.cnt.chain.codec.CanonicalReader;
import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.Signature;

/** The canonical encoding of {@link ProofExchange.Message}s between members (after the chunk id). */
public final class ProofMessages {
    private static final int RESPONSE = 1;
    private static final int PROPOSAL = 2;
    private static final int VOTE = 3;

    private ProofMessages() {
    }

    public static void encode(ProofExchange.Message message, CanonicalWriter out) {
        switch (message) {
            case ProofExchange.Response r -> out.u8(RESPONSE).u64(r.roundHeight()).u64(r.from())
                    .u64(r.height()).fixed(r.answer().toBytes()).fixed(r.signature());
            case ProofExchange.Proposal p -> {
                out.u8(PROPOSAL).u64(p.roundHeight()).u64(p.from())
                        .fixed(p.statement().seed().toBytes()).u8(p.statement().agreeing().length);
                for (long farmer : p.statement().agreeing()) {
                    out.u64(farmer);
                }
                out.fixed(p.signature());
            }
            case ProofExchange.Vote v -> out.u8(VOTE).u64(v.roundHeight()).u64(v.from())
                    .u64(v.proposer()).fixed(v.signature());
        }
    }

    public static ProofExchange.Message decode(long chunkId, CanonicalReader in)
            throws CodecException {
        int kind = in.u8("proof message kind");
        long round = in.u64Max("round height", Long.MAX_VALUE);
        long from = in.u64Max("from", Long.MAX_VALUE);
        return switch (kind) {
            case RESPONSE -> new ProofExchange.Response(chunkId, round, from,
                    in.u64Max("height", Long.MAX_VALUE),
                    Hash.wrap(in.fixed(Hash.SIZE_BYTES, "answer")),
                    in.fixed(Signature.SIZE_BYTES, "signature"));
            case PROPOSAL -> {
                Hash seed = Hash.wrap(in.fixed(Hash.SIZE_BYTES, "seed"));
                int count = in.u8("agreeing count");
                if (count > ProofCertificate.MAX_MEMBERS) {
                    throw new CodecException("a proposal names at most "
                            + ProofCertificate.MAX_MEMBERS + " members, not " + count);
                }
                long[] agreeing = new long[count];
                for (int i = 0; i < count; i++) {
                    agreeing[i] = in.u64Max("agreeing member", Long.MAX_VALUE);
                    if (i > 0 && agreeing[i] <= agreeing[i - 1]) {
                        throw new CodecException("a proposal's members must be sorted and "
                                + "distinct");
                    }
                }
                yield new ProofExchange.Proposal(chunkId, round, from,
                        new ProofStatement(chunkId, round, seed, agreeing),
                        in.fixed(Signature.SIZE_BYTES, "signature"));
            }
            case VOTE -> new ProofExchange.Vote(chunkId, round, from,
                    in.u64Max("proposer", Long.MAX_VALUE),
                    in.fixed(Signature.SIZE_BYTES, "signature"));
            default -> throw new CodecException("unknown proof message kind " + kind);
        };
    }
}
