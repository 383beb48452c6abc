package org.cnt.fs;

/**
 * Why a filesystem operation failed: each value is one POSIX errno, which the FUSE adapter
 * returns as it is (the numbers are Linux's).
 */
public enum FsError {
    EPERM(1), ENOENT(2), EIO(5), E2BIG(7), EBADF(9), EACCES(13), EEXIST(17), EXDEV(18), ENODEV(19), ENOTDIR(20),
    EISDIR(21), EINVAL(22), EFBIG(27), ENOSPC(28), EROFS(30), EMLINK(31), ERANGE(34),
    ENAMETOOLONG(36), ENOTEMPTY(39), ELOOP(40), ENODATA(61), EOPNOTSUPP(95);

    private final int errno;

    FsError(int errno) {
        this.errno = errno;
    }

    /** The Linux errno. */
    public int errno() {
        return errno;
    }
}
