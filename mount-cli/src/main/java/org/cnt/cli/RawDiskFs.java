package org.cnt.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Set;
import org.cnt.blockdev.BlockDevice;
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
 * A directory holding one file, {@code disk.img}: the volume's block device, for any file system
 * a user puts on it (mkfs, then a loop device or fuse2fs). Every close of the file is a flush
 * barrier (FUSE's flush runs inside close(2)), as are fsync and unmount, so a program that closed
 * the image, or an unmount that succeeded, has everything committed by a quorum. Nothing throws
 * into native code: a device error is EIO, and logged.
 */
final class RawDiskFs implements FuseOperations {
    static final String IMAGE = "disk.img";
    private static final String IMAGE_PATH = "/" + IMAGE;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final Logger log = LoggerFactory.getLogger(RawDiskFs.class);

    private final BlockDevice device;
    private final Errno errno;
    private final int uid;
    private final int gid;
    private final long mountedSec = System.currentTimeMillis() / 1000;
    private volatile long modifiedSec = mountedSec;
    private final Runnable onDestroy;

    RawDiskFs(BlockDevice device, Errno errno, Runnable onDestroy) {
        this.device = device;
        this.errno = errno;
        this.onDestroy = onDestroy;
        ProcessOwner owner = ProcessOwner.current();
        this.uid = owner.uid();
        this.gid = owner.gid();
    }

    @Override
    public Errno errno() {
        return errno;
    }

    @Override
    public Set<Operation> supportedOperations() {
        return EnumSet.of(Operation.INIT, Operation.DESTROY, Operation.GET_ATTR, Operation.OPEN,
                Operation.READ, Operation.WRITE, Operation.FLUSH, Operation.FSYNC,
                Operation.RELEASE, Operation.OPEN_DIR, Operation.READ_DIR, Operation.RELEASE_DIR,
                Operation.STATFS, Operation.TRUNCATE, Operation.UTIMENS, Operation.CHMOD,
                Operation.CHOWN, Operation.ACCESS);
    }

    @Override
    public void init(FuseConnInfo conn, FuseConfig config) {
        conn.setWant(conn.want() | (conn.capable() & FuseConnInfo.FUSE_CAP_BIG_WRITES));
    }

    @Override
    public void destroy() {
        try {
            device.flush();
        } catch (IOException | RuntimeException e) {
            log.error("flush at unmount failed: {}", e.toString());
        }
        onDestroy.run();
    }

    @Override
    public int getattr(String path, Stat stat, FileInfo fi) {
        if (path.equals("/")) {
            stat.setMode(S_IFDIR | 0755);
            stat.setNLink((short) 2);
        } else if (path.equals(IMAGE_PATH)) {
            stat.setMode(S_IFREG | 0600);
            stat.setNLink((short) 1);
            stat.setSize(device.sizeBytes());
            stat.mTime().set(java.time.Instant.ofEpochSecond(modifiedSec));
        } else {
            return -errno.enoent();
        }
        stat.setUid(uid);
        stat.setGid(gid);
        stat.aTime().set(java.time.Instant.ofEpochSecond(mountedSec));
        stat.cTime().set(java.time.Instant.ofEpochSecond(modifiedSec));
        return 0;
    }

    @Override
    public int access(String path, int mask) {
        return path.equals("/") || path.equals(IMAGE_PATH) ? 0 : -errno.enoent();
    }

    @Override
    public int opendir(String path, FileInfo fi) {
        return path.equals("/") ? 0 : -errno.enotdir();
    }

    @Override
    public int readdir(String path, DirFiller filler, long offset, FileInfo fi, int flags) {
        if (!path.equals("/")) {
            return -errno.enotdir();
        }
        try {
            filler.fill(".");
            filler.fill("..");
            filler.fill(IMAGE);
            return 0;
        } catch (IOException e) {
            return -errno.eio();
        }
    }

    @Override
    public int releasedir(String path, FileInfo fi) {
        return 0;
    }

    @Override
    public int open(String path, FileInfo fi) {
        return path.equals(IMAGE_PATH) ? 0 : -errno.enoent();
    }

    @Override
    public int read(String path, ByteBuffer buf, long size, long offset, FileInfo fi) {
        long length = Math.min(size, Math.max(0, device.sizeBytes() - offset));
        if (length <= 0) {
            return 0;
        }
        try {
            device.read(offset, buf.slice(buf.position(), (int) length));
            return (int) length;
        } catch (IOException | RuntimeException e) {
            return failed("read " + length + " bytes at " + offset, e);
        }
    }

    @Override
    public int write(String path, ByteBuffer buf, long size, long offset, FileInfo fi) {
        if (offset >= device.sizeBytes()) {
            return -28; // ENOSPC: the image is as large as the volume
        }
        long length = Math.min(size, device.sizeBytes() - offset);
        try {
            device.write(offset, buf.slice(buf.position(), (int) length));
            modifiedSec = System.currentTimeMillis() / 1000;
            return (int) length;
        } catch (IOException | RuntimeException e) {
            return failed("write " + length + " bytes at " + offset, e);
        }
    }

    @Override
    public int flush(String path, FileInfo fi) {
        return sync("flush at close");
    }

    @Override
    public int fsync(String path, int datasync, FileInfo fi) {
        return sync("fsync");
    }

    private int sync(String what) {
        try {
            device.flush();
            return 0;
        } catch (IOException | RuntimeException e) {
            return failed(what, e);
        }
    }

    @Override
    public int release(String path, FileInfo fi) {
        return 0;
    }

    /** The image keeps the volume's size: truncating to it is a no-op, anything else is not. */
    @Override
    public int truncate(String path, long size, FileInfo fi) {
        return size == device.sizeBytes() ? 0 : -errno.einval();
    }

    @Override
    public int utimens(String path, TimeSpec atime, TimeSpec mtime, FileInfo fi) {
        return 0;
    }

    @Override
    public int chmod(String path, int mode, FileInfo fi) {
        return 0;
    }

    @Override
    public int chown(String path, int uid, int gid, FileInfo fi) {
        return 0;
    }

    @Override
    public int statfs(String path, Statvfs statvfs) {
        statvfs.setBsize(4096);
        statvfs.setFrsize(4096);
        statvfs.setBlocks(device.sizeBytes() / 4096);
        statvfs.setBfree(0);
        statvfs.setBavail(0);
        statvfs.setNameMax(255);
        return 0;
    }

    private int failed(String what, Exception e) {
        log.error("{} on the volume failed: {}", what, e.toString());
        return -errno.eio();
    }
}
