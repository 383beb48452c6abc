package org.cnt.chain.micro;

import org.cnt.chain.codec.CanonicalReader;
import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.codec.Encodable;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.crypto.PublicKey;
import org.cnt.chain.crypto.Signature;

/** One member's signature on a micro-block; {@code q} of them make a {@link QuorumCert}. */
public record Vote(long chunkId, long epoch, long view, long height, Hash blockHash, int voter,
                   byte[] signature) implements Encodable {

    /** What a vote signs: domain-separated so it can never pass for another signed object. */
    public static byte[] statement(long chunkId, long epoch, long view, long height, Hash hash) {
        return Hash.sha256(new CanonicalWriter(80).u8(0x56).u8(1).u64(chunkId).u64(epoch)
                .u64(view).u64(height).fixed(hash.toBytes()).toByteArray()).toBytes();
    }

    public static Vote sign(KeyPair key, int voter, MicroBlock block) {
        return new Vote(block.chunkId(), block.epoch(), block.view(), block.height(), block.hash(),
                voter, key.sign(statement(block.chunkId(), block.epoch(), block.view(),
                        block.height(), block.hash())));
    }

    public boolean verify(PublicKey key) {
        return key.verify(statement(chunkId, epoch, view, height, blockHash), signature);
    }

    @Override
    public void encode(CanonicalWriter out) {
        out.u64(chunkId).u64(epoch).u64(view).u64(height).fixed(blockHash.toBytes()).u8(voter)
                .fixed(signature);
    }

    static Vote decode(CanonicalReader in) throws CodecException {
        return new Vote(in.u64Max("chunk", Long.MAX_VALUE), in.u64Max("epoch", Long.MAX_VALUE),
                in.u64Max("view", Long.MAX_VALUE), in.u64Max("height", Long.MAX_VALUE),
                Hash.wrap(in.fixed(Hash.SIZE_BYTES, "block hash")), in.u8("voter"),
                in.fixed(Signature.SIZE_BYTES, "vote signature"));
    }
}
