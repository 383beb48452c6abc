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
    private final ReplicationClient client;
    private final ServiceReporter reporter;

    ReplicaNetwork(NodeClient node, KeyPair owner) {
        this.node = node;
        this.client = new ReplicationClient(owner, new ChainCopyGroups(node),
                ReplicationClient.Options.defaults());
        this.reporter = new ServiceReporter(node, owner);
        client.onBadReply(reporter::badData);
    }

    @Override
    public CompletableFuture<CommitPoint> submit(ChunkOp op) throws IOException,
            InterruptedException {
        try {
            return client.submit(op).thenApply(commit -> new CommitPoint(
                    commit.epoch(), commit.height()));
        } catch (ReplicationException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public CompletableFuture<byte[]> read(long chunkId, long offsetBytes, int lengthBytes,
                                          CommitPoint after) {
        try {
            return client.read(chunkId, offsetBytes, lengthBytes, after.epoch(), after.height());
        } catch (ReplicationException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<byte[]> readMeta(long chunkId, long sliceOffsetBytes,
                                              CommitPoint after) {
        try {
            return client.readMeta(chunkId, sliceOffsetBytes, after.epoch(), after.height());
        } catch (ReplicationException e) {
            return CompletableFuture.failedFuture(e);
        }
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
