package org.cnt.chain.micro;

import java.util.ArrayList;
import java.util.List;
import org.cnt.chain.codec.CanonicalReader;
import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.codec.Encodable;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.PublicKey;
import org.cnt.chain.crypto.Signature;

/**
 * A quorum certificate: the signatures of {@code q} members of a copy group on one micro-block,
 * named by (view, height, hash). Signers are a bitmap over the group's member order (groups have
 * at most 64 members). The certificate of height 0 certifies the chunk's implicit genesis block
 * and carries no signatures.
 */
public record QuorumCert(long chunkId, long epoch, long view, long height, Hash blockHash,
                         long signers, List<byte[]> signatures) implements Encodable {

    public QuorumCert {
        signatures = List.copyOf(signatures);
        if (Long.bitCount(signers) != signatures.size()) {
            throw new IllegalArgumentException("signer bitmap has " + Long.bitCount(signers)
                    + " bits for " + signatures.size() + " signatures");
        }
    }

    public static QuorumCert genesis(long chunkId, long epoch) {
        return new QuorumCert(chunkId, epoch, 0, 0, MicroBlock.genesisHash(chunkId, epoch), 0,
                List.of());
    }

    public boolean isGenesis() {
        return height == 0;
    }

    /** Orders certificates by (view, height): a higher rank supersedes a lower one. */
    public int compareRank(QuorumCert other) {
        int byView = Long.compare(view, other.view);
        return byView != 0 ? byView : Long.compare(height, other.height);
    }

    /** True when {@code q} distinct members signed this block (or it is the genesis). */
    public boolean verify(List<PublicKey> members, int quorum) {
        if (isGenesis()) {
            return view == 0 && signers == 0
                    && blockHash.equals(MicroBlock.genesisHash(chunkId, epoch));
        }
        if (members.size() > 64 || (members.size() < 64 && signers >>> members.size() != 0)
                || signatures.size() < quorum) {
            return false;
        }
        byte[] statement = Vote.statement(chunkId, epoch, view, height, blockHash);
        int next = 0;
        for (int member = 0; member < members.size(); member++) {
            if ((signers & (1L << member)) != 0
                    && !members.get(member).verify(statement, signatures.get(next++))) {
                return false;
            }
        }
        return true;
    }

    /** What {@link #encode} writes, computed without writing it. */
    public int encodedSizeBytes() {
        return 4 * 8 + Hash.SIZE_BYTES + 8 + signatures.size() * Signature.SIZE_BYTES;
    }

    @Override
    public void encode(CanonicalWriter out) {
        out.u64(chunkId).u64(epoch).u64(view).u64(height).fixed(blockHash.toBytes()).u64(signers);
        for (byte[] signature : signatures) {
            out.fixed(signature);
        }
    }

    public static QuorumCert decode(CanonicalReader in) throws CodecException {
        long chunk = in.u64Max("chunk", Long.MAX_VALUE);
        long epoch = in.u64Max("epoch", Long.MAX_VALUE);
        long view = in.u64Max("view", Long.MAX_VALUE);
        long height = in.u64Max("height", Long.MAX_VALUE);
        Hash hash = Hash.wrap(in.fixed(Hash.SIZE_BYTES, "block hash"));
        long signers = in.u64("signers");
        List<byte[]> signatures = new ArrayList<>(Long.bitCount(signers));
        for (int i = 0; i < Long.bitCount(signers); i++) {
            signatures.add(in.fixed(Signature.SIZE_BYTES, "QC signature"));
        }
        return new QuorumCert(chunk, epoch, view, height, hash, signers, signatures);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof QuorumCert qc && java.util.Arrays.equals(toBytes(), qc.toBytes());
    }

    @Override
    public int hashCode() {
        return blockHash.hashCode() ^ Long.hashCode(view);
    }
}
