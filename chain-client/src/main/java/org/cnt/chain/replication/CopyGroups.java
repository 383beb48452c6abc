package org.cnt.chain.replication;

/** Where the replication client learns each chunk's copy group. */
public interface CopyGroups {
    CopyGroup group(long chunkId) throws ReplicationException;

    /** Forget what is cached for the chunk: its group may have changed. */
    void invalidate(long chunkId);
}
