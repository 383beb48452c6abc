package org.cnt.fs.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.cnt.fs.Caller;
import org.cnt.fs.CorruptFilesystemException;
import org.cnt.fs.DirEntry;
import org.cnt.fs.Filesystem;
import org.cnt.fs.FsError;
import org.cnt.fs.FsException;

/**
 * The operations that change directories: making files of each kind, links, unlink, rmdir and
 * rename, plus lookup and readdir. Each opens its handle, then locks the directories and files
 * it changes (all at once, in stripe order, and checks again that the names still point where
 * they did); a rename between directories also holds the filesystem's rename lock, so no other
 * rename can make its loop check wrong.
 */
final class Namespace {
    static final int MAX_LINKS = 65_000;
    private final FsState state;
    private final Orphans orphans;
    private final Reclaimer reclaimer;
    private final ReentrantLock renameLock = new ReentrantLock();
    private final OpenFiles openFiles;
    private final java.util.concurrent.atomic.AtomicInteger generations;

    Namespace(FsState state, Orphans orphans, Reclaimer reclaimer, OpenFiles openFiles) {
        this.state = state;
        this.openFiles = openFiles;
        this.orphans = orphans;
        this.reclaimer = reclaimer;
        this.generations = new java.util.concurrent.atomic.AtomicInteger((int) state.now());
    }

    /** Handle credits of one namespace operation (see {@link Committer#begin}). */
    int credits() {
        return Math.min(24, state.committer.maxCredits());
    }

    static void checkName(String name) throws FsException {
        if (name.isEmpty() || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw new FsException(FsError.EINVAL, "'" + name + "' is not a file name");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > DirectoryBlock.MAX_NAME_BYTES) {
            throw new FsException(FsError.ENAMETOOLONG, "a name of "
                    + name.getBytes(StandardCharsets.UTF_8).length + " bytes is longer than "
                    + DirectoryBlock.MAX_NAME_BYTES);
        }
    }

    private static boolean isDot(String name) {
        return name.equals(".") || name.equals("..");
    }

    private Inode directory(long number) throws IOException {
        Inode inode = state.inode(number);
        if (!inode.isDirectory()) {
            throw new FsException(FsError.ENOTDIR, "inode " + number + " is not a directory");
        }
        return inode;
    }

    /** The inode a name in a directory points to (0 when absent), after the usual checks. */
    long find(Caller caller, long directory, String name) throws IOException {
        checkName(name);
        try (InodeLocks.Held held = state.locks.read(directory)) {
            Inode dir = directory(directory);
            Permissions.checkSearch(caller, dir);
            DirectoryIndex.Slot slot = Directory.lookup(state.node(dir), name);
            return slot == null ? 0 : slot.inode();
        }
    }

    long lookup(Caller caller, long directory, String name) throws IOException {
        long found = find(caller, directory, name);
        if (found == 0) {
            throw new FsException(FsError.ENOENT, "no '" + name + "' in directory " + directory);
        }
        return found;
    }

    List<DirEntry> readdir(Caller caller, long directory, long offset, int max)
            throws IOException {
        try (InodeLocks.Held held = state.locks.read(directory)) {
            Inode dir = directory(directory);
            Permissions.check(caller, dir, Filesystem.R_OK, "list directory");
            return Directory.list(state, state.node(dir), offset, max);
        }
    }

    /**
     * Makes a new inode of {@code mode}'s type named {@code name} in {@code directory}: a
     * regular file, a directory, a symlink to {@code target}, or a node with {@code rdev}.
     */
    Inode make(Caller caller, long directory, String name, int mode, int rdev, String target)
            throws IOException {
        state.checkWritable();
        checkName(name);
        int type = mode & Inode.S_IFMT;
        byte[] link = target == null ? null : target.getBytes(StandardCharsets.UTF_8);
        if (link != null && (link.length == 0 || link.length > 4095
                || link.length > state.blockSizeBytes() * 8L)) {
            throw new FsException(link.length == 0 ? FsError.ENOENT : FsError.ENAMETOOLONG,
                    "a symlink target of " + link.length + " bytes");
        }
        try (Transaction transaction = state.committer.begin(credits());
             InodeLocks.Held held = state.locks.write(directory)) {
            Inode dir = directory(directory);
            Permissions.checkModify(caller, dir);
            Node node = state.node(dir);
            if (Directory.lookup(node, name) != null) {
                throw new FsException(FsError.EEXIST, "'" + name + "' exists in directory "
                        + directory);
            }
            boolean isDirectory = type == Inode.S_IFDIR;
            if (isDirectory && dir.nlink() >= MAX_LINKS) {
                throw new FsException(FsError.EMLINK, "directory " + directory + " has "
                        + dir.nlink() + " links");
            }
            long number = transaction.allocateInode();
            state.forget(number);
            long now = state.now();
            boolean inheritGroup = (dir.mode() & Permissions.S_ISGID) != 0;
            int gid = inheritGroup ? dir.gid() : caller.gid();
            int bits = mode & 07777;
            if (isDirectory && inheritGroup) {
                bits |= Permissions.S_ISGID;
            }
            Inode child = Inode.create(number, type | bits, caller.uid(), gid, now,
                    generations.incrementAndGet()).withNlink(isDirectory ? 2 : 1);
            child = fill(transaction, child, directory, link, rdev);
            transaction.put(child);
            dir = Directory.add(state, transaction, node, dir, name, number,
                    Directory.type(type));
            dir = dir.withNlink(dir.nlink() + (isDirectory ? 1 : 0)).modified(now);
            transaction.put(dir);
            if (isDirectory) {
                state.parent(number, directory);
            }
            return child;
        }
    }

    /** Gives a new inode its content: a directory's first block, a symlink's target, a rdev. */
    private Inode fill(Transaction transaction, Inode child, long parent, byte[] link, int rdev)
            throws IOException {
        int size = state.blockSizeBytes();
        if (child.isDirectory()) {
            Node node = new Node(child.number(), ExtentTree.load(child, size, 0, null), null);
            long block = transaction.allocate(parent + 1, 1).start();
            System.arraycopy(Directory.emptyBlock(size, child.number(), parent), 0,
                    transaction.fresh(block), 0, size);
            node.tree.map(0, block);
            return node.tree.store(transaction, child.withSize(size));
        }
        if (link != null) {
            if (link.length <= Inode.INLINE_BYTES) {
                return child.withSize(link.length).withData(0, List.of(), link);
            }
            Node node = new Node(child.number(), ExtentTree.load(child, size, 0, null), null);
            for (int b = 0; b * size < link.length; b++) {
                long block = transaction.allocate(FileData.goal(node, b), 1).start();
                byte[] image = transaction.fresh(block);
                System.arraycopy(link, b * size, image, 0, Math.min(size, link.length
                        - b * size));
                node.tree.map(b, block);
            }
            return node.tree.store(transaction, child.withSize(link.length));
        }
        int type = child.type();
        if (type == Inode.S_IFCHR || type == Inode.S_IFBLK) {
            return child.withData(0, List.of(), java.nio.ByteBuffer.allocate(4).putInt(rdev)
                    .array());
        }
        return child;
    }

    /** A symlink's target. */
    String readlink(long number) throws IOException {
        try (InodeLocks.Held held = state.locks.read(number)) {
            Inode inode = state.inode(number);
            if (!inode.isSymlink()) {
                throw new FsException(FsError.EINVAL, "inode " + number + " is not a symlink");
            }
            if (inode.inlineData().length > 0) {
                return inode.inlineText();
            }
            Node node = state.node(inode);
            int size = state.blockSizeBytes();
            byte[] target = new byte[(int) inode.sizeBytes()];
            byte[] block = new byte[size];
            for (int b = 0; b * size < target.length; b++) {
                long physical = node.tree.lookup(b);
                if (physical == 0) {
                    throw new CorruptFilesystemException("symlink " + number + " has a hole");
                }
                state.readMeta(physical, block);
                System.arraycopy(block, 0, target, b * size, Math.min(size,
                        target.length - b * size));
            }
            return new String(target, StandardCharsets.UTF_8);
        }
    }

    Inode link(Caller caller, long number, long directory, String name) throws IOException {
        state.checkWritable();
        checkName(name);
        try (Transaction transaction = state.committer.begin(credits());
             InodeLocks.Held held = state.locks.write(directory, number)) {
            Inode dir = directory(directory);
            Inode inode = state.inode(number);
            if (inode.isDirectory()) {
                throw new FsException(FsError.EPERM, "a directory cannot be hard-linked");
            }
            Permissions.checkModify(caller, dir);
            Node node = state.node(dir);
            if (Directory.lookup(node, name) != null) {
                throw new FsException(FsError.EEXIST, "'" + name + "' exists in directory "
                        + directory);
            }
            if (inode.nlink() >= MAX_LINKS) {
                throw new FsException(FsError.EMLINK, "inode " + number + " has "
                        + inode.nlink() + " links");
            }
            long now = state.now();
            inode = inode.withNlink(inode.nlink() + 1).changed(now);
            transaction.put(inode);
            dir = Directory.add(state, transaction, node, dir, name, number,
                    Directory.type(inode.mode()));
            transaction.put(dir.modified(now));
            return inode;
        }
    }

    /** Locks a directory and the inode its entry names, consistently; the entry's inode or 0. */
    private record Locked(InodeLocks.Held held, long child) implements AutoCloseable {
        @Override
        public void close() {
            held.close();
        }
    }

    private Locked lockEntry(Caller caller, long directory, String name) throws IOException {
        while (true) {
            long child = find(caller, directory, name);
            InodeLocks.Held held = state.locks.write(directory, child);
            DirectoryIndex.Slot slot = Directory.lookup(state.node(directory(directory)), name);
            if ((slot == null ? 0 : slot.inode()) == child) {
                return new Locked(held, child);
            }
            held.close();
        }
    }

    void unlink(Caller caller, long directory, String name) throws IOException {
        remove(caller, directory, name, false);
    }

    void rmdir(Caller caller, long directory, String name) throws IOException {
        remove(caller, directory, name, true);
    }

    private void remove(Caller caller, long directory, String name, boolean wantDirectory)
            throws IOException {
        state.checkWritable();
        checkName(name);
        if (wantDirectory && name.equals(".")) {
            throw new FsException(FsError.EINVAL, "rmdir of '.'");
        }
        if (wantDirectory && name.equals("..")) {
            throw new FsException(FsError.ENOTEMPTY, "rmdir of '..'");
        }
        long freed;
        try (Transaction transaction = state.committer.begin(credits());
             Locked locked = lockEntry(caller, directory, name)) {
            Inode dir = directory(directory);
            Permissions.checkModify(caller, dir);
            if (locked.child() == 0) {
                throw new FsException(FsError.ENOENT, "no '" + name + "' in directory "
                        + directory);
            }
            Inode child = state.inode(locked.child());
            if (child.isDirectory() != wantDirectory) {
                throw new FsException(wantDirectory ? FsError.ENOTDIR : FsError.EISDIR, "'"
                        + name + "' is " + (wantDirectory ? "not " : "") + "a directory");
            }
            Permissions.checkSticky(caller, dir, child);
            Node node = state.node(dir);
            if (wantDirectory && Directory.childCount(state.node(child)) > 0) {
                throw new FsException(FsError.ENOTEMPTY, "directory '" + name + "' is not "
                        + "empty");
            }
            long now = state.now();
            Directory.remove(transaction, node, name);
            transaction.put(dir.withNlink(dir.nlink() - (wantDirectory ? 1 : 0)).modified(now));
            freed = drop(transaction, child, now);
        }
        if (freed != 0) {
            reclaimer.finish(freed);
        }
    }

    /**
     * Takes a link from {@code inode} (a directory loses both its links); when none is left the
     * inode goes to the orphans. Returns its number then, for {@link Reclaimer#finish}, else 0
     * (also when it is open: the last release frees it).
     */
    private long drop(Transaction transaction, Inode inode, long now) throws IOException {
        int nlink = inode.isDirectory() ? 0 : inode.nlink() - 1;
        transaction.put(inode.withNlink(nlink).changed(now));
        if (inode.isDirectory()) {
            state.forgetParent(inode.number());
        }
        if (nlink > 0) {
            return 0;
        }
        orphans.add(transaction, inode.number());
        return openFiles.deferFree(inode.number()) ? 0 : inode.number();
    }

    void rename(Caller caller, long fromDirectory, String fromName, long toDirectory,
                String toName, int flags) throws IOException {
        state.checkWritable();
        checkName(fromName);
        checkName(toName);
        boolean exchange = (flags & Filesystem.RENAME_EXCHANGE) != 0;
        boolean noReplace = (flags & Filesystem.RENAME_NOREPLACE) != 0;
        if ((flags & ~3) != 0 || exchange && noReplace) {
            throw new FsException(FsError.EINVAL, "rename flags " + flags);
        }
        if (isDot(fromName) || isDot(toName)) {
            throw new FsException(FsError.EINVAL, "'.' and '..' cannot be renamed");
        }
        boolean across = fromDirectory != toDirectory;
        long freed = 0;
        try (Transaction transaction = state.committer.begin(credits())) {
            if (across) {
                renameLock.lock();
            }
            try {
                freed = renameLocked(transaction, caller, fromDirectory, fromName, toDirectory,
                        toName, exchange, noReplace);
            } finally {
                if (across) {
                    renameLock.unlock();
                }
            }
        }
        if (freed != 0) {
            reclaimer.finish(freed);
        }
    }

    private long renameLocked(Transaction transaction, Caller caller, long fromDirectory,
                              String fromName, long toDirectory, String toName, boolean exchange,
                              boolean noReplace) throws IOException {
        InodeLocks.Held held = null;
        long source;
        long target;
        try {
            while (true) {
                source = find(caller, fromDirectory, fromName);
                target = find(caller, toDirectory, toName);
                held = state.locks.write(fromDirectory, toDirectory, source, target);
                if (entry(fromDirectory, fromName) == source
                        && entry(toDirectory, toName) == target) {
                    break;
                }
                held.close();
                held = null;
            }
            return renameChecked(transaction, caller, fromDirectory, fromName, toDirectory,
                    toName, exchange, noReplace, source, target);
        } finally {
            if (held != null) {
                held.close();
            }
        }
    }

    private long entry(long directory, String name) throws IOException {
        DirectoryIndex.Slot slot = Directory.lookup(state.node(directory(directory)), name);
        return slot == null ? 0 : slot.inode();
    }

    private long renameChecked(Transaction transaction, Caller caller, long fromDirectory,
                               String fromName, long toDirectory, String toName, boolean exchange,
                               boolean noReplace, long source, long target) throws IOException {
        Inode from = directory(fromDirectory);
        Inode to = directory(toDirectory);
        Permissions.checkModify(caller, from);
        Permissions.checkModify(caller, to);
        if (source == 0) {
            throw new FsException(FsError.ENOENT, "no '" + fromName + "' in directory "
                    + fromDirectory);
        }
        if (exchange && target == 0) {
            throw new FsException(FsError.ENOENT, "no '" + toName + "' in directory "
                    + toDirectory + " to exchange with");
        }
        if (noReplace && target != 0) {
            throw new FsException(FsError.EEXIST, "'" + toName + "' exists in directory "
                    + toDirectory);
        }
        Inode moved = state.inode(source);
        Inode replaced = target != 0 ? state.inode(target) : null;
        Permissions.checkSticky(caller, from, moved);
        if (replaced != null) {
            Permissions.checkSticky(caller, to, replaced);
        }
        if (source == target) {
            return 0;
        }
        boolean across = fromDirectory != toDirectory;
        if (moved.isDirectory() && across) {
            Permissions.check(caller, moved, Filesystem.W_OK, "move directory");
            checkNotInside(toDirectory, source);
        }
        if (exchange && replaced.isDirectory() && across) {
            Permissions.check(caller, replaced, Filesystem.W_OK, "move directory");
            checkNotInside(fromDirectory, target);
        }
        if (!exchange && replaced != null) {
            if (moved.isDirectory() && !replaced.isDirectory()) {
                throw new FsException(FsError.ENOTDIR, "'" + toName + "' is not a directory");
            }
            if (!moved.isDirectory() && replaced.isDirectory()) {
                throw new FsException(FsError.EISDIR, "'" + toName + "' is a directory");
            }
            if (replaced.isDirectory() && Directory.childCount(state.node(replaced)) > 0) {
                throw new FsException(FsError.ENOTEMPTY, "directory '" + toName
                        + "' is not empty");
            }
        }
        if (!exchange && replaced == null && moved.isDirectory() && across
                && to.nlink() >= MAX_LINKS) {
            throw new FsException(FsError.EMLINK, "directory " + toDirectory + " has "
                    + to.nlink() + " links");
        }
        long now = state.now();
        Node fromNode = state.node(from);
        Node toNode = state.node(to);
        if (exchange) {
            Directory.retarget(transaction, fromNode, fromName, target,
                    Directory.type(replaced.mode()));
            Directory.retarget(transaction, toNode, toName, source,
                    Directory.type(moved.mode()));
            int fromLinks = 0;
            int toLinks = 0;
            if (across && moved.isDirectory() != replaced.isDirectory()) {
                fromLinks = moved.isDirectory() ? -1 : 1;
                toLinks = -fromLinks;
            }
            if (across) {
                reparent(transaction, moved, toDirectory);
                reparent(transaction, replaced, fromDirectory);
            }
            transaction.put(state.inode(source).changed(now));
            transaction.put(state.inode(target).changed(now));
            putDirectories(transaction, fromDirectory, fromLinks, toDirectory, toLinks, now);
            return 0;
        }
        long freed = 0;
        int fromLinks = 0;
        int toLinks = 0;
        if (replaced != null) {
            Directory.retarget(transaction, toNode, toName, source,
                    Directory.type(moved.mode()));
            if (replaced.isDirectory()) {
                toLinks--;
            }
            freed = drop(transaction, replaced, now);
        } else {
            Inode grown = Directory.add(state, transaction, toNode, to, toName, source,
                    Directory.type(moved.mode()));
            if (grown != to) {
                transaction.put(grown);
            }
        }
        Directory.remove(transaction, fromNode, fromName);
        if (moved.isDirectory()) {
            fromLinks--;
            toLinks++;
            if (across) {
                reparent(transaction, moved, toDirectory);
            }
        }
        transaction.put(state.inode(source).changed(now));
        putDirectories(transaction, fromDirectory, fromLinks, toDirectory, toLinks, now);
        return freed;
    }

    private void putDirectories(Transaction transaction, long fromDirectory, int fromLinks,
                                long toDirectory, int toLinks, long now) throws IOException {
        if (fromDirectory == toDirectory) {
            Inode dir = state.inode(fromDirectory);
            transaction.put(dir.withNlink(dir.nlink() + fromLinks + toLinks).modified(now));
            return;
        }
        Inode from = state.inode(fromDirectory);
        transaction.put(from.withNlink(from.nlink() + fromLinks).modified(now));
        Inode to = state.inode(toDirectory);
        transaction.put(to.withNlink(to.nlink() + toLinks).modified(now));
    }

    /** Points a moved directory's ".." to its new parent. */
    private void reparent(Transaction transaction, Inode moved, long parent) throws IOException {
        if (moved.isDirectory()) {
            Directory.retarget(transaction, state.node(moved), "..", parent,
                    Directory.type(Inode.S_IFDIR));
            state.parent(moved.number(), parent);
        }
    }

    /**
     * A directory cannot move into itself or below: walks up from the new parent by the known
     * parents, taking no lock (the rename lock keeps every directory's parent still meanwhile;
     * locking the directories above could wait on an operation that waits on this one).
     */
    private void checkNotInside(long newParent, long moved) throws IOException {
        long at = newParent;
        for (int depth = 0; at != Disk.ROOT_INODE; depth++) {
            if (at == moved) {
                throw new FsException(FsError.EINVAL, "directory " + moved
                        + " cannot move inside itself");
            }
            if (depth > state.layout.inodeCount()) {
                throw new CorruptFilesystemException("the parents of directory " + newParent
                        + " loop");
            }
            at = state.parentOf(at);
        }
    }

}
