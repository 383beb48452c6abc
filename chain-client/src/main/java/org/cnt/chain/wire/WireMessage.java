package org.cnt.chain.wire;

import java.nio.ByteBuffer;
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
import org.cnt.chain.merkle.PageTree;
import org.cnt.chain.micro.ChunkRoot;
import org.cnt.chain.micro.MicroBlock;
import org.cnt.chain.micro.MicroMessage;
import org.cnt.chain.micro.QuorumCert;

/**
 * What one frame carries. A connection opens with the acceptor's {@link Challenge} and the
 * dialer's signed {@link Hello}, so a farmer knows which key speaks on each connection; then
 * micro-chain messages and reads flow both ways, many in flight at once (reads carry an id).
 */
public sealed interface WireMessage {
    int NONCE_BYTES = 32;
    int MAX_READ_PAGES = 256;
    /** The largest chunk metadata a reply carries (a chunk of 131,000 slices). */
    int MAX_META_BYTES = 1 << 20;

    int tag();

    void encodeBody(CanonicalWriter out);

    default byte[] toBytes() {
        CanonicalWriter out = new CanonicalWriter().u8(tag());
        encodeBody(out);
        return out.toByteArray();
    }

    /**
     * {@link #toBytes} as parts to be written in order: the Wop batches of a micro-chain
     * message are their own encodings, read-only and not copied into one array first.
     */
    default List<ByteBuffer> encodingParts() {
        return List.of(ByteBuffer.wrap(toBytes()));
    }

    /** Sent by the accepting side as soon as a connection opens. */
    record Challenge(byte[] nonce) implements WireMessage {
        public int tag() {
            return 1;
        }

        public void encodeBody(CanonicalWriter out) {
            out.fixed(nonce);
        }
    }

    /** The dialer's identity: its key and its signature over the acceptor's nonce. */
    record Hello(PublicKey key, byte[] signature) implements WireMessage {
        public static Hello answer(KeyPair key, byte[] nonce) {
            return new Hello(key.publicKey(), key.sign(statement(nonce, key.publicKey())));
        }

        public boolean verify(byte[] nonce) {
            return key.verify(statement(nonce, key), signature);
        }

        private static byte[] statement(byte[] nonce, PublicKey key) {
            return new CanonicalWriter(80).string("cnt-wire-hello").fixed(nonce)
                    .fixed(key.toBytes()).toByteArray();
        }

        public int tag() {
            return 2;
        }

        public void encodeBody(CanonicalWriter out) {
            out.fixed(key.toBytes()).fixed(signature);
        }
    }

    /** A micro-chain protocol message. */
    record Micro(MicroMessage message) implements WireMessage {
        public int tag() {
            return 3;
        }

        /** The same bytes as the generic path, written once: proposals run to megabytes. */
        @Override
        public byte[] toBytes() {
            CanonicalWriter out = new CanonicalWriter(5 + message.sizeHintBytes()).u8(3);
            int start = out.beginLength();
            message.encodeTo(out);
            return out.endLength(start).toByteArray();
        }

        public void encodeBody(CanonicalWriter out) {
            int start = out.beginLength();
            message.encodeTo(out);
            out.endLength(start);
        }

        @Override
        public List<ByteBuffer> encodingParts() {
            return message.encodingPartsPrefixed(tag());
        }
    }

    /**
     * Asks for committed bytes of a chunk at a certified height of at least {@code minHeight}
     * of the chunk's epoch {@code epoch} (the height of the reader's last committed write, so no
     * replica can serve older data), and with {@code withMeta} the chunk's metadata at that
     * height too (sessions and slice sequence numbers: what a client resuming its writes must
     * know). A read of no bytes asks for the metadata alone; its offset names a slice the reader
     * owns. Heights count from each epoch's start, so the epoch says which group's heights
     * {@code minHeight} counts: a member of a later epoch tells the reader to move on.
     */
    record ReadRequest(long requestId, long chunkId, long epoch, long offsetBytes,
                       int lengthBytes, long minHeight, boolean withMeta) implements WireMessage {
        public int tag() {
            return 4;
        }

        public void encodeBody(CanonicalWriter out) {
            out.u64(requestId).u64(chunkId).u64(epoch).u64(offsetBytes).u32(lengthBytes)
                    .u64(minHeight).bool(withMeta);
        }
    }

    /**
     * The whole pages covering a read, each with its Merkle path to {@code pagesRoot}, and the
     * certified block whose committed root binds that pages root with {@code metaHash}.
     */
    record ReadReply(long requestId, long chunkId, MicroBlock anchor, QuorumCert anchorQc,
                     Hash pagesRoot, Hash metaHash, byte[] meta, int firstPage,
                     List<byte[]> pages, List<List<Hash>> proofs) implements WireMessage {
        public ReadReply {
            pages = List.copyOf(pages);
            proofs = proofs.stream().map(List::copyOf).toList();
        }

        public int tag() {
            return 5;
        }

        public void encodeBody(CanonicalWriter out) {
            out.u64(requestId).u64(chunkId).write(anchor).write(anchorQc)
                    .fixed(pagesRoot.toBytes()).fixed(metaHash.toBytes()).bytes(meta)
                    .u32(firstPage)
                    .u32(pages.size());
            for (int i = 0; i < pages.size(); i++) {
                out.bytes(pages.get(i)).u8(proofs.get(i).size());
                for (Hash sibling : proofs.get(i)) {
                    out.fixed(sibling.toBytes());
                }
            }
        }

        /**
         * The requested bytes if every page checks out against a root certified by a quorum of
         * {@code members} at a height the request accepts; null when anything does not, so the
         * reader asks another member.
         */
        public byte[] verifiedBytes(ReadRequest request, List<PublicKey> members, int quorum,
                                    int pageSizeBytes) {
            long first = request.offsetBytes() / pageSizeBytes;
            long end = request.lengthBytes() == 0 ? first
                    : (request.offsetBytes() + request.lengthBytes() + pageSizeBytes - 1)
                    / pageSizeBytes;
            boolean metaAsAsked = request.withMeta() ? Hash.sha256(meta).equals(metaHash)
                    : meta.length == 0;
            if (!metaAsAsked || requestId != request.requestId() || chunkId != request.chunkId()
                    || anchor.chunkId() != chunkId || anchor.epoch() != request.epoch()
                    || anchorQc.epoch() != request.epoch() || firstPage != first
                    || pages.size() != end - first || proofs.size() != pages.size()
                    || anchor.committedHeight() < request.minHeight()
                    || !anchorQc.blockHash().equals(anchor.hash())
                    || !ChunkRoot.of(pagesRoot, metaHash).equals(anchor.committedRoot())
                    || !anchorQc.verify(members, quorum)) {
                return null;
            }
            byte[] out = new byte[request.lengthBytes()];
            for (int i = 0; i < pages.size(); i++) {
                byte[] page = pages.get(i);
                if (page.length != pageSizeBytes
                        || !PageTree.verify(pagesRoot, firstPage + i, page, proofs.get(i))) {
                    return null;
                }
                long pageStart = (long) (firstPage + i) * pageSizeBytes;
                long from = Math.max(pageStart, request.offsetBytes());
                long to = Math.min(pageStart + pageSizeBytes,
                        request.offsetBytes() + request.lengthBytes());
                System.arraycopy(page, (int) (from - pageStart), out,
                        (int) (from - request.offsetBytes()), (int) (to - from));
            }
            return out;
        }
    }

    /** A request the farmer will not serve, and why (a result, not a broken connection). */
    record Failure(long requestId, String reason) implements WireMessage {
        public int tag() {
            return 6;
        }

        public void encodeBody(CanonicalWriter out) {
            out.u64(requestId).string(reason);
        }
    }

    /** Decodes one frame body; anything but exactly one valid message is refused. */
    public static WireMessage decode(byte[] body) throws CodecException {
        CanonicalReader in = CanonicalReader.of(body);
        int tag = in.u8("wire message tag");
        WireMessage message = switch (tag) {
            case 1 -> new Challenge(in.fixed(NONCE_BYTES, "nonce"));
            case 2 -> new Hello(PublicKey.wrap(in.fixed(PublicKey.SIZE_BYTES, "key")),
                    in.fixed(Signature.SIZE_BYTES, "signature"));
            case 3 -> new Micro(MicroMessage.decode(in.sub(MicroMessage.MAX_ENCODED_BYTES,
                    "micro-chain message")));
            case 4 -> new ReadRequest(in.u64("request id"), in.u64Max("chunk", Long.MAX_VALUE),
                    in.u64Max("epoch", Long.MAX_VALUE), in.u64Max("offset", Long.MAX_VALUE),
                    nonNegative(in.u32("length"), "length"),
                    in.u64Max("min height", Long.MAX_VALUE), in.bool("with meta"));
            case 5 -> decodeReadReply(in);
            case 6 -> new Failure(in.u64("request id"), in.string(1024, "reason"));
            default -> throw new CodecException("unknown wire message tag " + tag);
        };
        in.finish("wire message");
        return message;
    }

    private static int nonNegative(int value, String field) throws CodecException {
        if (value < 0) {
            throw new CodecException(field + " out of range: " + Integer.toUnsignedString(value));
        }
        return value;
    }

    private static ReadReply decodeReadReply(CanonicalReader in) throws CodecException {
        long requestId = in.u64("request id");
        long chunk = in.u64Max("chunk", Long.MAX_VALUE);
        MicroBlock anchor = MicroBlock.decode(in);
        QuorumCert qc = QuorumCert.decode(in);
        Hash pagesRoot = Hash.wrap(in.fixed(Hash.SIZE_BYTES, "pages root"));
        Hash metaHash = Hash.wrap(in.fixed(Hash.SIZE_BYTES, "meta hash"));
        byte[] meta = in.bytes(MAX_META_BYTES, "chunk metadata");
        int firstPage = nonNegative(in.u32("first page"), "first page");
        int count = in.u32("page count");
        if (count < 0 || count > MAX_READ_PAGES) {
            throw new CodecException("read reply page count out of range: "
                    + Integer.toUnsignedString(count));
        }
        List<byte[]> pages = new ArrayList<>(count);
        List<List<Hash>> proofs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            pages.add(in.bytes(1 << 16, "page"));
            int depth = in.u8("proof depth");
            if (depth > 31) {
                throw new CodecException("proof deeper than any chunk: " + depth);
            }
            Hash[] siblings = new Hash[depth];
            for (int d = 0; d < depth; d++) {
                siblings[d] = Hash.wrap(in.fixed(Hash.SIZE_BYTES, "proof hash"));
            }
            proofs.add(Arrays.asList(siblings));
        }
        return new ReadReply(requestId, chunk, anchor, qc, pagesRoot, metaHash, meta, firstPage,
                pages, proofs);
    }
}
