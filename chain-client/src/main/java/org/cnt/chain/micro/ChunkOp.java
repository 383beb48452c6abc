package org.cnt.chain.micro;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cnt.chain.codec.CanonicalReader;
import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.crypto.PublicKey;
import org.cnt.chain.crypto.Signature;

/**
 * What a micro-block orders: an owner-signed operation on one chunk of one volume. The owner signs
 * the digest of the body once per operation (a whole batch of Wops, not each 4 KiB write).
 */
public sealed interface ChunkOp {
    int MAX_ENCODED_BYTES = 8 << 20;

    long volumeId();

    long chunkId();

    Hash sessionId();

    PublicKey owner();

    byte[] signature();

    /** The signed body: everything but the signature. */
    byte[] body();

    default Hash digest() {
        return Hash.sha256(body());
    }

    default boolean signatureValid() {
        return owner().verify(digest().toBytes(), signature());
    }

    default byte[] toBytes() {
        byte[] body = body();
        return new CanonicalWriter(body.length + Signature.SIZE_BYTES).fixed(body)
                .fixed(signature()).toByteArray();
    }

    private static CanonicalWriter header(int tag, long volumeId, long chunkId, Hash sessionId,
                                          PublicKey owner) {
        return header(tag, volumeId, chunkId, sessionId, owner, 128);
    }

    private static CanonicalWriter header(int tag, long volumeId, long chunkId, Hash sessionId,
                                          PublicKey owner, int capacityBytes) {
        return new CanonicalWriter(capacityBytes).u8(tag).u8(1).u64(volumeId).u64(chunkId)
                .fixed(sessionId.toBytes()).fixed(owner.toBytes());
    }

    /** Signs an operation whose body is its header alone (session open and close). */
    private static byte[] signHeader(KeyPair owner, int tag, long volumeId, long chunkId,
                                     Hash sessionId) {
        byte[] unsigned = header(tag, volumeId, chunkId, sessionId, owner.publicKey())
                .toByteArray();
        return owner.sign(Hash.sha256(unsigned).toBytes());
    }

    /** Opens the exclusive write session {@code sessionId} of a client on this chunk. */
    record OpenSession(long volumeId, long chunkId, Hash sessionId, PublicKey owner,
                       byte[] signature) implements ChunkOp {
        static final int TAG = 0x4F;

        public static OpenSession sign(KeyPair owner, long volumeId, long chunkId, Hash sessionId) {
            return new OpenSession(volumeId, chunkId, sessionId, owner.publicKey(),
                    signHeader(owner, TAG, volumeId, chunkId, sessionId));
        }

        @Override
        public byte[] body() {
            return header(TAG, volumeId, chunkId, sessionId, owner).toByteArray();
        }
    }

    /** Ends the session, so another client of the owner may open one. */
    record CloseSession(long volumeId, long chunkId, Hash sessionId, PublicKey owner,
                        byte[] signature) implements ChunkOp {
        static final int TAG = 0x43;

        public static CloseSession sign(KeyPair owner, long volumeId, long chunkId, Hash sessionId) {
            return new CloseSession(volumeId, chunkId, sessionId, owner.publicKey(),
                    signHeader(owner, TAG, volumeId, chunkId, sessionId));
        }

        @Override
        public byte[] body() {
            return header(TAG, volumeId, chunkId, sessionId, owner).toByteArray();
        }
    }

    /**
     * Wops on slices of this chunk, written inside the session. The digest is computed once, when
     * the batch is built: every member asks for it many times, and a batch can be megabytes.
     */
    record WopBatch(long volumeId, long chunkId, Hash sessionId, PublicKey owner, List<Wop> wops,
                    byte[] signature, Hash digest) implements ChunkOp {
        static final int TAG = 0x57;
        public static final int MAX_WOPS = 4096;

        /** The digest argument is ignored: it is always computed from the body. */
        public WopBatch {
            wops = List.copyOf(wops);
            if (wops.isEmpty() || wops.size() > MAX_WOPS) {
                throw new IllegalArgumentException("a batch holds 1.." + MAX_WOPS + " Wops, got "
                        + wops.size());
            }
            digest = Hash.sha256(bodyOf(volumeId, chunkId, sessionId, owner, wops));
        }

        public WopBatch(long volumeId, long chunkId, Hash sessionId, PublicKey owner,
                        List<Wop> wops, byte[] signature) {
            this(volumeId, chunkId, sessionId, owner, wops, signature, null);
        }

        public static WopBatch sign(KeyPair owner, long volumeId, long chunkId, Hash sessionId,
                                    List<Wop> wops) {
            WopBatch unsigned = new WopBatch(volumeId, chunkId, sessionId, owner.publicKey(), wops,
                    new byte[Signature.SIZE_BYTES]);
            return new WopBatch(volumeId, chunkId, sessionId, owner.publicKey(), wops,
                    owner.sign(unsigned.digest().toBytes()));
        }

        @Override
        public byte[] body() {
            return bodyOf(volumeId, chunkId, sessionId, owner, wops);
        }

        private static byte[] bodyOf(long volumeId, long chunkId, Hash sessionId,
                                     PublicKey owner, List<Wop> wops) {
            long size = 128;
            for (Wop wop : wops) {
                size += wop.data().length + 24;
            }
            CanonicalWriter out = header(TAG, volumeId, chunkId, sessionId, owner,
                    (int) Math.min(size, MAX_ENCODED_BYTES)).u32(wops.size());
            for (Wop wop : wops) {
                out.write(wop);
            }
            return out.toByteArray();
        }

        public long dataBytes() {
            long total = 0;
            for (Wop wop : wops) {
                total += wop.data().length;
            }
            return total;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof WopBatch b && digest.equals(b.digest)
                    && Arrays.equals(signature, b.signature);
        }

        @Override
        public int hashCode() {
            return digest.hashCode();
        }

        @Override
        public String toString() {
            return "WopBatch[volume " + volumeId + ", chunk " + chunkId + ", " + wops.size()
                    + " wops, digest " + digest + "]";
        }
    }

    /** Decodes one operation, refusing anything but exactly one well-formed operation. */
    static ChunkOp decode(byte[] bytes) throws CodecException {
        if (bytes.length > MAX_ENCODED_BYTES) {
            throw new CodecException("chunk operation too large: " + bytes.length + " bytes");
        }
        CanonicalReader in = CanonicalReader.of(bytes);
        int tag = in.u8("op tag");
        in.expectVersion(1, "chunk operation");
        long volume = in.u64Max("volume", Long.MAX_VALUE);
        long chunk = in.u64Max("chunk", Long.MAX_VALUE);
        Hash session = Hash.wrap(in.fixed(Hash.SIZE_BYTES, "session"));
        PublicKey owner = PublicKey.wrap(in.fixed(PublicKey.SIZE_BYTES, "owner"));
        ChunkOp op = switch (tag) {
            case OpenSession.TAG -> new OpenSession(volume, chunk, session, owner,
                    in.fixed(Signature.SIZE_BYTES, "signature"));
            case CloseSession.TAG -> new CloseSession(volume, chunk, session, owner,
                    in.fixed(Signature.SIZE_BYTES, "signature"));
            case WopBatch.TAG -> {
                int count = in.u32("wop count");
                if (count < 1 || count > WopBatch.MAX_WOPS) {
                    throw new CodecException("a batch holds 1.." + WopBatch.MAX_WOPS
                            + " Wops, got " + Integer.toUnsignedString(count));
                }
                List<Wop> wops = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    wops.add(Wop.decode(in));
                }
                yield new WopBatch(volume, chunk, session, owner, wops,
                        in.fixed(Signature.SIZE_BYTES, "signature"));
            }
            default -> throw new CodecException("unknown chunk operation tag " + tag);
        };
        in.finish("chunk operation");
        return op;
    }
}
