package org.cnt.chain.micro;

import java.util.ArrayList;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import org.cnt.chain.codec.CanonicalReader;
import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.merkle.PageTree;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.crypto.PublicKey;
import org.cnt.chain.crypto.Signature;

/**
 * What a micro-block orders: an owner-signed operation on one chunk of one volume. The owner signs
 * the digest of the body once per operation (a whole batch of Wops, not each 4 KiB write).
 */
public sealed interface ChunkOp {
    int MAX_ENCODED_BYTES = 8 << 20;
    /** Tag, version, volume, chunk, session and owner. */
    int HEADER_BYTES = 2 + 8 + 8 + Hash.SIZE_BYTES + PublicKey.SIZE_BYTES;

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

    /** Writes {@link #toBytes} with a u32 length prefix. */
    default void writeTo(CanonicalWriter out) {
        out.bytes(toBytes());
    }

    default int encodedSizeBytes() {
        return toBytes().length;
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

    /**
     * Opens, or renews, the exclusive write session {@code sessionId} of a client on this chunk.
     * The session is leased until {@code untilSec} (main-chain time) and renewed by opening it
     * again before then, so a client that vanished does not lock its volume for good: once the
     * lease ran out another session may take over (0: held until closed, for tools that write
     * raw Wops). {@code holder} names the client (host and process) to whoever finds it held.
     * {@code slices} are the chunk's slices the volume leases: a slice that still holds the data
     * of an earlier lease (released after its grace period, then rented again) is erased when
     * this commits, before its new owner can read or write it.
     */
    record OpenSession(long volumeId, long chunkId, Hash sessionId, PublicKey owner,
                       long untilSec, String holder, List<Integer> slices, byte[] signature)
            implements ChunkOp {
        static final int TAG = 0x4F;
        public static final int MAX_HOLDER_BYTES = 128;
        public static final int MAX_SLICES = 1 << 16;

        public OpenSession {
            slices = List.copyOf(slices);
            if (untilSec < 0 || holder.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                    > MAX_HOLDER_BYTES || slices.size() > MAX_SLICES
                    || slices.stream().anyMatch(slice -> slice < 0)) {
                throw new IllegalArgumentException("bad session lease: until " + untilSec
                        + ", holder of " + holder.length() + " characters, " + slices.size()
                        + " slices");
            }
        }

        /** A session held until it is closed (or the volume's lease ends), claiming no slice. */
        public static OpenSession sign(KeyPair owner, long volumeId, long chunkId, Hash sessionId) {
            return sign(owner, volumeId, chunkId, sessionId, 0, "", List.of());
        }

        public static OpenSession sign(KeyPair owner, long volumeId, long chunkId, Hash sessionId,
                                       long untilSec, String holder, List<Integer> slices) {
            OpenSession unsigned = new OpenSession(volumeId, chunkId, sessionId,
                    owner.publicKey(), untilSec, holder, slices, new byte[Signature.SIZE_BYTES]);
            return new OpenSession(volumeId, chunkId, sessionId, owner.publicKey(), untilSec,
                    holder, slices, owner.sign(Hash.sha256(unsigned.body()).toBytes()));
        }

        @Override
        public byte[] body() {
            CanonicalWriter out = header(TAG, volumeId, chunkId, sessionId, owner,
                    128 + 4 * slices.size()).u64(untilSec).string(holder).u32(slices.size());
            slices.forEach(out::u32);
            return out.toByteArray();
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
     * Ends a membership epoch of the chunk's copy group (DESIGN.md, "Assignment": the group
     * repairs). A member that leads when the main chain has moved the chunk to a new group signs
     * it; once it is committed the epoch takes no more writes, so every member that stays starts
     * the next epoch from the same final state. The volume field of the header carries the
     * epoch it ends, the session field is zero.
     */
    record Seal(long chunkId, long epoch, PublicKey owner, byte[] signature) implements ChunkOp {
        static final int TAG = 0x53;

        public static Seal sign(KeyPair member, long chunkId, long epoch) {
            byte[] unsigned = header(TAG, epoch, chunkId, Hash.ZERO, member.publicKey())
                    .toByteArray();
            return new Seal(chunkId, epoch, member.publicKey(),
                    member.sign(Hash.sha256(unsigned).toBytes()));
        }

        @Override
        public long volumeId() {
            return 0;
        }

        @Override
        public Hash sessionId() {
            return Hash.ZERO;
        }

        @Override
        public byte[] body() {
            return header(TAG, epoch, chunkId, Hash.ZERO, owner).toByteArray();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Seal s && chunkId == s.chunkId && epoch == s.epoch
                    && owner.equals(s.owner) && Arrays.equals(signature, s.signature);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(chunkId * 31 + epoch);
        }
    }

    /**
     * Wops on slices of this chunk, written inside the session. A batch keeps its encoding (body
     * then signature) and the digest of its body from the moment it is signed or decoded: every
     * member hashes, forwards, logs and proposes it, and a batch can be megabytes.
     *
     * <p>The digest is SHA-256 over the body with each Wop's data replaced by the hashes of its
     * pieces: the data cut at every multiple of {@link #PIECE_BYTES} of the slice offset, each
     * piece hashed as a Merkle leaf ({@code H(0x00 || piece)}). A piece that is a whole page is
     * then the page's leaf in the chunk's tree, so a member hashes the bytes it stores once, not
     * once to check the signature and again to update the tree.
     */
    final class WopBatch implements ChunkOp {
        static final int TAG = 0x57;
        public static final int MAX_WOPS = 4096;
        /** The page size of the digest's pieces (a chunk's page in production). */
        public static final int PIECE_BYTES = 4096;
        private final long volumeId;
        private final long chunkId;
        private final Hash sessionId;
        private final PublicKey owner;
        private final List<Wop> wops;
        /** The encoding is {@code encoded[start, start + length)}: in place in a frame or log read. */
        private final byte[] encoded;
        private final int start;
        private final int length;
        private final Hash digest;
        /** Per Wop, the leaf hashes of its pieces, in order. */
        private final Hash[][] pieces;

        /** A batch with a signature made elsewhere (or forged: members check it). */
        public WopBatch(long volumeId, long chunkId, Hash sessionId, PublicKey owner,
                        List<Wop> wops, byte[] signature) {
            this(volumeId, chunkId, sessionId, owner, checked(wops),
                    bodyWriter(volumeId, chunkId, sessionId, owner, checked(wops))
                            .fixed(signature));
        }

        private WopBatch(long volumeId, long chunkId, Hash sessionId, PublicKey owner,
                         List<Wop> wops, CanonicalWriter exact) {
            this(volumeId, chunkId, sessionId, owner, wops, exact.toByteArray(), 0,
                    exact.sizeBytes());
        }

        private WopBatch(long volumeId, long chunkId, Hash sessionId, PublicKey owner,
                         List<Wop> wops, byte[] encoded, int start, int length) {
            this(volumeId, chunkId, sessionId, owner, wops, encoded, start, length,
                    new Hash[wops.size()][], null);
        }

        /** {@code digest}, when given, is that of the encoding, with {@code pieces} filled. */
        private WopBatch(long volumeId, long chunkId, Hash sessionId, PublicKey owner,
                         List<Wop> wops, byte[] encoded, int start, int length,
                         Hash[][] pieces, Hash digest) {
            this.volumeId = volumeId;
            this.chunkId = chunkId;
            this.sessionId = sessionId;
            this.owner = owner;
            this.wops = wops;
            this.encoded = encoded;
            this.start = start;
            this.length = length;
            this.pieces = pieces;
            this.digest = digest != null ? digest : digestOf(encoded, start, wops, pieces);
        }

        /**
         * The digest of the encoding at {@code start} of {@code encoded} (see the class comment);
         * fills each Wop's pieces.
         */
        private static Hash digestOf(byte[] encoded, int start, List<Wop> wops,
                                     Hash[][] pieces) {
            MessageDigest outer = OUTER.get();
            int at = start + HEADER_BYTES + 4;
            outer.update(encoded, start, at - start);
            for (int i = 0; i < wops.size(); i++) {
                Wop wop = wops.get(i);
                outer.update(encoded, at, Wop.HEADER_BYTES);
                at += Wop.HEADER_BYTES;
                int length = wop.dataLength();
                int first = Math.min(length, PIECE_BYTES - wop.offsetBytes() % PIECE_BYTES);
                Hash[] hashes = new Hash[length == 0 ? 0
                        : 1 + (length - first + PIECE_BYTES - 1) / PIECE_BYTES];
                int done = 0;
                for (int piece = 0; piece < hashes.length; piece++) {
                    int size = piece == 0 ? first : Math.min(PIECE_BYTES, length - done);
                    hashes[piece] = PageTree.leafHash(encoded, at + done, size);
                    hashes[piece].updateDigest(outer);
                    done += size;
                }
                pieces[i] = hashes;
                at += length;
            }
            return Hash.ofDigest(outer);
        }

        /** The outer digest of a batch; the pieces use {@link Hash#threadDigest()}. */
        private static final ThreadLocal<MessageDigest> OUTER =
                ThreadLocal.withInitial(Hash::newDigest);

        /**
         * The leaf hash of piece {@code piece} of Wop {@code wop}: piece 0 starts at the Wop's
         * offset and ends at the next multiple of {@link #PIECE_BYTES}.
         */
        public Hash pieceHash(int wop, int piece) {
            return pieces[wop][piece];
        }

        public static WopBatch sign(KeyPair owner, long volumeId, long chunkId, Hash sessionId,
                                    List<Wop> wops) {
            List<Wop> copy = checked(wops);
            CanonicalWriter out = bodyWriter(volumeId, chunkId, sessionId, owner.publicKey(),
                    copy);
            Hash[][] pieces = new Hash[copy.size()][];
            Hash digest = digestOf(out.buffer(), 0, copy, pieces);
            out.fixed(owner.sign(digest.toBytes()));
            byte[] encoded = out.toByteArray();
            return new WopBatch(volumeId, chunkId, sessionId, owner.publicKey(), copy, encoded,
                    0, encoded.length, pieces, digest);
        }

        private static List<Wop> checked(List<Wop> wops) {
            if (wops.isEmpty() || wops.size() > MAX_WOPS) {
                throw new IllegalArgumentException("a batch holds 1.." + MAX_WOPS + " Wops, got "
                        + wops.size());
            }
            return List.copyOf(wops);
        }

        /** Sized exactly, with room for the signature, so the encoding is never copied. */
        private static CanonicalWriter bodyWriter(long volumeId, long chunkId, Hash sessionId,
                                                  PublicKey owner, List<Wop> wops) {
            long size = HEADER_BYTES + 4 + Signature.SIZE_BYTES;
            for (Wop wop : wops) {
                size += Wop.HEADER_BYTES + wop.dataLength();
            }
            CanonicalWriter out = header(TAG, volumeId, chunkId, sessionId, owner,
                    (int) Math.min(size, MAX_ENCODED_BYTES)).u32(wops.size());
            for (Wop wop : wops) {
                out.write(wop);
            }
            return out;
        }

        @Override
        public long volumeId() {
            return volumeId;
        }

        @Override
        public long chunkId() {
            return chunkId;
        }

        @Override
        public Hash sessionId() {
            return sessionId;
        }

        @Override
        public PublicKey owner() {
            return owner;
        }

        public List<Wop> wops() {
            return wops;
        }

        @Override
        public byte[] signature() {
            return Arrays.copyOfRange(encoded, start + length - Signature.SIZE_BYTES,
                    start + length);
        }

        @Override
        public byte[] body() {
            return Arrays.copyOfRange(encoded, start, start + length - Signature.SIZE_BYTES);
        }

        @Override
        public Hash digest() {
            return digest;
        }

        /** The batch's encoding, read-only and not copied (it can be megabytes). */
        public java.nio.ByteBuffer encoding() {
            return java.nio.ByteBuffer.wrap(encoded, start, length).slice().asReadOnlyBuffer();
        }

        @Override
        public byte[] toBytes() {
            return Arrays.copyOfRange(encoded, start, start + length);
        }

        @Override
        public void writeTo(CanonicalWriter out) {
            out.u32(length).fixed(encoded, start, length);
        }

        @Override
        public int encodedSizeBytes() {
            return length;
        }

        public long dataBytes() {
            long total = 0;
            for (Wop wop : wops) {
                total += wop.dataLength();
            }
            return total;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof WopBatch b && digest.equals(b.digest)
                    && Arrays.equals(encoded, start + length - Signature.SIZE_BYTES,
                    start + length, b.encoded, b.start + b.length - Signature.SIZE_BYTES,
                    b.start + b.length);
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

    /**
     * Decodes one operation, refusing anything but exactly one well-formed operation. The op
     * may keep {@code bytes} as its encoding: callers hand over an array they no longer change.
     */
    static ChunkOp decode(byte[] bytes) throws CodecException {
        return decode(CanonicalReader.of(bytes));
    }

    /**
     * Decodes the operation that fills {@code in} exactly. A batch keeps its encoding in place,
     * in {@code in}'s array (a whole frame, say): callers hand over an array they no longer
     * change, and one that lives no longer than it must (a batch's pages are views of it).
     */
    static ChunkOp decode(CanonicalReader in) throws CodecException {
        int start = in.position();
        int encodedLength = in.remaining();
        if (encodedLength > MAX_ENCODED_BYTES) {
            throw new CodecException("chunk operation too large: " + encodedLength + " bytes");
        }
        int tag = in.u8("op tag");
        in.expectVersion(1, "chunk operation");
        long volume = in.u64Max("volume", Long.MAX_VALUE);
        long chunk = in.u64Max("chunk", Long.MAX_VALUE);
        Hash session = Hash.wrap(in.fixed(Hash.SIZE_BYTES, "session"));
        PublicKey owner = PublicKey.wrap(in.fixed(PublicKey.SIZE_BYTES, "owner"));
        ChunkOp op = switch (tag) {
            case OpenSession.TAG -> {
                long until = in.u64Max("session until", Long.MAX_VALUE);
                String holder = in.string(OpenSession.MAX_HOLDER_BYTES, "session holder");
                int count = in.u32("slice count");
                if (count < 0 || count > OpenSession.MAX_SLICES) {
                    throw new CodecException("a session claims " + Integer.toUnsignedString(count)
                            + " slices, at most " + OpenSession.MAX_SLICES);
                }
                List<Integer> slices = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    int slice = in.u32("slice");
                    if (slice < 0) {
                        throw new CodecException("slice " + Integer.toUnsignedString(slice)
                                + " out of range");
                    }
                    slices.add(slice);
                }
                yield new OpenSession(volume, chunk, session, owner, until, holder, slices,
                        in.fixed(Signature.SIZE_BYTES, "signature"));
            }
            case CloseSession.TAG -> new CloseSession(volume, chunk, session, owner,
                    in.fixed(Signature.SIZE_BYTES, "signature"));
            case Seal.TAG -> {
                if (!session.equals(Hash.ZERO)) {
                    throw new CodecException("a seal carries no session");
                }
                yield new Seal(chunk, volume, owner, in.fixed(Signature.SIZE_BYTES, "signature"));
            }
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
                in.fixed(Signature.SIZE_BYTES, "signature");
                yield new WopBatch(volume, chunk, session, owner, List.copyOf(wops), in.array(),
                        start, encodedLength);
            }
            default -> throw new CodecException("unknown chunk operation tag " + tag);
        };
        in.finish("chunk operation");
        return op;
    }
}
