package org.cnt.fs.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One operation's handle on the running transaction ({@link Committer}): the metadata blocks it
 * changes are images shared with the other operations of that transaction, changed in place
 * under the locks of the inodes they belong to. Closing it lets a commit proceed; it does not
 * commit. Not thread-safe: one operation uses it.
 */
final class Transaction implements AutoCloseable {
    private final Committer committer;
    private final int credits;
    private boolean closed;

    Transaction(Committer committer, int credits) {
        this.committer = committer;
        this.credits = credits;
    }

    int credits() {
        return credits;
    }

    /** The image of metadata block {@code home} as this transaction leaves it, to change. */
    byte[] block(long home) throws IOException {
        return committer.image(home, true);
    }

    /** The image of a block that becomes metadata now: zeros, whatever the device holds. */
    byte[] fresh(long home) throws IOException {
        byte[] image = committer.image(home, false);
        java.util.Arrays.fill(image, (byte) 0);
        return image;
    }

    /** Writes {@code inode} into its place in the inode table. */
    void put(Inode inode) throws IOException {
        inode.writeTo(slot(inode.number()));
    }

    /** Clears inode {@code number}'s record and returns the number: the inode is free. */
    void free(long number) throws IOException {
        slot(number).put(new byte[Layout.INODE_BYTES]);
        committer.freeInode(number);
    }

    long allocateInode() throws IOException {
        return committer.allocateInode();
    }

    BlockAllocator.Run allocate(long goal, int wanted) throws IOException {
        return committer.allocate(goal, wanted);
    }

    /** Frees a run: {@code metadata} when it held journaled blocks (directory, tree, xattrs). */
    void freeBlocks(long start, long length, boolean metadata) throws IOException {
        committer.free(start, length, metadata);
    }

    private ByteBuffer slot(long number) throws IOException {
        Layout layout = committer.disk().layout();
        return ByteBuffer.wrap(block(Disk.inodeBlock(layout, number)))
                .position(Disk.inodeOffset(layout, number));
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            committer.end(this);
        }
    }
}
