package org.cnt.chain.types;

import java.util.Arrays;
import org.cnt.chain.codec.CanonicalReader;
import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.codec.Encodable;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.crypto.PublicKey;
import org.cnt.chain.crypto.Signature;

/**
 * A main-chain block header. The state root commits to the whole chain state after the block,
 * so two nodes that agree on a header agree on every balance, lease and chunk. The block hash
 * covers everything but the producer's signature, which signs that hash.
 */
public record BlockHeader(long height, Hash previousHash, long timestampMs, Hash txRoot,
                          Hash stateRoot, int txCount, Figures figures, PublicKey producer,
                          byte[] signature) implements Encodable {
    static final int TAG = 0x42;
    static final int VERSION = 1;

    public BlockHeader withSignature(KeyPair key) {
        return new BlockHeader(height, previousHash, timestampMs, txRoot, stateRoot, txCount,
                figures, producer, key.sign(hash().toBytes()));
    }

    private byte[] unsigned() {
        return new CanonicalWriter(256).u8(TAG).u8(VERSION).u64(height)
                .fixed(previousHash.toBytes()).u64(timestampMs).fixed(txRoot.toBytes())
                .fixed(stateRoot.toBytes()).u32(txCount).write(figures).fixed(producer.toBytes())
                .toByteArray();
    }

    public Hash hash() {
        return Hash.sha256(unsigned());
    }

    public boolean signatureValid() {
        return producer.verify(hash().toBytes(), signature);
    }

    @Override
    public void encode(CanonicalWriter out) {
        out.fixed(unsigned()).fixed(signature);
    }

    public static BlockHeader decode(CanonicalReader in) throws CodecException {
        in.expectTag(TAG, "block header");
        in.expectVersion(VERSION, "block header");
        return new BlockHeader(in.u64Max("height", Long.MAX_VALUE),
                Hash.wrap(in.fixed(Hash.SIZE_BYTES, "previous hash")),
                in.u64Max("timestamp", Long.MAX_VALUE),
                Hash.wrap(in.fixed(Hash.SIZE_BYTES, "tx root")),
                Hash.wrap(in.fixed(Hash.SIZE_BYTES, "state root")), in.u32("tx count"),
                Figures.decode(in), PublicKey.wrap(in.fixed(PublicKey.SIZE_BYTES, "producer")),
                in.fixed(Signature.SIZE_BYTES, "signature"));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BlockHeader header && hash().equals(header.hash())
                && Arrays.equals(signature, header.signature);
    }

    @Override
    public int hashCode() {
        return hash().hashCode();
    }
}
