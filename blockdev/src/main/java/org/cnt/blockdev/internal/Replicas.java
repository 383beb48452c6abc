package org.cnt.blockdev.internal;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.cnt.chain.micro.ChunkOp;

/**
 * The copy groups of a volume's chunks as the block device uses them: ordered, owner-signed
 * operations that complete once a quorum committed them, and reads verified against certified
 * state. {@link ReplicaNetwork} is the real one; tests of the device's own logic use memory.
 */
interface Replicas extends AutoCloseable {

    /** Completes when the operation is committed, or exceptionally when it never will be. */
    CompletableFuture<CommitPoint> submit(ChunkOp op) throws IOException, InterruptedException;

    /** Committed bytes of a chunk at a state no older than {@code after}. */
    CompletableFuture<byte[]> read(long chunkId, long offsetBytes, int lengthBytes,
                                   CommitPoint after);

    /** The chunk's metadata encoding at a state no older than {@code after}. */
    CompletableFuture<byte[]> readMeta(long chunkId, long sliceOffsetBytes, CommitPoint after);

    /** Main-chain time, which session leases run on. */
    long chainTimeSec() throws IOException;

    @Override
    void close();
}
