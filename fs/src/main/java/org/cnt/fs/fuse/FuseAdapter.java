package org.cnt.fs.fuse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.cnt.fs.Attributes;
import org.cnt.fs.Caller;
import org.cnt.fs.DirEntry;
import org.cnt.fs.Filesystem;
import org.cnt.fs.FsError;
import org.cnt.fs.FsException;
import org.cryptomator.jfuse.api.DirFiller;
import org.cryptomator.jfuse.api.Errno;
import org.cryptomator.jfuse.api.FileInfo;
import org.cryptomator.jfuse.api.FuseConfig;
import org.cryptomator.jfuse.api.FuseConnInfo;
import org.cryptomator.jfuse.api.FuseOperations;
import org.cryptomator.jfuse.api.Stat;
import org.cryptomator.jfuse.api.Statvfs;
import org.cryptomator.jfuse.api.TimeSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file system as FUSE sees it: each callback resolves its path (or takes the inode an open
 * file handle holds), calls the {@link Filesystem} as the request's caller, and returns 0, a
 * count, or minus the errno of the {@link FsException}. Every callback has the same shape — act,
 * map the file system's error to its errno, and a final catch that logs and returns EIO — so
 * nothing ever throws into native code.
 */
public final class FuseAdapter implements FuseOperations {
    private static final Logger log = LoggerFactory.getLogger(FuseAdapter.class);
    private static final int O_ACCMODE = 3;
    private static final int MAX_WRITE_BYTES = 1 << 20;

    private final Filesystem fs;
    private final Supplier<Caller> callers;
    private final Errno errno;
    private final Runnable onDestroy;

    /** A callback's body: returns what the callback returns. */
    @FunctionalInterface
    private interface Call {
        int run() throws Exception;
    }

    public FuseAdapter(Filesystem fs, Supplier<Caller> callers, Errno errno,
                       Runnable onDestroy) {
        this.fs = fs;
        this.callers = callers;
        this.errno = errno;
        this.onDestroy = onDestroy;
    }

    /** Adds what jfuse leaves out (link, mknod, fallocate) to {@code fuse} before it mounts. */
    public static boolean completeBindings(org.cryptomator.jfuse.api.Fuse fuse,
                                           FuseOperations operations) {
        return ExtraCallbacks.bind(fuse, operations);
    }

    @Override
    public Errno errno() {
        return errno;
    }

    @Override
    public Set<Operation> supportedOperations() {
        return EnumSet.allOf(Operation.class);
    }

    private int call(String what, String path, Call call) {
        try {
            return call.run();
        } catch (FsException e) {
            log.debug("{} {}: {}", what, path, e.getMessage());
            return -e.error().errno();
        } catch (java.io.IOException e) {
            // The volume could not be read or written (its lease ran out, its farmers are
            // unreachable): the message says why and what to do; a stack trace would not.
            log.error("{} {}: {}", what, path, e.getMessage());
            return -FsError.EIO.errno();
        } catch (Exception | Error e) {
            log.error("{} {} failed", what, path, e);
            return -FsError.EIO.errno();
        }
    }

    @Override
    public void init(FuseConnInfo conn, FuseConfig config) {
        int wanted = FuseConnInfo.FUSE_CAP_BIG_WRITES | FuseConnInfo.FUSE_CAP_WRITEBACK_CACHE
                | FuseConnInfo.FUSE_CAP_ASYNC_READ | FuseConnInfo.FUSE_CAP_PARALLEL_DIROPS
                | FuseConnInfo.FUSE_CAP_ATOMIC_O_TRUNC;
        conn.setWant(conn.want() | (conn.capable() & wanted));
        conn.setMaxWrite(Math.max(conn.maxWrite(), MAX_WRITE_BYTES));
        conn.setMaxReadahead(Math.max(conn.maxReadahead(), MAX_WRITE_BYTES));
        configure(config);
    }

    /**
     * libfuse 3 takes these only from init: inode numbers from getattr (hard links are one
     * file), unlink even while open (the file system keeps an open file's data until its last
     * release), no attribute caching (link counts right at once after link, unlink, rename; the
     * writeback cache keeps size and mtime in the kernel meanwhile), and names cached 1 s (every
     * change comes through this mount, which updates the kernel's names as it goes).
     */
    private static void configure(FuseConfig config) {
        java.lang.foreign.MemorySegment raw = NativeStructs.segment(config);
        if (raw == null) {
            log.warn("cannot reach libfuse's configuration: hard links show as separate files");
            return;
        }
        setInt(raw, NativeStructs.offset(config, "fuse_config", "use_ino"), 1);
        setInt(raw, NativeStructs.offset(config, "fuse_config", "hard_remove"), 1);
        setDouble(raw, NativeStructs.offset(config, "fuse_config", "attr_timeout"), 0);
        setDouble(raw, NativeStructs.offset(config, "fuse_config", "entry_timeout"), 1);
        setDouble(raw, NativeStructs.offset(config, "fuse_config", "negative_timeout"), 0);
    }

    private static void setInt(java.lang.foreign.MemorySegment raw, long offset, int value) {
        if (offset >= 0) {
            raw.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, offset, value);
        }
    }

    private static void setDouble(java.lang.foreign.MemorySegment raw, long offset,
                                  double value) {
        if (offset >= 0) {
            raw.set(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, offset, value);
        }
    }

    @Override
    public void destroy() {
        try {
            fs.close();
        } catch (Exception e) {
            log.error("closing the file system at unmount failed", e);
        }
        onDestroy.run();
    }

    /** The inode of an open file's handle, else of the path (a symlink itself, not followed). */
    private long inode(String path, FileInfo fi) throws Exception {
        if (fi != null && fi.getFh() != 0) {
            return fi.getFh();
        }
        return fs.resolve(callers.get(), path, false).inode();
    }

    private long parent(Caller caller, String path) throws Exception {
        return fs.resolve(caller, parentOf(path), true).inode();
    }

    static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    static String nameOf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    @Override
    public int getattr(String path, Stat stat, FileInfo fi) {
        return call("getattr", path, () -> {
            StatFiller.fill(stat, fs.getattr(inode(path, fi)));
            return 0;
        });
    }

    @Override
    public int readlink(String path, ByteBuffer buf, long len) {
        return call("readlink", path, () -> {
            byte[] target = fs.readlink(inode(path, null)).getBytes(StandardCharsets.UTF_8);
            int n = (int) Math.min(target.length, Math.max(0, len - 1));
            buf.put(target, 0, n).put((byte) 0);
            return 0;
        });
    }

    @Override
    public int mknod(String path, short mode, int rdev) {
        return call("mknod", path, () -> {
            Caller caller = callers.get();
            fs.mknod(caller, parent(caller, path), nameOf(path), mode & 0xFFFF, rdev);
            return 0;
        });
    }

    @Override
    public int mkdir(String path, int mode) {
        return call("mkdir", path, () -> {
            Caller caller = callers.get();
            fs.mkdir(caller, parent(caller, path), nameOf(path), mode);
            return 0;
        });
    }

    @Override
    public int unlink(String path) {
        return call("unlink", path, () -> {
            Caller caller = callers.get();
            fs.unlink(caller, parent(caller, path), nameOf(path));
            return 0;
        });
    }

    @Override
    public int rmdir(String path) {
        return call("rmdir", path, () -> {
            Caller caller = callers.get();
            fs.rmdir(caller, parent(caller, path), nameOf(path));
            return 0;
        });
    }

    @Override
    public int symlink(String target, String linkname) {
        return call("symlink", linkname, () -> {
            Caller caller = callers.get();
            fs.symlink(caller, parent(caller, linkname), nameOf(linkname), target);
            return 0;
        });
    }

    @Override
    public int rename(String oldpath, String newpath, int flags) {
        return call("rename", oldpath, () -> {
            Caller caller = callers.get();
            fs.rename(caller, parent(caller, oldpath), nameOf(oldpath), parent(caller, newpath),
                    nameOf(newpath), flags);
            return 0;
        });
    }

    @Override
    public int link(String oldpath, String newpath) {
        return call("link", oldpath, () -> {
            Caller caller = callers.get();
            fs.link(caller, fs.resolve(caller, oldpath, false).inode(), parent(caller, newpath),
                    nameOf(newpath));
            return 0;
        });
    }

    @Override
    public int chmod(String path, int mode, FileInfo fi) {
        return call("chmod", path, () -> {
            fs.chmod(callers.get(), inode(path, fi), mode);
            return 0;
        });
    }

    @Override
    public int chown(String path, int uid, int gid, FileInfo fi) {
        return call("chown", path, () -> {
            fs.chown(callers.get(), inode(path, fi), uid, gid);
            return 0;
        });
    }

    /** ftruncate of an open file was allowed by its open; truncate(2) is checked here. */
    @Override
    public int truncate(String path, long size, FileInfo fi) {
        return call("truncate", path, () -> {
            boolean open = fi != null && fi.getFh() != 0;
            fs.truncate(open ? Caller.ROOT : callers.get(), inode(path, fi), size);
            return 0;
        });
    }

    private static int access(int flags) {
        int mode = flags & O_ACCMODE;
        return mode == 0 ? Filesystem.R_OK : mode == 1 ? Filesystem.W_OK
                : Filesystem.R_OK | Filesystem.W_OK;
    }

    @Override
    public int open(String path, FileInfo fi) {
        return call("open", path, () -> {
            Caller caller = callers.get();
            long inode = fs.resolve(caller, path, true).inode();
            fs.open(caller, inode, access(fi.getFlags()));
            if ((fi.getFlags() & 01000) != 0) {
                // O_TRUNC with atomic_o_trunc: the kernel leaves the truncation to open.
                fs.truncate(caller, inode, 0);
            }
            fi.setFh(inode);
            return 0;
        });
    }

    @Override
    public int create(String path, int mode, FileInfo fi) {
        return call("create", path, () -> {
            Caller caller = callers.get();
            Attributes made = fs.create(caller, parent(caller, path), nameOf(path), mode);
            fs.open(Caller.ROOT, made.inode(), 0);
            fi.setFh(made.inode());
            return 0;
        });
    }

    @Override
    public int read(String path, ByteBuffer buf, long size, long offset, FileInfo fi) {
        return call("read", path, () -> fs.read(inode(path, fi), offset,
                buf.slice(buf.position(), (int) Math.min(size, buf.remaining()))));
    }

    @Override
    public int write(String path, ByteBuffer buf, long size, long offset, FileInfo fi) {
        return call("write", path, () -> fs.write(inode(path, fi), offset,
                buf.slice(buf.position(), (int) Math.min(size, buf.remaining()))));
    }

    @Override
    public int statfs(String path, Statvfs statvfs) {
        return call("statfs", path, () -> {
            var stats = fs.statfs();
            statvfs.setBsize(stats.blockSizeBytes());
            statvfs.setFrsize(stats.blockSizeBytes());
            statvfs.setBlocks(stats.totalBlocks());
            statvfs.setBfree(stats.freeBlocks());
            statvfs.setBavail(stats.freeBlocks());
            statvfs.setNameMax(stats.maxNameBytes());
            return 0;
        });
    }

    /** close(2): nothing to do; data is durable on fsync (and within the commit interval). */
    @Override
    public int flush(String path, FileInfo fi) {
        return 0;
    }

    @Override
    public int release(String path, FileInfo fi) {
        return call("release", path, () -> {
            fs.release(fi.getFh());
            return 0;
        });
    }

    @Override
    public int fsync(String path, int datasync, FileInfo fi) {
        return call("fsync", path, () -> {
            fs.fsync(inode(path, fi));
            return 0;
        });
    }

    @Override
    public int fsyncdir(String path, int datasync, FileInfo fi) {
        return fsync(path, datasync, fi);
    }

    @Override
    public int setxattr(String path, String name, ByteBuffer value, int flags) {
        return call("setxattr", path, () -> {
            byte[] bytes = new byte[value.remaining()];
            value.duplicate().get(bytes);
            fs.setxattr(callers.get(), inode(path, null), name, bytes, flags);
            return 0;
        });
    }

    @Override
    public int getxattr(String path, String name, ByteBuffer value) {
        return call("getxattr", path, () -> sized(fs.getxattr(callers.get(), inode(path, null),
                name), value));
    }

    @Override
    public int listxattr(String path, ByteBuffer list) {
        return call("listxattr", path, () -> {
            StringBuilder names = new StringBuilder();
            for (String name : fs.listxattr(callers.get(), inode(path, null))) {
                names.append(name).append('\0');
            }
            return sized(names.toString().getBytes(StandardCharsets.UTF_8), list);
        });
    }

    /** The xattr convention: an empty buffer asks for the size; a short one is ERANGE. */
    private static int sized(byte[] bytes, ByteBuffer into) throws FsException {
        if (into.capacity() == 0) {
            return bytes.length;
        }
        if (into.remaining() < bytes.length) {
            throw new FsException(FsError.ERANGE, bytes.length + " bytes do not fit "
                    + into.remaining());
        }
        into.put(bytes);
        return bytes.length;
    }

    @Override
    public int removexattr(String path, String name) {
        return call("removexattr", path, () -> {
            fs.removexattr(callers.get(), inode(path, null), name);
            return 0;
        });
    }

    @Override
    public int opendir(String path, FileInfo fi) {
        return call("opendir", path, () -> {
            Caller caller = callers.get();
            Attributes dir = fs.resolve(caller, path, true);
            if (!dir.isDirectory()) {
                throw new FsException(FsError.ENOTDIR, path + " is not a directory");
            }
            fs.access(caller, dir.inode(), Filesystem.R_OK);
            fi.setFh(dir.inode());
            return 0;
        });
    }

    @Override
    public int readdir(String path, DirFiller filler, long offset, FileInfo fi, int flags) {
        return call("readdir", path, () -> {
            long dir = inode(path, fi);
            long at = offset;
            while (true) {
                List<DirEntry> page = fs.readdir(Caller.ROOT, dir, at, 256);
                if (page.isEmpty()) {
                    return 0;
                }
                for (DirEntry entry : page) {
                    if (filler.fill(entry.name(), stat -> StatFiller.fillEntry(stat,
                            entry.inode(), entry.type() << 12), entry.nextOffset(), 0) != 0) {
                        return 0;
                    }
                    at = entry.nextOffset();
                }
            }
        });
    }

    @Override
    public int releasedir(String path, FileInfo fi) {
        return 0;
    }

    @Override
    public int access(String path, int mask) {
        return call("access", path, () -> {
            Caller caller = callers.get();
            fs.access(caller, fs.resolve(caller, path, true).inode(), mask);
            return 0;
        });
    }

    @Override
    public int utimens(String path, TimeSpec atime, TimeSpec mtime, FileInfo fi) {
        return call("utimens", path, () -> {
            fs.utimens(callers.get(), inode(path, fi), nanos(atime), nanos(mtime));
            return 0;
        });
    }

    private static long nanos(TimeSpec time) {
        if (time.isUtimeNow()) {
            return Filesystem.UTIME_NOW;
        }
        if (time.isUtimeOmit()) {
            return Filesystem.UTIME_OMIT;
        }
        java.time.Instant at = time.get();
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }

    @Override
    public int fallocate(String path, int mode, long offset, long length, FileInfo fi) {
        return call("fallocate", path, () -> {
            fs.fallocate(callers.get(), inode(path, fi), mode, offset, length);
            return 0;
        });
    }
}
