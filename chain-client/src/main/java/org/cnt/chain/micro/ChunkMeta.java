package org.cnt.chain.micro;

import java.util.Arrays;
import org.cnt.chain.codec.CanonicalReader;
import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.PublicKey;

/**
 * The chunk's small state beside its pages: the open write session, if any (with its lease and
 * holder), the last applied sequence number of every slice, the volume whose data each slice
 * holds (0: none yet), and whether this membership epoch is sealed (it then takes no more
 * writes; the next epoch starts from this state, unsealed). Its hash
 * is bound into every certified root, so a client that reads it back from one farmer trusts it
 * as much as the pages. Immutable: validation derives the meta of each pending block without
 * touching the committed one.
 */
public record ChunkMeta(Session session, long[] sliceSeqs, long[] sliceVolumes, boolean sealed) {

    /** The open session: who holds it and until when (0: until closed). */
    public record Session(Hash id, PublicKey owner, long volumeId, long untilSec, String holder) {
        /** Whether it still excludes other sessions at main-chain time {@code nowSec}. */
        public boolean leasedAt(long nowSec) {
            return untilSec == 0 || untilSec > nowSec;
        }
    }

    public static ChunkMeta empty(int sliceCount) {
        return new ChunkMeta(null, new long[sliceCount], new long[sliceCount], false);
    }

    /** The same state, open for writes: what the next epoch of the chunk starts from. */
    public ChunkMeta unsealed() {
        return new ChunkMeta(session, sliceSeqs, sliceVolumes, false);
    }

    public boolean hasSession() {
        return session != null;
    }

    public Hash sessionId() {
        return session == null ? null : session.id();
    }

    public PublicKey sessionOwner() {
        return session == null ? null : session.owner();
    }

    public long sessionVolume() {
        return session == null ? 0 : session.volumeId();
    }

    /** The session opened, and the slices it claims now holding its volume's data. */
    public ChunkMeta withSession(ChunkOp.OpenSession open) {
        long[] volumes = sliceVolumes.clone();
        for (int slice : open.slices()) {
            volumes[slice] = open.volumeId();
        }
        return new ChunkMeta(new Session(open.sessionId(), open.owner(), open.volumeId(),
                open.untilSec(), open.holder()), sliceSeqs, volumes, sealed);
    }

    public ChunkMeta withoutSession() {
        return new ChunkMeta(null, sliceSeqs, sliceVolumes, sealed);
    }

    /** The volume whose data the slice holds, or 0 if it holds none. */
    public long sliceVolume(int slice) {
        return sliceVolumes[slice];
    }

    /**
     * Whether the slice holds data of a volume other than {@code volumeId}: an earlier lease's,
     * which its new owner's session erases when it opens (until then nobody reads or writes it).
     */
    public boolean holdsOthers(int slice, long volumeId) {
        return sliceVolumes[slice] != 0 && sliceVolumes[slice] != volumeId;
    }

    public ChunkMeta withSeq(int slice, long seq) {
        long[] seqs = sliceSeqs.clone();
        seqs[slice] = seq;
        return new ChunkMeta(session, seqs, sliceVolumes, sealed);
    }

    /** The metadata after a committed (already validated) operation. */
    public ChunkMeta after(ChunkOp op) {
        return switch (op) {
            case ChunkOp.OpenSession open -> withSession(open);
            case ChunkOp.CloseSession close -> withoutSession();
            case ChunkOp.Seal seal -> new ChunkMeta(session, sliceSeqs, sliceVolumes, true);
            case ChunkOp.WopBatch batch -> {
                long[] seqs = sliceSeqs.clone();
                long[] volumes = sliceVolumes.clone();
                for (Wop wop : batch.wops()) {
                    seqs[wop.sliceIndex()] = wop.sliceSeq();
                    volumes[wop.sliceIndex()] = batch.volumeId();
                }
                yield new ChunkMeta(session, seqs, volumes, sealed);
            }
        };
    }

    public byte[] toBytes() {
        CanonicalWriter out = new CanonicalWriter(256 + 16 * sliceSeqs.length).u8(0x6D).u8(3)
                .bool(sealed).bool(hasSession());
        if (hasSession()) {
            out.fixed(session.id().toBytes()).fixed(session.owner().toBytes())
                    .u64(session.volumeId()).u64(session.untilSec()).string(session.holder());
        }
        out.u32(sliceSeqs.length);
        for (long seq : sliceSeqs) {
            out.u64(seq);
        }
        for (long volume : sliceVolumes) {
            out.u64(volume);
        }
        return out.toByteArray();
    }

    public Hash hash() {
        return Hash.sha256(toBytes());
    }

    public static ChunkMeta decode(byte[] bytes, int sliceCount) throws CodecException {
        CanonicalReader in = CanonicalReader.of(bytes);
        in.expectTag(0x6D, "chunk metadata");
        in.expectVersion(3, "chunk metadata");
        boolean sealed = in.bool("sealed");
        Session session = in.bool("has session")
                ? new Session(Hash.wrap(in.fixed(Hash.SIZE_BYTES, "session")),
                        PublicKey.wrap(in.fixed(PublicKey.SIZE_BYTES, "owner")),
                        in.u64("volume"), in.u64Max("session until", Long.MAX_VALUE),
                        in.string(ChunkOp.OpenSession.MAX_HOLDER_BYTES, "session holder"))
                : null;
        int count = in.u32("slice count");
        if (count != sliceCount) {
            throw new CodecException("chunk metadata has " + Integer.toUnsignedString(count)
                    + " slices, expected " + sliceCount);
        }
        long[] seqs = new long[count];
        for (int i = 0; i < count; i++) {
            seqs[i] = in.u64Max("slice seq", Long.MAX_VALUE);
        }
        long[] volumes = new long[count];
        for (int i = 0; i < count; i++) {
            volumes[i] = in.u64Max("slice volume", Long.MAX_VALUE);
        }
        in.finish("chunk metadata");
        return new ChunkMeta(session, seqs, volumes, sealed);
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
