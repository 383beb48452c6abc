package org.cnt.farmer.microchain;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.micro.CertificateCache;
import org.cnt.chain.micro.ChunkOp;
import org.cnt.chain.micro.MicroBlock;
import org.cnt.chain.micro.MicroMessage;
import org.cnt.chain.micro.QuorumCert;

/**
 * Catch-up by certified blocks: what a member sends a peer that asks from a height (its committed
 * blocks still in memory, then its uncommitted chain up to its lock; or, for a peer further
 * behind, committed blocks read back from its durable log), and how the asker checks a reply:
 * blocks linked one to the next, each one's certificate valid, operations matching their digests,
 * the last certified by the reply's certificate. A lying peer's reply is dropped whole.
 */
final class CertifiedRuns {
    /** A reply stops after the block that crosses this, so it always fits one frame. */
    static final long MAX_RESPONSE_DATA_BYTES = 16 << 20;

    private CertifiedRuns() {
    }

    static MicroMessage.BlockResponse respond(ReplicaConfig config, BlockTree tree,
                                              QuorumCert lock, MicroMessage.BlockRequest request) {
        if (request.fromHeight() < tree.oldestRetained()) {
            return null;
        }
        List<BlockTree.Node> nodes = new ArrayList<>();
        long bytes = 0;
        for (long h = request.fromHeight(); h <= tree.committedHeight()
                && nodes.size() < request.maxBlocks() && bytes < MAX_RESPONSE_DATA_BYTES; h++) {
            BlockTree.Node node = tree.committedNode(h);
            nodes.add(node);
            bytes += Replica.dataBytes(node.ops());
        }
        List<BlockTree.Node> chain = tree.chainTo(lock.blockHash());
        List<BlockTree.Node> above = chain == null ? List.of() : chain;
        for (BlockTree.Node node : above) {
            if (node.block().height() >= request.fromHeight()
                    && nodes.size() < request.maxBlocks() && bytes < MAX_RESPONSE_DATA_BYTES) {
                nodes.add(node);
                bytes += Replica.dataBytes(node.ops());
            }
        }
        if (nodes.isEmpty()) {
            return null;
        }
        MicroBlock last = nodes.getLast().block();
        QuorumCert lastQc = last.hash().equals(lock.blockHash()) ? lock
                : certificateOf(tree, above, last.height());
        if (lastQc == null) {
            return null;
        }
        List<MicroMessage.Proposal> blocks = new ArrayList<>(nodes.size());
        for (BlockTree.Node node : nodes) {
            blocks.add(new MicroMessage.Proposal(config.chunkId(), node.block(), node.ops()));
        }
        return new MicroMessage.BlockResponse(config.chunkId(), blocks, lastQc);
    }

    /** A block's certificate is its child's justify. */
    private static QuorumCert certificateOf(BlockTree tree, List<BlockTree.Node> above,
                                            long height) {
        QuorumCert committedChild = tree.certificateOf(height);
        if (committedChild != null) {
            return committedChild;
        }
        for (BlockTree.Node node : above) {
            if (node.block().height() == height + 1) {
                return node.block().justify();
            }
        }
        return null;
    }

    /**
     * The committed blocks a log can serve a peer that asks from {@code fromHeight}, each with
     * the certificate the reply would end with if it stopped there; null when this member's log
     * does not hold that height (it is at or below {@code logFloor}, or older than the hashes
     * kept), so the peer needs a snapshot.
     */
    static List<ReplicaOutput.LoggedBlock> loggedRun(BlockTree tree, QuorumCert lock,
                                                     long fromHeight, int maxBlocks,
                                                     long logFloor) {
        if (fromHeight <= logFloor || fromHeight > tree.committedHeight()
                || tree.committedHashes().get(fromHeight) == null) {
            return null;
        }
        List<BlockTree.Node> chain = tree.chainTo(lock.blockHash());
        List<BlockTree.Node> above = chain == null ? List.of() : chain;
        List<ReplicaOutput.LoggedBlock> run = new ArrayList<>();
        for (long h = fromHeight; h <= tree.committedHeight() && run.size() < maxBlocks; h++) {
            Hash hash = tree.committedHashes().get(h);
            QuorumCert certificate = hash.equals(lock.blockHash()) ? lock
                    : certificateOf(tree, above, h);
            if (certificate == null || !certificate.blockHash().equals(hash)) {
                break;
            }
            run.add(new ReplicaOutput.LoggedBlock(hash, certificate));
        }
        return run.isEmpty() ? null : run;
    }

    /**
     * A reply of logged blocks, read in order by {@code logged} (null: the log no longer has it,
     * which ends the reply there); null when not even the first is left. Stops after the block
     * that crosses {@link #MAX_RESPONSE_DATA_BYTES}, like a reply from memory.
     */
    static MicroMessage.BlockResponse fromLog(long chunkId, List<ReplicaOutput.LoggedBlock> run,
                                              Function<Hash, WalEntry.BlockEntry> logged) {
        List<MicroMessage.Proposal> blocks = new ArrayList<>();
        QuorumCert lastQc = null;
        long bytes = 0;
        for (ReplicaOutput.LoggedBlock wanted : run) {
            WalEntry.BlockEntry entry = logged.apply(wanted.hash());
            // The log's checksums guard what it returns, and the peer checks every digest.
            if (entry == null || !entry.block().hash().equals(wanted.hash())) {
                break;
            }
            blocks.add(new MicroMessage.Proposal(chunkId, entry.block(), entry.ops()));
            lastQc = wanted.certificate();
            bytes += Replica.dataBytes(entry.ops());
            if (bytes >= MAX_RESPONSE_DATA_BYTES) {
                break;
            }
        }
        return blocks.isEmpty() ? null : new MicroMessage.BlockResponse(chunkId, blocks, lastQc);
    }

    static boolean verify(ReplicaConfig config, CertificateCache certificates,
                          MicroMessage.BlockResponse response) {
        List<MicroMessage.Proposal> blocks = response.blocks();
        if (blocks.isEmpty()
                || !certificates.verify(response.lastQc(), config.members(), config.quorum())
                || !response.lastQc().blockHash().equals(blocks.getLast().block().hash())) {
            return false;
        }
        for (int i = 0; i < blocks.size(); i++) {
            MicroBlock block = blocks.get(i).block();
            boolean linked = i == 0 || block.parentHash().equals(blocks.get(i - 1).block().hash());
            if (!linked || block.chunkId() != config.chunkId() || block.epoch() != config.epoch()
                    || !block.extendsJustify() || !opsMatch(block, blocks.get(i).ops())
                    || !certificates.verify(block.justify(), config.members(), config.quorum())) {
                return false;
            }
        }
        return true;
    }

    /** The operations are exactly those the block orders, each once. */
    static boolean opsMatch(MicroBlock block, List<ChunkOp> ops) {
        if (block.opDigests().size() != ops.size()) {
            return false;
        }
        Set<Hash> seen = new HashSet<>();
        for (int i = 0; i < ops.size(); i++) {
            Hash digest = ops.get(i).digest();
            if (!digest.equals(block.opDigests().get(i)) || !seen.add(digest)) {
                return false;
            }
        }
        return true;
    }
}
