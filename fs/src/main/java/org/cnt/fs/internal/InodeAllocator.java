package org.cnt.fs.internal;

import org.cnt.fs.CorruptFilesystemException;
import org.cnt.fs.FsError;
import org.cnt.fs.FsException;

/**
 * Hands out free inode numbers from the inode bitmap, next-fit from the last one given (so
 * numbers are not reused at once: an NFS-style handle of a deleted file goes stale rather than
 * naming a new one), and takes them back. Inodes 0 and 1 (the root) are taken at format. Not
 * thread-safe: the filesystem's allocation lock guards it.
 */
final class InodeAllocator {
    private final Bitmap bitmap;
    private long next;

    InodeAllocator(Bitmap bitmap) {
        this.bitmap = bitmap;
        this.next = Disk.ROOT_INODE + 1;
    }

    /** A free inode number, now taken; ENOSPC when every inode is in use. */
    long allocate() throws FsException {
        long number = bitmap.firstClear(next);
        if (number < 0) {
            throw new FsException(FsError.ENOSPC, "every one of the " + bitmap.size()
                    + " inodes is in use");
        }
        if (number <= Disk.ROOT_INODE) {
            throw new CorruptFilesystemException("reserved inode " + number + " is marked free");
        }
        bitmap.set(number);
        next = number + 1 < bitmap.size() ? number + 1 : Disk.ROOT_INODE + 1;
        return number;
    }

    void free(long number) throws CorruptFilesystemException {
        if (number <= Disk.ROOT_INODE || number >= bitmap.size() || !bitmap.get(number)) {
            throw new CorruptFilesystemException("inode " + number + " freed but not in use");
        }
        bitmap.clear(number);
    }

    long freeInodes() {
        return bitmap.free();
    }
}
