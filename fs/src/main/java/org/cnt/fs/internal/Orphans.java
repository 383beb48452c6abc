package org.cnt.fs.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.cnt.fs.DirEntry;

/**
 * Files whose blocks are freed over several transactions (a large file unlinked or truncated),
 * listed by inode number in the hidden orphan directory, so that a crash in the middle leaves a
 * job the next open finishes rather than blocks nobody owns. Its lock is its own (not a stripe of
 * {@link InodeLocks}) and taken last, after every inode lock an operation holds, so it never
 * closes a cycle.
 */
final class Orphans {
    private final FsState state;
    private final java.util.concurrent.locks.ReentrantLock lock =
            new java.util.concurrent.locks.ReentrantLock();

    Orphans(FsState state) {
        this.state = state;
    }

    void add(Transaction transaction, long inode) throws IOException {
        lock.lock();
        try {
            Inode directory = state.rawInode(Disk.ORPHAN_INODE);
            Node node = state.node(directory);
            String name = Long.toString(inode);
            if (Directory.lookup(node, name) == null) {
                Inode grown = Directory.add(state, transaction, node, directory, name, inode,
                        Directory.type(Inode.S_IFREG));
                if (grown != directory) {
                    transaction.put(grown);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    void remove(Transaction transaction, long inode) throws IOException {
        lock.lock();
        try {
            Node node = state.node(state.rawInode(Disk.ORPHAN_INODE));
            String name = Long.toString(inode);
            if (Directory.lookup(node, name) != null) {
                Directory.remove(transaction, node, name);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The inodes listed. */
    List<Long> list() throws IOException {
        lock.lock();
        try {
            Node node = state.node(state.rawInode(Disk.ORPHAN_INODE));
            List<Long> inodes = new ArrayList<>();
            for (DirEntry entry : Directory.list(state, node, 0, Integer.MAX_VALUE)) {
                if (!entry.name().equals(".") && !entry.name().equals("..")) {
                    inodes.add(entry.inode());
                }
            }
            return inodes;
        } finally {
            lock.unlock();
        }
    }
}
