package org.cnt.fs.internal;

import org.cnt.fs.CorruptFilesystemException;
import org.cnt.fs.FsError;
import org.cnt.fs.FsException;

/**
 * Hands out runs of free data blocks from the block bitmap, near a goal (the block after a
 * file's last one, so a file grows in place), and takes them back. The metadata blocks and the
 * superblock copy are taken at format, so nothing else is ever handed out. Not thread-safe: the
 * filesystem's allocation lock guards it.
 */
final class BlockAllocator {
    /** A run of blocks: {@code length} from {@code start}. */
    record Run(long start, int length) {
    }

    private final Bitmap bitmap;
    private final Layout layout;

    BlockAllocator(Bitmap bitmap, Layout layout) {
        this.bitmap = bitmap;
        this.layout = layout;
    }

    /**
     * Up to {@code wanted} contiguous free blocks, the first free one at or after {@code goal}
     * (wrapping): fewer when the free run there is shorter. ENOSPC when no block is free.
     */
    Run allocate(long goal, int wanted) throws FsException {
        if (wanted < 1) {
            throw new IllegalArgumentException("allocate at least one block, not " + wanted);
        }
        long from = goal < layout.dataStart() || goal >= layout.backupSuperblock()
                ? layout.dataStart() : goal;
        long start = bitmap.firstClear(from);
        if (start < 0) {
            throw new FsException(FsError.ENOSPC, "the volume is full ("
                    + layout.dataBlocks() + " data blocks in use)");
        }
        if (start < layout.dataStart() || start >= layout.backupSuperblock()) {
            throw new CorruptFilesystemException("block " + start + " outside the data region is "
                    + "marked free");
        }
        int length = (int) bitmap.clearRun(start, Math.min(wanted,
                layout.backupSuperblock() - start));
        for (long block = start; block < start + length; block++) {
            bitmap.set(block);
        }
        return new Run(start, length);
    }

    /** Returns a run to the free pool; a block already free means the structures disagree. */
    void free(long start, long length) throws CorruptFilesystemException {
        if (start < layout.dataStart() || start + length > layout.backupSuperblock()) {
            throw new CorruptFilesystemException("freeing blocks " + start + ".."
                    + (start + length - 1) + " outside the data region");
        }
        for (long block = start; block < start + length; block++) {
            if (!bitmap.get(block)) {
                throw new CorruptFilesystemException("block " + block + " freed twice");
            }
        }
        for (long block = start; block < start + length; block++) {
            bitmap.clear(block);
        }
    }

    long freeBlocks() {
        return bitmap.free();
    }
}
