package org.cnt.fs.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import org.cnt.fs.CorruptFilesystemException;
import org.cnt.fs.FsError;
import org.cnt.fs.FsException;

/**
 * Hands out runs of free data blocks near a goal (the block after a file's last one, so a file
 * grows in place), and takes them back. The metadata blocks and the superblock copy are taken
 * at format, so nothing else is ever handed out.
 *
 * <p>A freed block is clear in the stored bitmap at once (so the transaction that frees it says
 * so) but is not handed out again until reusing it is safe: a data block once the freeing
 * transaction is durable (before that, a crash would bring back a file that still points to it,
 * with another file's data in it); a metadata block (directory, extent tree, attributes) once a
 * checkpoint after that has written the journal home (before that, replaying the journal could
 * write its old image over new data). Not thread-safe: the filesystem's allocation lock guards
 * it.
 */
final class BlockAllocator {
    /** A run of blocks: {@code length} from {@code start}. */
    record Run(long start, int length) {
    }

    /** Freed blocks waiting until transaction {@code freedIn} is durable (and checkpointed). */
    private record Quarantined(long start, long length, long freedIn, boolean metadata) {
    }

    private final Bitmap stored;
    /** The stored bitmap plus the blocks in quarantine: what may not be handed out. */
    private final Bitmap taken;
    private final Layout layout;
    private final Deque<Quarantined> quarantine = new ArrayDeque<>();
    private long quarantinedBlocks;

    BlockAllocator(Bitmap stored, Layout layout) {
        this.stored = stored;
        this.taken = stored.copy();
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
        long start = taken.firstClear(from);
        if (start < 0) {
            throw new FsException(FsError.ENOSPC, "the volume is full ("
                    + layout.dataBlocks() + " data blocks in use)");
        }
        if (start < layout.dataStart() || start >= layout.backupSuperblock()) {
            throw new CorruptFilesystemException("block " + start + " outside the data region is "
                    + "marked free");
        }
        int length = (int) taken.clearRun(start, Math.min(wanted,
                layout.backupSuperblock() - start));
        for (long block = start; block < start + length; block++) {
            taken.set(block);
            stored.set(block);
        }
        return new Run(start, length);
    }

    /**
     * Returns a run, freed by running transaction {@code transaction}; a block already free
     * means the structures disagree.
     */
    void free(long start, long length, long transaction, boolean metadata)
            throws CorruptFilesystemException {
        if (start < layout.dataStart() || start + length > layout.backupSuperblock()) {
            throw new CorruptFilesystemException("freeing blocks " + start + ".."
                    + (start + length - 1) + " outside the data region");
        }
        for (long block = start; block < start + length; block++) {
            if (!stored.get(block)) {
                throw new CorruptFilesystemException("block " + block + " freed twice");
            }
        }
        for (long block = start; block < start + length; block++) {
            stored.clear(block);
        }
        quarantine.add(new Quarantined(start, length, transaction, metadata));
        quarantinedBlocks += length;
    }

    /**
     * Transactions up to {@code durable} are committed, and up to {@code checkpointed} written
     * home: the blocks they freed may be handed out again.
     */
    void release(long durable, long checkpointed) {
        int size = quarantine.size();
        for (int i = 0; i < size; i++) {
            Quarantined run = quarantine.poll();
            boolean safe = run.freedIn() <= (run.metadata() ? checkpointed : durable);
            if (safe) {
                for (long block = run.start(); block < run.start() + run.length(); block++) {
                    if (!stored.get(block)) {
                        taken.clear(block);
                    }
                }
                quarantinedBlocks -= run.length();
            } else {
                quarantine.add(run);
            }
        }
    }

    /** Sets a block's bit to what the structures say (fsck's repair), in both bitmaps. */
    void repair(long block, boolean used) {
        if (used) {
            stored.set(block);
            taken.set(block);
        } else {
            stored.clear(block);
            taken.clear(block);
        }
    }

    /** Free blocks, counting those in quarantine (statfs: they are free, soon usable). */
    long freeBlocks() {
        return stored.free();
    }

    long quarantinedBlocks() {
        return quarantinedBlocks;
    }
}
