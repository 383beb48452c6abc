package org.cnt.farmer.store;

import java.nio.ByteBuffer;
import java.util.List;
import org.cnt.chain.codec.CanonicalReader;
import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.codec.Parts;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.micro.MicroBlock;
import org.cnt.chain.micro.MicroMessage;
import org.cnt.chain.micro.QuorumCert;
import org.cnt.farmer.microchain.WalEntry;

/**
 * The on-disk form of a replica's write-ahead entries. Snapshots are not entries on disk: the
 * chunk file and a checkpoint hold them (see {@link ReplicaStore}).
 */
final class WalCodec {
    private WalCodec() {
    }

    /**
     * A block entry as the parts of its encoding ({@link #encode} gives the same bytes in one
     * array): the header, then each operation, a Wop batch as its own encoding, not a copy.
     */
    static List<ByteBuffer> encodeParts(long chunkId, WalEntry.BlockEntry b) {
        return new MicroMessage.Proposal(chunkId, b.block(), b.ops()).encodingPartsPrefixed(1);
    }

    static byte[] encode(long chunkId, WalEntry entry) {
        if (entry instanceof WalEntry.BlockEntry b) {
            return Parts.gather(encodeParts(chunkId, b));
        }
        CanonicalWriter out = new CanonicalWriter();
        switch (entry) {
            case WalEntry.BlockEntry b -> throw new AssertionError("encoded above");
            case WalEntry.VoteEntry v -> out.u8(2).u64(v.view()).u64(v.height());
            case WalEntry.LockEntry l -> out.u8(3).write(l.lock());
            case WalEntry.CommitEntry c -> {
                out.u8(5).u64(c.height()).fixed(c.hash().toBytes()).bool(c.certifying() != null);
                if (c.certifying() != null) {
                    out.write(c.certifying()).write(c.proofQc());
                }
            }
            case WalEntry.SnapshotEntry s -> throw new IllegalArgumentException(
                    "snapshots are stored as a checkpoint, not a log entry");
        }
        return out.toByteArray();
    }

    static WalEntry decode(byte[] bytes) throws CodecException {
        CanonicalReader in = CanonicalReader.of(bytes);
        int tag = in.u8("wal entry tag");
        WalEntry entry = switch (tag) {
            case 1 -> {
                MicroMessage message = MicroMessage.decode(in.sub(MicroMessage.MAX_ENCODED_BYTES,
                        "block"));
                if (!(message instanceof MicroMessage.Proposal proposal)) {
                    throw new CodecException("a block entry holds a proposal");
                }
                yield new WalEntry.BlockEntry(proposal.block(), proposal.ops());
            }
            case 2 -> new WalEntry.VoteEntry(in.u64Max("view", Long.MAX_VALUE),
                    in.u64Max("height", Long.MAX_VALUE));
            case 3 -> new WalEntry.LockEntry(QuorumCert.decode(in));
            case 5 -> {
                long height = in.u64Max("height", Long.MAX_VALUE);
                Hash hash = Hash.wrap(in.fixed(Hash.SIZE_BYTES, "hash"));
                yield in.bool("has proof")
                        ? new WalEntry.CommitEntry(height, hash, MicroBlock.decode(in),
                                QuorumCert.decode(in))
                        : new WalEntry.CommitEntry(height, hash);
            }
            default -> throw new CodecException("unknown wal entry tag " + tag);
        };
        in.finish("wal entry");
        return entry;
    }
}
