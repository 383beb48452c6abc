package org.cnt.fs.internal;

import java.io.IOException;
import org.cnt.fs.Caller;
import org.cnt.fs.Filesystem;
import org.cnt.fs.FsError;
import org.cnt.fs.FsException;

/**
 * fallocate(2) for regular files: reserve blocks (reading as zeros) for a range, growing the
 * file unless KEEP_SIZE; punch a hole (freeing whole blocks, zeroing partial ones); zero a
 * range (a punched hole, then reserved again). A handle at a time, like any large change.
 */
final class Fallocate {
    private final FsState state;
    private final FileData data;
    private final Reclaimer reclaimer;
    private final int runsPerHandle;

    Fallocate(FsState state, FileData data, Reclaimer reclaimer, int runsPerHandle) {
        this.state = state;
        this.data = data;
        this.reclaimer = reclaimer;
        this.runsPerHandle = runsPerHandle;
    }

    void apply(Caller caller, long number, int mode, long offset, long length)
            throws IOException {
        int known = Filesystem.FALLOC_FL_KEEP_SIZE | Filesystem.FALLOC_FL_PUNCH_HOLE
                | Filesystem.FALLOC_FL_ZERO_RANGE;
        boolean punch = (mode & Filesystem.FALLOC_FL_PUNCH_HOLE) != 0;
        boolean zero = (mode & Filesystem.FALLOC_FL_ZERO_RANGE) != 0;
        boolean keepSize = (mode & Filesystem.FALLOC_FL_KEEP_SIZE) != 0;
        if ((mode & ~known) != 0 || punch && zero) {
            throw new FsException(FsError.EOPNOTSUPP, "fallocate mode " + mode);
        }
        if (punch && !keepSize) {
            throw new FsException(FsError.EOPNOTSUPP, "a punched hole keeps the size");
        }
        if (length <= 0 || offset < 0) {
            throw new FsException(FsError.EINVAL, "fallocate of " + length + " bytes at "
                    + offset);
        }
        FileData.checkOffset(offset, length, data.maxFileBytes());
        try (InodeLocks.Held held = state.locks.read(number)) {
            Inode inode = state.inode(number);
            if (inode.isDirectory()) {
                throw new FsException(FsError.EISDIR, "fallocate of directory " + number);
            }
            if (!inode.isRegular()) {
                throw new FsException(FsError.ENODEV, "fallocate of a special file");
            }
            Permissions.check(caller, inode, Filesystem.W_OK, "fallocate");
        }
        if (punch || zero) {
            clear(number, offset, offset + length);
        }
        if (!punch) {
            reserve(number, offset, offset + length, keepSize);
        }
    }

    /** Zeros the partial blocks at the ends and frees the whole blocks between, in handles. */
    private void clear(long number, long from, long to) throws IOException {
        int size = state.blockSizeBytes();
        long firstWhole = (from + size - 1) / size;
        long endWhole = to / size;
        boolean done = false;
        boolean first = true;
        while (!done) {
            try (Transaction transaction = state.committer.begin(state.committer.maxCredits());
                 InodeLocks.Held held = state.locks.write(number)) {
                Inode inode = state.inode(number);
                Node node = state.node(inode);
                if (first) {
                    long end = Math.min(to, inode.sizeBytes());
                    data.zeroBytes(node, Math.min(from, end), Math.min(firstWhole * size, end));
                    data.zeroBytes(node, Math.max(Math.min(endWhole * size, end), from), end);
                    first = false;
                }
                done = endWhole <= firstWhole || data.freeFrom(transaction, node, firstWhole,
                        endWhole, Math.max(1, (state.committer.maxCredits() - 16) / 4), false);
                transaction.put(node.tree.store(transaction, inode).modified(state.now()));
            }
        }
    }

    private void reserve(long number, long from, long to, boolean keepSize) throws IOException {
        int size = state.blockSizeBytes();
        long fileBlock = from / size;
        long endBlock = (to + size - 1) / size;
        while (true) {
            try (Transaction transaction = state.committer.begin(runsPerHandle * 3 + 8);
                 InodeLocks.Held held = state.locks.write(number)) {
                Inode inode = state.inode(number);
                Node node = state.node(inode);
                fileBlock = data.allocateRange(transaction, node, fileBlock, endBlock,
                        runsPerHandle);
                inode = node.tree.store(transaction, inode);
                boolean done = fileBlock >= endBlock;
                if (done && !keepSize && to > inode.sizeBytes()) {
                    inode = inode.withSize(to);
                }
                transaction.put(inode.changed(state.now()));
                if (done) {
                    return;
                }
            }
        }
    }
}
