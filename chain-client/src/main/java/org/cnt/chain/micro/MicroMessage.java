package org.cnt.chain.micro;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.cnt.chain.codec.CanonicalReader;
import org.cnt.chain.codec.Parts;
import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.crypto.Hash;

/**
 * The messages of the micro-chain protocol, between members and from clients. One canonical
 * encoding, a tag per kind, a maximum size; decoding refuses anything else.
 */
public sealed interface MicroMessage {
    int MAX_ENCODED_BYTES = 64 << 20;
    int MAX_BLOCKS_PER_RESPONSE = 64;
    int MAX_PAGES_PER_RESPONSE = 1024;

    long chunkId();

    void encodeBody(CanonicalWriter out);

    int tag();

    /** Roughly the encoded size, so large messages are written without regrowing buffers. */
    default int sizeHintBytes() {
        return 256;
    }

    private static int opsBytes(List<ChunkOp> ops) {
        long total = 4;
        for (ChunkOp op : ops) {
            total += 4 + op.encodedSizeBytes();
        }
        return (int) Math.min(total, MAX_ENCODED_BYTES);
    }

    default byte[] toBytes() {
        CanonicalWriter out = new CanonicalWriter(sizeHintBytes());
        encodeTo(out);
        return out.toByteArray();
    }

    /** Tag, version and body: what {@link #toBytes} holds, written into a larger encoding. */
    default void encodeTo(CanonicalWriter out) {
        out.u8(tag()).u8(1);
        encodeBody(out);
    }

    /**
     * {@link #toBytes} as parts to be written in order: a message that carries Wop batches
     * (megabytes) gives each batch's own encoding, read-only and not copied.
     */
    default List<ByteBuffer> encodingParts() {
        return List.of(ByteBuffer.wrap(toBytes()));
    }

    /**
     * A one-byte {@code tag}, the u32 length of this message's encoding, then its
     * {@link #encodingParts}: this message as a tagged, length-prefixed field of a larger
     * encoding (a wire frame's body, a log entry).
     */
    default List<ByteBuffer> encodingPartsPrefixed(int tag) {
        List<ByteBuffer> inner = encodingParts();
        long length = Parts.remainingBytes(inner);
        List<ByteBuffer> parts = new ArrayList<>(inner.size() + 1);
        parts.add(ByteBuffer.wrap(new CanonicalWriter(5).u8(tag)
                .u32((int) Math.min(length, Integer.MAX_VALUE)).toByteArray()));
        parts.addAll(inner);
        return parts;
    }

    /** {@code head} (the encoding up to the operations), then each operation with its length. */
    private static List<ByteBuffer> partsWithOps(CanonicalWriter head, List<ChunkOp> ops) {
        List<ByteBuffer> parts = new ArrayList<>(1 + 2 * ops.size());
        parts.add(ByteBuffer.wrap(head.buffer(), 0, head.sizeBytes()));
        for (ChunkOp op : ops) {
            if (op instanceof ChunkOp.WopBatch batch) {
                parts.add(ByteBuffer.allocate(4).putInt(0, batch.encodedSizeBytes()));
                parts.add(batch.encoding());
            } else {
                CanonicalWriter small = new CanonicalWriter(8 + op.encodedSizeBytes());
                op.writeTo(small);
                parts.add(ByteBuffer.wrap(small.buffer(), 0, small.sizeBytes()));
            }
        }
        return parts;
    }

    /**
     * The membership epoch a member's message belongs to, so a farmer that runs two epochs of a
     * chunk during a handover routes it to the right one; -1 for messages of no epoch (client
     * operations and notices, snapshot requests).
     */
    static long epochOf(MicroMessage message) {
        return switch (message) {
            case Proposal p -> p.block().epoch();
            case VoteMsg v -> v.vote().epoch();
            case Certificate c -> c.qc().epoch();
            case NewViewMsg n -> n.newView().epoch();
            case BlockRequest r -> r.epoch();
            case BlockResponse r -> r.lastQc().epoch();
            case StateResponse r -> r.anchor().epoch();
            default -> -1;
        };
    }

    /** A client's (or a forwarding member's) operation for the leader to order. */
    record Submit(long chunkId, ChunkOp op) implements MicroMessage {
        public int sizeHintBytes() {
            return 2 + 8 + 4 + op.encodedSizeBytes();
        }

        public int tag() {
            return 1;
        }

        public void encodeBody(CanonicalWriter out) {
            out.u64(chunkId);
            op.writeTo(out);
        }

        @Override
        public List<ByteBuffer> encodingParts() {
            return partsWithOps(new CanonicalWriter(16).u8(tag()).u8(1).u64(chunkId),
                    List.of(op));
        }
    }

    /** A leader's block with the operations it orders. */
    record Proposal(long chunkId, MicroBlock block, List<ChunkOp> ops) implements MicroMessage {
        public Proposal {
            ops = List.copyOf(ops);
        }

        /** Exact, so a proposal of megabytes is encoded without a copy. */
        public int sizeHintBytes() {
            return 2 + 8 + block.encodedSizeBytes() + opsBytes(ops);
        }

        public int tag() {
            return 2;
        }

        public void encodeBody(CanonicalWriter out) {
            out.u64(chunkId).write(block).u32(ops.size());
            for (ChunkOp op : ops) {
                op.writeTo(out);
            }
        }

        @Override
        public List<ByteBuffer> encodingParts() {
            return partsWithOps(new CanonicalWriter(16 + block.encodedSizeBytes()).u8(tag())
                    .u8(1).u64(chunkId).write(block).u32(ops.size()), ops);
        }
    }

    /** A member's vote, to the leader of the block's view. */
    record VoteMsg(long chunkId, Vote vote) implements MicroMessage {
        public int tag() {
            return 3;
        }

        public void encodeBody(CanonicalWriter out) {
            out.u64(chunkId).write(vote);
        }
    }

    /** A fresh certificate, broadcast by the leader so members commit without waiting. */
    record Certificate(long chunkId, QuorumCert qc) implements MicroMessage {
        public int tag() {
            return 4;
        }

        public void encodeBody(CanonicalWriter out) {
            out.u64(chunkId).write(qc);
        }
    }

    /** A member's move to a new view. */
    record NewViewMsg(long chunkId, NewView newView) implements MicroMessage {
        public int tag() {
            return 5;
        }

        public void encodeBody(CanonicalWriter out) {
            out.u64(chunkId).write(newView);
        }
    }

    /**
     * Asks a peer for blocks of one epoch's chain from {@code fromHeight} on (catch-up); height 0
     * asks for a snapshot, which a member joining an epoch without its state needs first.
     */
    record BlockRequest(long chunkId, long epoch, long fromHeight, int maxBlocks)
            implements MicroMessage {
        public int tag() {
            return 6;
        }

        public void encodeBody(CanonicalWriter out) {
            out.u64(chunkId).u64(epoch).u64(fromHeight).u32(maxBlocks);
        }
    }

    /**
     * Blocks in height order with their operations, and the certificate of the last one; each
     * block's certificate is the next block's {@code justify}.
     */
    record BlockResponse(long chunkId, List<Proposal> blocks, QuorumCert lastQc)
            implements MicroMessage {
        public BlockResponse {
            blocks = List.copyOf(blocks);
        }

        public int tag() {
            return 7;
        }

        public int sizeHintBytes() {
            long total = 1024;
            for (Proposal block : blocks) {
                total += 4 + block.sizeHintBytes();
            }
            return (int) Math.min(total, MAX_ENCODED_BYTES);
        }

        public void encodeBody(CanonicalWriter out) {
            out.u64(chunkId).u32(blocks.size());
            for (Proposal block : blocks) {
                int start = out.beginLength();
                block.encodeTo(out);
                out.endLength(start);
            }
            out.write(lastQc);
        }
    }

    /** Asks for a committed snapshot of the chunk, when too far behind to replay blocks. */
    record StateRequest(long chunkId, long height, int fromPage, int pageCount)
            implements MicroMessage {
        public int tag() {
            return 8;
        }

        public void encodeBody(CanonicalWriter out) {
            out.u64(chunkId).u64(height).u32(fromPage).u32(pageCount);
        }
    }

    /**
     * Part of a snapshot at {@code anchor.committedHeight()}: the chunk metadata and a run of
     * pages (an empty array is an all-zero page). The anchor block, certified by
     * {@code anchorQc}, states the root of that height; the receiver checks the assembled
     * snapshot against it. {@code baseHash} is the hash of the committed block at that height.
     */
    record StateResponse(long chunkId, MicroBlock anchor, QuorumCert anchorQc, Hash baseHash,
                         byte[] meta, int fromPage, List<byte[]> pages) implements MicroMessage {
        public StateResponse {
            pages = List.copyOf(pages);
        }

        public int tag() {
            return 9;
        }

        public void encodeBody(CanonicalWriter out) {
            out.u64(chunkId).write(anchor).write(anchorQc).fixed(baseHash.toBytes()).bytes(meta)
                    .u32(fromPage).u32(pages.size());
            for (byte[] page : pages) {
                out.bytes(page);
            }
        }
    }

    /**
     * Tells a client its operation is committed, with the proof: {@code chain} runs from the block
     * holding the operation up to a block certified by {@code qc} whose own certificate was formed
     * in the same view, which by the two-chain rule commits every block before it.
     */
    record Committed(long chunkId, Hash opDigest, List<MicroBlock> chain, QuorumCert qc)
            implements MicroMessage {
        public Committed {
            chain = List.copyOf(chain);
        }

        public int tag() {
            return 10;
        }

        public void encodeBody(CanonicalWriter out) {
            out.u64(chunkId).fixed(opDigest.toBytes()).u32(chain.size());
            for (MicroBlock block : chain) {
                out.write(block);
            }
            out.write(qc);
        }

        /** Checks the proof against the group's keys; never throws. */
        public boolean proves(List<org.cnt.chain.crypto.PublicKey> members, int quorum) {
            return proves(qc -> qc.verify(members, quorum));
        }

        /** The same, with certificates already verified answered from {@code certificates}. */
        public boolean proves(List<org.cnt.chain.crypto.PublicKey> members, int quorum,
                              CertificateCache certificates) {
            return proves(qc -> certificates.verify(qc, members, quorum));
        }

        private boolean proves(java.util.function.Predicate<QuorumCert> certified) {
            if (chain.size() < 2 || !chain.getFirst().opDigests().contains(opDigest)
                    || !qc.blockHash().equals(chain.getLast().hash())
                    || qc.view() != chain.getLast().view()
                    || chain.getLast().justify().view() != chain.getLast().view()
                    || !certified.test(qc)) {
                return false;
            }
            for (int i = 1; i < chain.size(); i++) {
                if (!chain.get(i).parentHash().equals(chain.get(i - 1).hash())
                        || chain.get(i).chunkId() != chunkId) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Tells a client why the group will not order its operation. */
    record Rejected(long chunkId, Hash opDigest, String reason) implements MicroMessage {
        public int tag() {
            return 11;
        }

        public void encodeBody(CanonicalWriter out) {
            out.u64(chunkId).fixed(opDigest.toBytes()).string(reason);
        }
    }

    /** A member's message of a space-proof round for this chunk (DESIGN.md "Space proofs"). */
    record ProofMsg(long chunkId, org.cnt.chain.proof.ProofExchange.Message message)
            implements MicroMessage {
        public int tag() {
            return 12;
        }

        public void encodeBody(CanonicalWriter out) {
            out.u64(chunkId);
            org.cnt.chain.proof.ProofMessages.encode(message, out);
        }
    }

    public static MicroMessage decode(byte[] bytes) throws CodecException {
        if (bytes.length > MAX_ENCODED_BYTES) {
            throw new CodecException("micro-chain message too large: " + bytes.length + " bytes");
        }
        return decode(CanonicalReader.of(bytes));
    }

    /** Decodes a message that fills {@code in} exactly (a field of a larger encoding). */
    public static MicroMessage decode(CanonicalReader in) throws CodecException {
        if (in.remaining() > MAX_ENCODED_BYTES) {
            throw new CodecException("micro-chain message too large: " + in.remaining()
                    + " bytes");
        }
        int tag = in.u8("message tag");
        in.expectVersion(1, "micro-chain message");
        long chunk = in.u64Max("chunk", Long.MAX_VALUE);
        MicroMessage message = switch (tag) {
            case 1 -> new Submit(chunk, ChunkOp.decode(in.sub(ChunkOp.MAX_ENCODED_BYTES, "op")));
            case 2 -> decodeProposal(chunk, in);
            case 3 -> new VoteMsg(chunk, Vote.decode(in));
            case 4 -> new Certificate(chunk, QuorumCert.decode(in));
            case 5 -> new NewViewMsg(chunk, NewView.decode(in));
            case 6 -> new BlockRequest(chunk, in.u64Max("epoch", Long.MAX_VALUE),
                    in.u64Max("from", Long.MAX_VALUE),
                    boundedCount(in.u32("max blocks"), MAX_BLOCKS_PER_RESPONSE, "blocks"));
            case 7 -> decodeBlockResponse(chunk, in);
            case 8 -> new StateRequest(chunk, in.u64Max("height", Long.MAX_VALUE),
                    boundedCount(in.u32("from page"), Integer.MAX_VALUE, "from page"),
                    boundedCount(in.u32("page count"), MAX_PAGES_PER_RESPONSE, "pages"));
            case 9 -> decodeStateResponse(chunk, in);
            case 10 -> decodeCommitted(chunk, in);
            case 11 -> new Rejected(chunk, Hash.wrap(in.fixed(Hash.SIZE_BYTES, "op digest")),
                    in.string(1024, "reason"));
            case 12 -> new ProofMsg(chunk, org.cnt.chain.proof.ProofMessages.decode(chunk, in));
            default -> throw new CodecException("unknown micro-chain message tag " + tag);
        };
        in.finish("micro-chain message");
        return message;
    }

    private static int boundedCount(int value, int max, String what) throws CodecException {
        if (value < 0 || value > max) {
            throw new CodecException(what + " out of range: " + Integer.toUnsignedString(value));
        }
        return value;
    }

    private static Proposal decodeProposal(long chunk, CanonicalReader in) throws CodecException {
        MicroBlock block = MicroBlock.decode(in);
        int count = boundedCount(in.u32("op count"), MicroBlock.MAX_OPS, "ops");
        List<ChunkOp> ops = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ops.add(ChunkOp.decode(in.sub(ChunkOp.MAX_ENCODED_BYTES, "op")));
        }
        return new Proposal(chunk, block, ops);
    }

    private static BlockResponse decodeBlockResponse(long chunk, CanonicalReader in)
            throws CodecException {
        int count = boundedCount(in.u32("block count"), MAX_BLOCKS_PER_RESPONSE, "blocks");
        List<Proposal> blocks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            MicroMessage inner = decode(in.sub(MAX_ENCODED_BYTES, "block"));
            if (!(inner instanceof Proposal proposal)) {
                throw new CodecException("a block response holds proposals only");
            }
            blocks.add(proposal);
        }
        return new BlockResponse(chunk, blocks, QuorumCert.decode(in));
    }

    private static Committed decodeCommitted(long chunk, CanonicalReader in)
            throws CodecException {
        Hash digest = Hash.wrap(in.fixed(Hash.SIZE_BYTES, "op digest"));
        int count = boundedCount(in.u32("proof blocks"), MAX_BLOCKS_PER_RESPONSE, "proof blocks");
        List<MicroBlock> chain = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            chain.add(MicroBlock.decode(in));
        }
        return new Committed(chunk, digest, chain, QuorumCert.decode(in));
    }

    private static StateResponse decodeStateResponse(long chunk, CanonicalReader in)
            throws CodecException {
        MicroBlock anchor = MicroBlock.decode(in);
        QuorumCert proof = QuorumCert.decode(in);
        Hash baseHash = Hash.wrap(in.fixed(Hash.SIZE_BYTES, "base hash"));
        byte[] meta = in.bytes(16 << 20, "chunk metadata");
        int from = boundedCount(in.u32("from page"), Integer.MAX_VALUE, "from page");
        int count = boundedCount(in.u32("page count"), MAX_PAGES_PER_RESPONSE, "pages");
        List<byte[]> pages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            pages.add(in.bytes(1 << 16, "page"));
        }
        return new StateResponse(chunk, anchor, proof, baseHash, meta, from, pages);
    }
}
