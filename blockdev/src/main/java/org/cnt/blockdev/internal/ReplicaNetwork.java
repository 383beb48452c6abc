package org.cnt.blockdev.internal;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.cnt.chain.api.NodeApiException;
import org.cnt.chain.api.NodeClient;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.micro.ChunkOp;
import org.cnt.chain.replication.ChainCopyGroups;
import org.cnt.chain.replication.CopyGroup;
import org.cnt.chain.replication.ReplicationClient;
import org.cnt.chain.replication.ReplicationException;

/** The real copy groups: the replication client on the groups the main chain assigns. */
final class ReplicaNetwork implements Replicas {
    private final NodeClient node;
    private final ChainCopyGroups groups;
    private final ReplicationClient client;
    private final ServiceReporter reporter;

    ReplicaNetwork(NodeClient node, KeyPair owner) {
        this.node = node;
        this.groups = new ChainCopyGroups(node);
        this.client = new ReplicationClient(owner, groups, ReplicationClient.Options.defaults());
        this.reporter = new ServiceReporter(node, owner);
        client.onBadReply(reporter::badData);
    }

    @Override
    public CompletableFuture<CommitPoint> submit(ChunkOp op) throws IOException,
            InterruptedException {
        try {
            return client.submit(op).thenApply(commit -> new CommitPoint(
                    commit.proof().chain().getFirst().epoch(), commit.height()));
        } catch (ReplicationException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public CompletableFuture<byte[]> read(long chunkId, long offsetBytes, int lengthBytes,
                                          CommitPoint after) {
        try {
            return client.read(chunkId, offsetBytes, lengthBytes, minHeight(chunkId, after));
        } catch (ReplicationException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<byte[]> readMeta(long chunkId, long sliceOffsetBytes,
                                              CommitPoint after) {
        try {
            return client.readMeta(chunkId, sliceOffsetBytes, minHeight(chunkId, after));
        } catch (ReplicationException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The height to ask for in the group's current epoch: a later epoch than the commit's starts
     * from a state holding it, so any of its heights will do.
     */
    private long minHeight(long chunkId, CommitPoint after) throws ReplicationException {
        CopyGroup group = groups.group(chunkId);
        if (group.epoch() < after.epoch()) {
            groups.invalidate(chunkId);
            group = groups.group(chunkId);
        }
        return group.epoch() == after.epoch() ? after.height() : 0;
    }

    @Override
    public long chainTimeSec() throws IOException {
        try {
            return node.status().timestampMs() / 1000;
        } catch (NodeApiException e) {
            throw new IOException("the consensus node at " + node.baseUrl() + " did not answer: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        client.close();
        reporter.close();
    }
}
