package org.cnt.fs.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.cnt.blockdev.BlockDevice;
import org.cnt.fs.Attributes;
import org.cnt.fs.Caller;
import org.cnt.fs.DirEntry;
import org.cnt.fs.Filesystem;
import org.cnt.fs.FsError;
import org.cnt.fs.FsException;
import org.cnt.fs.FsOptions;
import org.cnt.fs.FsStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CNT filesystem on a block device: opens (replaying the journal, finishing interrupted
 * frees), dispatches each operation to the class that does it, commits on a timer, and closes
 * clean. Operations on files' attributes and data are here; those on names in {@link Namespace}.
 */
public final class CntFilesystem implements Filesystem {
    private static final Logger log = LoggerFactory.getLogger(CntFilesystem.class);
    public static final int DEFAULT_BLOCK_BYTES = 4096;

    private final Blocks blocks;
    private final FsState state;
    private final FileData data;
    private final Namespace namespace;
    private final Reclaimer reclaimer;
    private final Xattrs xattrs;
    private final OpenFiles openFiles = new OpenFiles();
    /** The one orphan list: its lock must be the same for every operation that changes it. */
    private final Orphans orphans;
    private final ScheduledExecutorService committerThread;
    private volatile boolean closed;

    private CntFilesystem(Blocks blocks, Disk disk, FsOptions options) {
        this.blocks = blocks;
        this.state = new FsState(new Committer(disk), options.clock(), options.readOnly(),
                options.cacheWeight());
        this.data = new FileData(state, blocks);
        this.orphans = new Orphans(state);
        this.reclaimer = new Reclaimer(state, data, orphans);
        this.namespace = new Namespace(state, orphans, reclaimer, openFiles);
        this.xattrs = new Xattrs(state);
        this.committerThread = options.commitIntervalMs() > 0 && !options.readOnly()
                ? Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                        .name("cnt-fs-commit").factory()) : null;
        if (committerThread != null) {
            committerThread.scheduleWithFixedDelay(this::commitQuietly,
                    options.commitIntervalMs(), options.commitIntervalMs(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Makes a new, empty filesystem on the whole device, the root owned by {@code caller}. */
    public static void format(BlockDevice device, int blockSizeBytes, Caller owner, long nowNs)
            throws IOException {
        Blocks blocks = new DeviceBlocks(device, blockSizeBytes);
        format(blocks, Layout.plan(blockSizeBytes, blocks.blockCount() * blockSizeBytes),
                owner, nowNs);
    }

    static void format(Blocks blocks, Layout layout, Caller owner, long nowNs)
            throws IOException {
        if (layout.journalBlocks() < Layout.MIN_FS_JOURNAL_BLOCKS) {
            throw new IllegalArgumentException("a filesystem needs a journal of at least "
                    + Layout.MIN_FS_JOURNAL_BLOCKS + " blocks, not " + layout.journalBlocks());
        }
        Disk.format(blocks, layout, UUID.randomUUID(), nowNs, owner.uid(), owner.gid());
    }

    /** Opens the filesystem on {@code device} (whose block size the superblock names). */
    public static CntFilesystem open(BlockDevice device, FsOptions options) throws IOException {
        int blockSize = Disk.blockSizeOf(device);
        return open(new DeviceBlocks(device, blockSize), options);
    }

    static CntFilesystem open(Blocks blocks, FsOptions options) throws IOException {
        Disk disk = Disk.open(blocks);
        CntFilesystem fs = new CntFilesystem(blocks, disk, options);
        if (!options.readOnly()) {
            fs.finishOrphans();
            disk.markClean(false);
        }
        return fs;
    }

    private void finishOrphans() throws IOException {
        List<Long> pending = orphans.list();
        for (long orphan : pending) {
            reclaimer.finish(orphan);
        }
        if (!pending.isEmpty()) {
            log.info("finished freeing {} file(s) a crash interrupted", pending.size());
        }
    }

    private void commitQuietly() {
        try {
            state.committer.commit();
        } catch (IOException | RuntimeException e) {
            log.error("journal commit failed; the filesystem takes no more changes", e);
        }
    }

    Attributes attributes(Inode inode, Node node) {
        long stored = node.tree.mappedBlocks() + node.tree.treeBlockCount()
                + (inode.xattrBlock() != 0 ? 1 : 0);
        int rdev = 0;
        if ((inode.type() == Inode.S_IFCHR || inode.type() == Inode.S_IFBLK)
                && inode.inlineData().length == 4) {
            rdev = ByteBuffer.wrap(inode.inlineData()).getInt();
        }
        return new Attributes(inode.number(), inode.mode(), inode.nlink(), inode.uid(),
                inode.gid(), rdev, inode.sizeBytes(), stored * (state.blockSizeBytes() / 512),
                state.blockSizeBytes(), inode.atimeNs(), inode.mtimeNs(), inode.ctimeNs(),
                inode.btimeNs(), inode.generation());
    }

    @Override
    public Attributes getattr(long number) throws IOException {
        try (InodeLocks.Held held = state.locks.read(number)) {
            Inode inode = state.inode(number);
            return attributes(inode, state.node(inode));
        }
    }

    @Override
    public Attributes lookup(Caller caller, long directory, String name) throws IOException {
        return getattr(namespace.lookup(caller, directory, name));
    }

    @Override
    public Attributes resolve(Caller caller, String path, boolean followLast)
            throws IOException {
        return getattr(new PathWalk(this, namespace).resolve(caller, path, followLast));
    }

    @Override
    public Attributes create(Caller caller, long directory, String name, int mode)
            throws IOException {
        return made(namespace.make(caller, directory, name, Inode.S_IFREG | (mode & 07777), 0,
                null));
    }

    @Override
    public Attributes mknod(Caller caller, long directory, String name, int mode, int rdev)
            throws IOException {
        int type = mode & Inode.S_IFMT;
        if (type == 0) {
            type = Inode.S_IFREG;
        }
        if (type != Inode.S_IFREG && type != Inode.S_IFCHR && type != Inode.S_IFBLK
                && type != Inode.S_IFIFO && type != Inode.S_IFSOCK) {
            throw new FsException(FsError.EINVAL, "mknod of type " + Integer.toOctalString(type));
        }
        if ((type == Inode.S_IFCHR || type == Inode.S_IFBLK) && !caller.isRoot()) {
            throw new FsException(FsError.EPERM, "only root makes device nodes");
        }
        return made(namespace.make(caller, directory, name, type | (mode & 07777), rdev, null));
    }

    @Override
    public Attributes mkdir(Caller caller, long directory, String name, int mode)
            throws IOException {
        return made(namespace.make(caller, directory, name, Inode.S_IFDIR | (mode & 07777), 0,
                null));
    }

    @Override
    public Attributes symlink(Caller caller, long directory, String name, String target)
            throws IOException {
        return made(namespace.make(caller, directory, name, Inode.S_IFLNK | 0777, 0, target));
    }

    private Attributes made(Inode inode) throws IOException {
        return getattr(inode.number());
    }

    @Override
    public Attributes link(Caller caller, long number, long directory, String name)
            throws IOException {
        namespace.link(caller, number, directory, name);
        return getattr(number);
    }

    @Override
    public void unlink(Caller caller, long directory, String name) throws IOException {
        namespace.unlink(caller, directory, name);
    }

    @Override
    public void rmdir(Caller caller, long directory, String name) throws IOException {
        namespace.rmdir(caller, directory, name);
    }

    @Override
    public void rename(Caller caller, long directory, String name, long newDirectory,
                       String newName, int flags) throws IOException {
        namespace.rename(caller, directory, name, newDirectory, newName, flags);
    }

    @Override
    public String readlink(long number) throws IOException {
        return namespace.readlink(number);
    }

    @Override
    public void open(Caller caller, long number, int access) throws IOException {
        try (InodeLocks.Held held = state.locks.read(number)) {
            Inode inode = state.inode(number);
            if (inode.isSymlink()) {
                throw new FsException(FsError.ELOOP, "inode " + number + " is a symlink");
            }
            if (inode.isDirectory() && (access & W_OK) != 0) {
                throw new FsException(FsError.EISDIR, "a directory cannot be opened to write");
            }
            if ((access & W_OK) != 0) {
                state.checkWritable();
            }
            Permissions.check(caller, inode, access & (R_OK | W_OK), "open");
            openFiles.opened(number);
        }
    }

    @Override
    public void release(long number) throws IOException {
        if (openFiles.released(number)) {
            reclaimer.finish(number);
        }
    }

    @Override
    public void access(Caller caller, long number, int access) throws IOException {
        try (InodeLocks.Held held = state.locks.read(number)) {
            Inode inode = state.inode(number);
            if ((access & W_OK) != 0) {
                state.checkWritable();
            }
            Permissions.check(caller, inode, access & 7, "access");
        }
    }

    private static Inode regular(Inode inode) throws FsException {
        if (inode.isDirectory()) {
            throw new FsException(FsError.EISDIR, "inode " + inode.number() + " is a directory");
        }
        if (!inode.isRegular()) {
            throw new FsException(FsError.EINVAL, "inode " + inode.number()
                    + " is not a regular file");
        }
        return inode;
    }

    @Override
    public int read(long number, long offset, ByteBuffer into) throws IOException {
        if (offset < 0) {
            throw new FsException(FsError.EINVAL, "negative offset " + offset);
        }
        try (InodeLocks.Held held = state.locks.read(number)) {
            Inode inode = regular(state.inode(number));
            return data.read(state.node(inode), inode, offset, into);
        }
    }

    /** Blocks of data one write handle may allocate (each may cost a bitmap and a leaf). */
    private int writeChunkBlocks() {
        return Math.max(1, (state.committer.maxCredits() - 8) / 3);
    }

    @Override
    public int write(long number, long offset, ByteBuffer from) throws IOException {
        state.checkWritable();
        int length = from.remaining();
        FileData.checkOffset(offset, 0, data.maxFileBytes());
        if (offset >= data.maxFileBytes()) {
            throw new FsException(FsError.EFBIG, "offset " + offset + " is past the largest "
                    + "file");
        }
        length = (int) Math.min(length, data.maxFileBytes() - offset);
        long chunkBytes = (long) writeChunkBlocks() * state.blockSizeBytes();
        int done = 0;
        while (done < length) {
            long at = offset + done;
            int n = (int) Math.min(length - done, chunkBytes - at % state.blockSizeBytes());
            ByteBuffer part = from.duplicate().limit(from.position() + n);
            // Credits for what this piece may allocate: a block, a bitmap block and a leaf
            // each, at most (overwrites need none of them, but the inode).
            long pieceBlocks = (at + n - 1) / state.blockSizeBytes() - at
                    / state.blockSizeBytes() + 1;
            int credits = (int) Math.min(state.committer.maxCredits(), 3 * pieceBlocks + 8);
            try (Transaction transaction = state.committer.begin(credits);
                 InodeLocks.Held held = state.locks.write(number)) {
                Inode inode = regular(state.inode(number));
                Node node = state.node(inode);
                inode = data.write(transaction, node, inode, at, part);
                transaction.put(inode.modified(state.now()));
            }
            from.position(from.position() + n);
            done += n;
        }
        return length;
    }

    @Override
    public Attributes truncate(Caller caller, long number, long sizeBytes) throws IOException {
        state.checkWritable();
        FileData.checkOffset(sizeBytes, 0, data.maxFileBytes());
        boolean shrunk;
        try (Transaction transaction = state.committer.begin(8);
             InodeLocks.Held held = state.locks.write(number)) {
            Inode inode = regular(state.inode(number));
            Permissions.check(caller, inode, W_OK, "truncate");
            if (inode.sizeBytes() == sizeBytes) {
                return attributes(inode, state.node(inode));
            }
            Node node = state.node(inode);
            shrunk = sizeBytes < inode.sizeBytes();
            if (shrunk) {
                long tailEnd = Math.min(inode.sizeBytes(), (sizeBytes + state.blockSizeBytes()
                        - 1) / state.blockSizeBytes() * state.blockSizeBytes());
                data.zeroBytes(node, sizeBytes, tailEnd);
                orphans.add(transaction, number);
            }
            transaction.put(inode.withSize(sizeBytes).modified(state.now()));
        }
        if (shrunk) {
            reclaimer.finish(number);
        }
        return getattr(number);
    }

    @Override
    public Attributes chmod(Caller caller, long number, int mode) throws IOException {
        state.checkWritable();
        try (Transaction transaction = state.committer.begin(2);
             InodeLocks.Held held = state.locks.write(number)) {
            Inode inode = state.inode(number);
            Permissions.checkOwner(caller, inode, "change its mode");
            inode = inode.withMode(Permissions.chmodMode(caller, inode, mode))
                    .changed(state.now());
            transaction.put(inode);
            return attributes(inode, state.node(inode));
        }
    }

    @Override
    public Attributes chown(Caller caller, long number, int uid, int gid) throws IOException {
        state.checkWritable();
        try (Transaction transaction = state.committer.begin(2);
             InodeLocks.Held held = state.locks.write(number)) {
            Inode inode = state.inode(number);
            Permissions.checkChown(caller, inode, uid, gid);
            int newUid = uid == -1 ? inode.uid() : uid;
            int newGid = gid == -1 ? inode.gid() : gid;
            int mode = inode.mode();
            if (!inode.isDirectory() && (uid != -1 || gid != -1)) {
                // Giving a file away must not give away a set-ID program.
                mode &= ~(Permissions.S_ISUID | ((mode & 010) != 0 ? Permissions.S_ISGID : 0));
            }
            inode = inode.withOwner(newUid, newGid).withMode(mode).changed(state.now());
            transaction.put(inode);
            return attributes(inode, state.node(inode));
        }
    }

    @Override
    public Attributes utimens(Caller caller, long number, long atimeNs, long mtimeNs)
            throws IOException {
        state.checkWritable();
        try (Transaction transaction = state.committer.begin(2);
             InodeLocks.Held held = state.locks.write(number)) {
            Inode inode = state.inode(number);
            if (atimeNs == UTIME_OMIT && mtimeNs == UTIME_OMIT) {
                return attributes(inode, state.node(inode));
            }
            boolean onlyNow = (atimeNs == UTIME_NOW || atimeNs == UTIME_OMIT)
                    && (mtimeNs == UTIME_NOW || mtimeNs == UTIME_OMIT);
            if (!caller.isRoot() && caller.uid() != inode.uid()) {
                if (!onlyNow) {
                    throw new FsException(FsError.EPERM, caller + " does not own inode "
                            + number + " and may only set its times to now");
                }
                Permissions.check(caller, inode, W_OK, "set times");
            }
            long now = state.now();
            long atime = atimeNs == UTIME_NOW ? now : atimeNs == UTIME_OMIT ? inode.atimeNs()
                    : atimeNs;
            long mtime = mtimeNs == UTIME_NOW ? now : mtimeNs == UTIME_OMIT ? inode.mtimeNs()
                    : mtimeNs;
            inode = inode.withTimes(atime, mtime, now);
            transaction.put(inode);
            return attributes(inode, state.node(inode));
        }
    }

    @Override
    public List<DirEntry> readdir(Caller caller, long directory, long offset, int max)
            throws IOException {
        return namespace.readdir(caller, directory, offset, max);
    }

    @Override
    public FsStats statfs() {
        Layout layout = state.layout;
        return new FsStats(layout.blockSizeBytes(), layout.dataBlocks(),
                state.committer.freeBlocks(), layout.inodeCount() - 1,
                state.committer.freeInodes(), DirectoryBlock.MAX_NAME_BYTES);
    }

    @Override
    public byte[] getxattr(Caller caller, long number, String name) throws IOException {
        return xattrs.get(caller, number, name);
    }

    @Override
    public void setxattr(Caller caller, long number, String name, byte[] value, int flags)
            throws IOException {
        xattrs.change(caller, number, name, value, flags);
    }

    @Override
    public List<String> listxattr(Caller caller, long number) throws IOException {
        return xattrs.list(caller, number);
    }

    @Override
    public void removexattr(Caller caller, long number, String name) throws IOException {
        xattrs.change(caller, number, name, null, 0);
    }

    @Override
    public void fsync(long number) throws IOException {
        state.inode(number);
        sync();
    }

    @Override
    public void sync() throws IOException {
        if (!state.readOnly) {
            state.committer.flushData();
        }
    }

    @Override
    public void fallocate(Caller caller, long number, int mode, long offset, long length)
            throws IOException {
        state.checkWritable();
        new Fallocate(state, data, reclaimer, writeChunkBlocks()).apply(caller, number, mode,
                offset, length);
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (committerThread != null) {
            committerThread.shutdownNow();
        }
        if (!state.readOnly) {
            state.committer.checkpoint();
            state.committer.disk().markClean(true);
        }
    }

    /** Commits the running transaction now (tests; the timer does it otherwise). */
    void commit() throws IOException {
        state.committer.commit();
    }

    /** A lookup without building the attributes (tests of lookup's own speed). */
    long namespaceLookup(long directory, String name) throws IOException {
        return namespace.lookup(Caller.ROOT, directory, name);
    }

    FsState state() {
        return state;
    }

    Blocks blocks() {
        return blocks;
    }
}
