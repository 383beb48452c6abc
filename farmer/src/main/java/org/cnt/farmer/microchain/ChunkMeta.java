package org.cnt.farmer.microchain;

import java.util.Arrays;
import org.cnt.chain.codec.CanonicalReader;
import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.PublicKey;

/**
 * The chunk's small state beside its pages: the open write session, if any, the last applied
 * sequence number of every slice, and whether this membership epoch is sealed (it then takes no
 * more writes; the next epoch starts from this state, unsealed). Immutable: validation derives
 * the meta of each pending block without touching the committed one.
 */
public record ChunkMeta(Hash sessionId, PublicKey sessionOwner, long sessionVolume,
                        long[] sliceSeqs, boolean sealed) {

    public static ChunkMeta empty(int sliceCount) {
        return new ChunkMeta(null, null, 0, new long[sliceCount], false);
    }

    /** The same state, open for writes: what the next epoch of the chunk starts from. */
    public ChunkMeta unsealed() {
        return new ChunkMeta(sessionId, sessionOwner, sessionVolume, sliceSeqs, false);
    }

    public boolean hasSession() {
        return sessionId != null;
    }

    public ChunkMeta withSession(Hash id, PublicKey owner, long volume) {
        return new ChunkMeta(id, owner, volume, sliceSeqs, sealed);
    }

    public ChunkMeta withoutSession() {
        return new ChunkMeta(null, null, 0, sliceSeqs, sealed);
    }

    public ChunkMeta withSeq(int slice, long seq) {
        long[] seqs = sliceSeqs.clone();
        seqs[slice] = seq;
        return new ChunkMeta(sessionId, sessionOwner, sessionVolume, seqs, sealed);
    }

    /** The metadata after a committed (already validated) operation. */
    public ChunkMeta after(org.cnt.chain.micro.ChunkOp op) {
        return switch (op) {
            case org.cnt.chain.micro.ChunkOp.OpenSession open ->
                    withSession(open.sessionId(), open.owner(), open.volumeId());
            case org.cnt.chain.micro.ChunkOp.CloseSession close -> withoutSession();
            case org.cnt.chain.micro.ChunkOp.Seal seal ->
                    new ChunkMeta(sessionId, sessionOwner, sessionVolume, sliceSeqs, true);
            case org.cnt.chain.micro.ChunkOp.WopBatch batch -> {
                long[] seqs = sliceSeqs.clone();
                for (org.cnt.chain.micro.Wop wop : batch.wops()) {
                    seqs[wop.sliceIndex()] = wop.sliceSeq();
                }
                yield new ChunkMeta(sessionId, sessionOwner, sessionVolume, seqs, sealed);
            }
        };
    }

    public byte[] toBytes() {
        CanonicalWriter out = new CanonicalWriter(64 + 8 * sliceSeqs.length).u8(0x6D).u8(1)
                .bool(sealed).bool(hasSession());
        if (hasSession()) {
            out.fixed(sessionId.toBytes()).fixed(sessionOwner.toBytes()).u64(sessionVolume);
        }
        out.u32(sliceSeqs.length);
        for (long seq : sliceSeqs) {
            out.u64(seq);
        }
        return out.toByteArray();
    }

    public Hash hash() {
        return Hash.sha256(toBytes());
    }

    public static ChunkMeta decode(byte[] bytes, int sliceCount) throws CodecException {
        CanonicalReader in = CanonicalReader.of(bytes);
        in.expectTag(0x6D, "chunk metadata");
        in.expectVersion(1, "chunk metadata");
        boolean sealed = in.bool("sealed");
        ChunkMeta meta = in.bool("has session")
                ? new ChunkMeta(Hash.wrap(in.fixed(Hash.SIZE_BYTES, "session")),
                        PublicKey.wrap(in.fixed(PublicKey.SIZE_BYTES, "owner")),
                        in.u64("volume"), null, sealed)
                : new ChunkMeta(null, null, 0, null, sealed);
        int count = in.u32("slice count");
        if (count != sliceCount) {
            throw new CodecException("chunk metadata has " + count + " slices, expected "
                    + sliceCount);
        }
        long[] seqs = new long[count];
        for (int i = 0; i < count; i++) {
            seqs[i] = in.u64Max("slice seq", Long.MAX_VALUE);
        }
        in.finish("chunk metadata");
        return new ChunkMeta(meta.sessionId, meta.sessionOwner, meta.sessionVolume, seqs, sealed);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ChunkMeta m && Arrays.equals(toBytes(), m.toBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sliceSeqs);
    }
}
