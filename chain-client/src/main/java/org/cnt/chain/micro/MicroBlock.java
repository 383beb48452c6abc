package org.cnt.chain.micro;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cnt.chain.codec.CanonicalReader;
import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.codec.Encodable;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.crypto.PublicKey;
import org.cnt.chain.crypto.Signature;

/**
 * One entry of a chunk's micro-chain: proposed by the leader of {@code view} at {@code height},
 * extending the block certified by {@code justify}, ordering operations by digest. It also carries
 * the chunk's state root after the leader's latest committed height, so members detect divergence
 * and a QC on this block lets a client verify any page read at that height.
 */
public record MicroBlock(long chunkId, long epoch, long view, long height, Hash parentHash,
                         int leader, QuorumCert justify, long committedHeight, Hash committedRoot,
                         List<Hash> opDigests, byte[] signature) implements Encodable {
    public static final int MAX_OPS = 1024;
    private static final int TAG = 0x4D;

    public MicroBlock {
        opDigests = List.copyOf(opDigests);
        if (opDigests.size() > MAX_OPS) {
            throw new IllegalArgumentException("at most " + MAX_OPS + " ops per block, got "
                    + opDigests.size());
        }
    }

    /** The implicit block 0 of a chunk's chain in one membership epoch. */
    public static Hash genesisHash(long chunkId, long epoch) {
        return Hash.sha256(new CanonicalWriter(24).u8(TAG).u8(0).u64(chunkId).u64(epoch)
                .toByteArray());
    }

    /** A leader's proposal, signed so that equivocation is provable. */
    public static MicroBlock propose(KeyPair leaderKey, int leader, QuorumCert justify, long view,
                                     long committedHeight, Hash committedRoot, List<Hash> ops) {
        MicroBlock unsigned = new MicroBlock(justify.chunkId(), justify.epoch(), view,
                justify.height() + 1, justify.blockHash(), leader, justify, committedHeight,
                committedRoot, ops, new byte[Signature.SIZE_BYTES]);
        return new MicroBlock(unsigned.chunkId, unsigned.epoch, view, unsigned.height,
                unsigned.parentHash, leader, justify, committedHeight, committedRoot, ops,
                leaderKey.sign(unsigned.hash().toBytes()));
    }

    private byte[] unsigned() {
        CanonicalWriter out = new CanonicalWriter(256 + 32 * opDigests.size()).u8(TAG).u8(1)
                .u64(chunkId).u64(epoch).u64(view).u64(height).fixed(parentHash.toBytes())
                .u8(leader).write(justify).u64(committedHeight).fixed(committedRoot.toBytes())
                .u32(opDigests.size());
        for (Hash digest : opDigests) {
            out.fixed(digest.toBytes());
        }
        return out.toByteArray();
    }

    public Hash hash() {
        return Hash.sha256(unsigned());
    }

    public boolean leaderSignatureValid(PublicKey leaderKey) {
        return leaderKey.verify(hash().toBytes(), signature);
    }

    /** The block extends the one its certificate names, one height up, in the same chunk. */
    public boolean extendsJustify() {
        return justify.chunkId() == chunkId && justify.epoch() == epoch
                && justify.height() + 1 == height && justify.blockHash().equals(parentHash)
                && justify.view() <= view;
    }

    /** What {@link #encode} writes, computed without writing it. */
    public int encodedSizeBytes() {
        return 2 + 4 * 8 + Hash.SIZE_BYTES + 1 + justify.encodedSizeBytes() + 8 + Hash.SIZE_BYTES
                + 4 + Hash.SIZE_BYTES * opDigests.size() + Signature.SIZE_BYTES;
    }

    @Override
    public void encode(CanonicalWriter out) {
        out.fixed(unsigned()).fixed(signature);
    }

    public static MicroBlock decode(CanonicalReader in) throws CodecException {
        in.expectTag(TAG, "micro-block");
        in.expectVersion(1, "micro-block");
        long chunk = in.u64Max("chunk", Long.MAX_VALUE);
        long epoch = in.u64Max("epoch", Long.MAX_VALUE);
        long view = in.u64Max("view", Long.MAX_VALUE);
        long height = in.u64Max("height", Long.MAX_VALUE);
        Hash parent = Hash.wrap(in.fixed(Hash.SIZE_BYTES, "parent"));
        int leader = in.u8("leader");
        QuorumCert justify = QuorumCert.decode(in);
        long committedHeight = in.u64Max("committed height", Long.MAX_VALUE);
        Hash committedRoot = Hash.wrap(in.fixed(Hash.SIZE_BYTES, "committed root"));
        int count = in.u32("op count");
        if (count < 0 || count > MAX_OPS) {
            throw new CodecException("micro-block op count out of range: "
                    + Integer.toUnsignedString(count));
        }
        List<Hash> ops = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ops.add(Hash.wrap(in.fixed(Hash.SIZE_BYTES, "op digest")));
        }
        return new MicroBlock(chunk, epoch, view, height, parent, leader, justify, committedHeight,
                committedRoot, ops, in.fixed(Signature.SIZE_BYTES, "leader signature"));
    }

    public static MicroBlock decode(byte[] bytes) throws CodecException {
        CanonicalReader in = CanonicalReader.of(bytes);
        MicroBlock block = decode(in);
        in.finish("micro-block");
        return block;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MicroBlock b && hash().equals(b.hash())
                && Arrays.equals(signature, b.signature);
    }

    @Override
    public int hashCode() {
        return hash().hashCode();
    }

    @Override
    public String toString() {
        return "MicroBlock[chunk " + chunkId + " v" + view + " h" + height + " ops "
                + opDigests.size() + "]";
    }
}
