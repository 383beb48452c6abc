package org.cnt.fs.internal;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.cnt.fs.FsError;
import org.cnt.fs.FsException;

/**
 * Gathers the metadata changes of concurrent operations into one running transaction and
 * commits it through the journal, as jbd2 does: an operation opens a {@link Transaction} (a
 * handle), changes block images in place, and closes it; a commit waits for the open handles,
 * takes the images with the bitmap blocks that changed, makes the data written so far durable
 * (ordered mode: data before the metadata that points to it), and journals them as one
 * transaction. A crash leaves every operation whole or absent.
 *
 * <p>Operations open their handle before taking any inode lock: a commit that waits for handles
 * can then never wait for a lock held by a thread that waits for the commit.
 */
final class Committer {
    private final Disk disk;
    private final BlockAllocator blockAllocator;
    private final InodeAllocator inodeAllocator;
    /** Open handles hold it shared; a commit takes it exclusively to cut the transaction. */
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    private final ReentrantLock commitLock = new ReentrantLock();
    private final Object imagesLock = new Object();
    /** Images the running transaction changed, by home block. */
    private Map<Long, byte[]> running = new HashMap<>();
    /** Images of the transaction being committed, until the journal holds them. */
    private Map<Long, byte[]> committing = Map.of();
    private int reservedCredits;
    private final int capacityBlocks;
    private long runningId = 1;
    private volatile long durableId;
    private long checkpointedId;
    private volatile boolean dataSinceFlush;
    private volatile IOException failure;

    Committer(Disk disk) {
        this.disk = disk;
        this.blockAllocator = new BlockAllocator(disk.blockBitmap(), disk.layout());
        this.inodeAllocator = new InodeAllocator(disk.inodeBitmap());
        this.capacityBlocks = disk.journal().maxBlocksPerTransaction();
    }

    /** The most blocks one handle may ask for: half a transaction, so two always fit. */
    int maxCredits() {
        return capacityBlocks / 2;
    }

    /**
     * Opens a handle that will change at most {@code credits} metadata blocks (bitmap blocks
     * included); commits first when the running transaction has no room for them.
     */
    Transaction begin(int credits) throws IOException {
        if (credits < 1 || credits > maxCredits()) {
            throw new IllegalArgumentException(credits + " credits; a handle takes 1.."
                    + maxCredits());
        }
        while (true) {
            checkHealthy();
            gate.readLock().lock();
            synchronized (imagesLock) {
                if (pendingBlocks() + reservedCredits + credits <= capacityBlocks) {
                    reservedCredits += credits;
                    return new Transaction(this, credits);
                }
            }
            gate.readLock().unlock();
            commit();
        }
    }

    void end(Transaction transaction) {
        synchronized (imagesLock) {
            reservedCredits -= transaction.credits();
        }
        gate.readLock().unlock();
    }

    private int pendingBlocks() {
        synchronized (blockAllocator) {
            return running.size() + disk.blockBitmap().dirtyBlockCount()
                    + disk.inodeBitmap().dirtyBlockCount();
        }
    }

    /** The running transaction's image of {@code home}, loaded (or zeroed) on first touch. */
    byte[] image(long home, boolean load) throws IOException {
        synchronized (imagesLock) {
            byte[] image = running.get(home);
            if (image == null) {
                image = new byte[disk.layout().blockSizeBytes()];
                if (load) {
                    readCommitted(home, image);
                }
                running.put(home, image);
            }
            return image;
        }
    }

    /** Copies the newest image of metadata block {@code home}, committed or not, into a buffer. */
    void read(long home, byte[] into) throws IOException {
        synchronized (imagesLock) {
            byte[] image = running.get(home);
            if (image != null) {
                System.arraycopy(image, 0, into, 0, image.length);
                return;
            }
            readCommitted(home, into);
        }
    }

    private void readCommitted(long home, byte[] into) throws IOException {
        byte[] image = committing.get(home);
        if (image != null) {
            System.arraycopy(image, 0, into, 0, image.length);
        } else {
            disk.readMeta(home, into);
        }
    }

    BlockAllocator.Run allocate(long goal, int wanted) throws FsException {
        synchronized (blockAllocator) {
            return blockAllocator.allocate(goal, wanted);
        }
    }

    void free(long start, long length, boolean metadata) throws IOException {
        synchronized (blockAllocator) {
            blockAllocator.free(start, length, runningId, metadata);
        }
    }

    long allocateInode() throws FsException {
        synchronized (blockAllocator) {
            return inodeAllocator.allocate();
        }
    }

    void freeInode(long number) throws IOException {
        synchronized (blockAllocator) {
            inodeAllocator.free(number);
        }
    }

    /** fsck's repair: a block's or inode's bitmap bit set to what the structures say. */
    void repairBit(boolean inode, long number, boolean used) {
        synchronized (blockAllocator) {
            if (!inode) {
                blockAllocator.repair(number, used);
            } else if (used) {
                disk.inodeBitmap().set(number);
            } else {
                disk.inodeBitmap().clear(number);
            }
        }
    }

    long freeBlocks() {
        synchronized (blockAllocator) {
            return blockAllocator.freeBlocks();
        }
    }

    long freeInodes() {
        synchronized (blockAllocator) {
            return inodeAllocator.freeInodes();
        }
    }

    /** Data blocks were written outside the journal: the next commit flushes them first. */
    void wroteData() {
        dataSinceFlush = true;
    }

    /**
     * Commits the running transaction: every operation whose handle closed before this call is
     * durable when it returns (and so is every data write before it).
     */
    void commit() throws IOException {
        commitLock.lock();
        try {
            checkHealthy();
            Map<Long, byte[]> images = new LinkedHashMap<>();
            long id;
            gate.writeLock().lock();
            try {
                synchronized (imagesLock) {
                    committing = running;
                    running = new HashMap<>();
                    images.putAll(committing);
                }
                synchronized (blockAllocator) {
                    disk.addDirtyBitmaps(images);
                }
                id = runningId++;
            } finally {
                gate.writeLock().unlock();
            }
            try {
                dataSinceFlush = false;
                disk.blocks().flush();
                if (!images.isEmpty()) {
                    if (!disk.journal().hasRoomFor(images.size())) {
                        checkpointLocked();
                    }
                    disk.journal().commit(images);
                }
            } catch (IOException e) {
                failure = e;
                throw e;
            }
            synchronized (imagesLock) {
                committing = Map.of();
            }
            durableId = id;
            synchronized (blockAllocator) {
                blockAllocator.release(durableId, checkpointedId);
            }
        } finally {
            commitLock.unlock();
        }
    }

    /** Commits, then writes every journaled image home (the journal is empty afterwards). */
    void checkpoint() throws IOException {
        commitLock.lock();
        try {
            commit();
            checkpointLocked();
            synchronized (blockAllocator) {
                blockAllocator.release(durableId, checkpointedId);
            }
        } finally {
            commitLock.unlock();
        }
    }

    private void checkpointLocked() throws IOException {
        try {
            disk.journal().checkpoint();
        } catch (IOException e) {
            failure = e;
            throw e;
        }
        checkpointedId = durableId;
    }

    /** Makes earlier data writes durable without a commit when nothing else changed. */
    void flushData() throws IOException {
        boolean metadataPending;
        synchronized (imagesLock) {
            metadataPending = !running.isEmpty() || pendingBlocks() > 0;
        }
        if (metadataPending) {
            commit();
        } else if (dataSinceFlush) {
            dataSinceFlush = false;
            disk.blocks().flush();
        }
    }

    /** After a failed device write the state on disk is unknown: no more changes. */
    private void checkHealthy() throws FsException {
        if (failure != null) {
            throw new FsException(FsError.EIO, "the filesystem stopped after a device error: "
                    + failure.getMessage(), failure);
        }
    }

    Disk disk() {
        return disk;
    }
}
