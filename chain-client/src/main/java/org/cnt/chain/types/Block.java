package org.cnt.chain.types;

import java.util.ArrayList;
import java.util.List;
import org.cnt.chain.codec.CanonicalReader;
import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.codec.Encodable;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.merkle.MerkleTree;

/** A header and the transactions it orders; the header's tx root commits to their ids. */
public record Block(BlockHeader header, List<Tx> txs) implements Encodable {
    public static final int MAX_TXS = 100_000;

    public Block {
        txs = List.copyOf(txs);
    }

    public static Hash txRoot(List<Tx> txs) {
        List<Hash> leaves = new ArrayList<>(txs.size());
        for (Tx tx : txs) {
            leaves.add(MerkleTree.leafHash(tx.id().toBytes()));
        }
        return MerkleTree.root(leaves);
    }

    public Hash hash() {
        return header.hash();
    }

    public long height() {
        return header.height();
    }

    @Override
    public void encode(CanonicalWriter out) {
        out.u8(0x62).u8(1).write(header).u32(txs.size());
        for (Tx tx : txs) {
            out.bytes(tx.toBytes());
        }
    }

    public static Block decode(byte[] bytes) throws CodecException {
        CanonicalReader in = CanonicalReader.of(bytes);
        in.expectTag(0x62, "block");
        in.expectVersion(1, "block");
        BlockHeader header = BlockHeader.decode(in);
        int count = in.u32("tx count");
        if (count < 0 || count > MAX_TXS || count != header.txCount()) {
            throw new CodecException("block tx count " + count + " does not match header "
                    + header.txCount());
        }
        List<Tx> txs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            txs.add(Tx.decode(in.bytes(Tx.MAX_SIZE_BYTES, "tx")));
        }
        in.finish("block");
        return new Block(header, txs);
    }
}
