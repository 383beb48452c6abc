package org.cnt.fs.internal;

import java.io.IOException;

/**
 * Frees what a file no longer needs, a handle at a time so any size fits the journal: every
 * block of an inode whose last link went (then the inode), or the blocks past a truncated
 * file's size. The file is listed in the orphan directory by the handle that started the job
 * and delisted by the one that ends it, so a crash in between is finished on the next open.
 */
final class Reclaimer {
    private final FsState state;
    private final FileData data;
    private final Orphans orphans;

    Reclaimer(FsState state, FileData data, Orphans orphans) {
        this.state = state;
        this.data = data;
        this.orphans = orphans;
    }

    /** Finishes the job for {@code inode}; the caller holds no lock and no handle. */
    void finish(long number) throws IOException {
        int credits = state.committer.maxCredits();
        int pieces = Math.max(1, (credits - 16) / 4);
        while (true) {
            try (Transaction transaction = state.committer.begin(credits);
                 InodeLocks.Held held = state.locks.write(number)) {
                Inode inode = state.rawInode(number);
                if (inode == null) {
                    orphans.remove(transaction, number);
                    return;
                }
                Node node = state.node(inode);
                long keep = inode.nlink() == 0 ? 0 : ceilBlocks(inode.sizeBytes());
                boolean done = data.freeFrom(transaction, node, keep, Extent.MAX_LOGICAL + 1,
                        pieces, !inode.isRegular());
                inode = node.tree.store(transaction, inode);
                if (!done) {
                    transaction.put(inode);
                    orphans.add(transaction, number);
                    continue;
                }
                if (inode.nlink() == 0) {
                    if (inode.xattrBlock() != 0) {
                        transaction.freeBlocks(inode.xattrBlock(), 1, true);
                    }
                    transaction.free(number);
                    state.forget(number);
                } else {
                    transaction.put(inode);
                }
                orphans.remove(transaction, number);
                return;
            }
        }
    }

    long ceilBlocks(long bytes) {
        return (bytes + state.blockSizeBytes() - 1) / state.blockSizeBytes();
    }
}
