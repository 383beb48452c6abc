package org.cnt.farmer.store;

import org.cnt.chain.codec.CanonicalReader;
import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.crypto.Hash;

/**
 * The committed height the chunk file is known to hold in full (it was synced before this was
 * written), the hash of the block committed there and the chunk metadata at that height.
 */
public record Checkpoint(long height, Hash hash, byte[] meta) {

    byte[] toBytes() {
        return new CanonicalWriter().u8(1).u64(height).fixed(hash.toBytes()).bytes(meta)
                .toByteArray();
    }

    static Checkpoint decode(byte[] bytes) throws CodecException {
        CanonicalReader in = CanonicalReader.of(bytes);
        in.expectVersion(1, "checkpoint");
        Checkpoint checkpoint = new Checkpoint(in.u64Max("height", Long.MAX_VALUE),
                Hash.wrap(in.fixed(Hash.SIZE_BYTES, "hash")), in.bytes(16 << 20, "meta"));
        in.finish("checkpoint");
        return checkpoint;
    }
}
