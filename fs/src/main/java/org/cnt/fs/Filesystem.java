package org.cnt.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The operations the FUSE adapter calls, by inode number (the root is {@link #ROOT}). Names are
 * single path components of at most 255 UTF-8 bytes. Every failure a caller can act on is an
 * {@link FsException} whose {@link FsError} is the errno to return; a damaged structure is a
 * {@link CorruptFilesystemException} (EIO). Thread-safe: operations on different files run in
 * parallel. A change is durable once {@link #fsync} or {@link #sync} returns (or within the
 * commit interval); after a crash the filesystem opens consistent either way.
 */
public interface Filesystem extends AutoCloseable {
    long ROOT = 1;
    /** A time argument of {@link #utimens}: the current time. */
    long UTIME_NOW = -1;
    /** A time argument of {@link #utimens}: leave this time as it is. */
    long UTIME_OMIT = -2;
    int RENAME_NOREPLACE = 1;
    int RENAME_EXCHANGE = 2;
    int XATTR_CREATE = 1;
    int XATTR_REPLACE = 2;
    int FALLOC_FL_KEEP_SIZE = 1;
    int FALLOC_FL_PUNCH_HOLE = 2;
    int FALLOC_FL_ZERO_RANGE = 0x10;
    /** Access modes of {@link #open} and {@link #access}. */
    int R_OK = 4;
    int W_OK = 2;
    int X_OK = 1;

    Attributes lookup(Caller caller, long directory, String name) throws IOException;

    Attributes getattr(long inode) throws IOException;

    /** Resolves an absolute path, following symlinks (ELOOP after 40), the last one too. */
    Attributes resolve(Caller caller, String path, boolean followLast) throws IOException;

    Attributes create(Caller caller, long directory, String name, int mode) throws IOException;

    /** A regular file, FIFO, socket or device ({@code rdev}); {@code mode} names the type. */
    Attributes mknod(Caller caller, long directory, String name, int mode, int rdev)
            throws IOException;

    Attributes mkdir(Caller caller, long directory, String name, int mode) throws IOException;

    Attributes symlink(Caller caller, long directory, String name, String target)
            throws IOException;

    Attributes link(Caller caller, long inode, long directory, String name) throws IOException;

    void unlink(Caller caller, long directory, String name) throws IOException;

    void rmdir(Caller caller, long directory, String name) throws IOException;

    /** {@code flags}: 0, {@link #RENAME_NOREPLACE} or {@link #RENAME_EXCHANGE}. */
    void rename(Caller caller, long directory, String name, long newDirectory, String newName,
                int flags) throws IOException;

    String readlink(long inode) throws IOException;

    /**
     * Checks that {@code caller} may open the file for {@code access} (R_OK | W_OK) and counts
     * it open: a file unlinked while open keeps its data until the last {@link #release}.
     */
    void open(Caller caller, long inode, int access) throws IOException;

    /** Closes what one {@link #open} opened; the last close of an unlinked file frees it. */
    void release(long inode) throws IOException;

    /** Checks {@code access} (R_OK | W_OK | X_OK) as access(2) does; 0 checks existence. */
    void access(Caller caller, long inode, int access) throws IOException;

    /** Reads from {@code offset} into the buffer's remaining bytes; returns the count (0 at EOF). */
    int read(long inode, long offset, ByteBuffer into) throws IOException;

    /** Writes the buffer's remaining bytes at {@code offset}; returns the count written. */
    int write(long inode, long offset, ByteBuffer from) throws IOException;

    Attributes truncate(Caller caller, long inode, long sizeBytes) throws IOException;

    Attributes chmod(Caller caller, long inode, int mode) throws IOException;

    /** {@code uid} or {@code gid} of -1 leaves it unchanged. */
    Attributes chown(Caller caller, long inode, int uid, int gid) throws IOException;

    /** Times in ns since the epoch, or {@link #UTIME_NOW} or {@link #UTIME_OMIT}. */
    Attributes utimens(Caller caller, long inode, long atimeNs, long mtimeNs) throws IOException;

    /**
     * Up to {@code max} entries after {@code offset} (0 starts at the beginning, "." and ".."
     * first); each names the offset to continue from.
     */
    List<DirEntry> readdir(Caller caller, long directory, long offset, int max)
            throws IOException;

    FsStats statfs() throws IOException;

    byte[] getxattr(Caller caller, long inode, String name) throws IOException;

    void setxattr(Caller caller, long inode, String name, byte[] value, int flags)
            throws IOException;

    List<String> listxattr(Caller caller, long inode) throws IOException;

    void removexattr(Caller caller, long inode, String name) throws IOException;

    /** Makes every change so far durable (the file's and, as a journal commits, all others). */
    void fsync(long inode) throws IOException;

    void sync() throws IOException;

    /** {@code mode}: 0, or {@link #FALLOC_FL_KEEP_SIZE}, PUNCH_HOLE (with KEEP_SIZE), ZERO_RANGE. */
    void fallocate(Caller caller, long inode, int mode, long offset, long length)
            throws IOException;

    /** Commits, writes the journal home, marks the filesystem clean and releases it. */
    @Override
    void close() throws IOException;
}
