package org.cnt.fs;

/**
 * What {@code stat} shows of a file. {@code blocks512} counts 512-byte units actually stored (a
 * hole costs none); times are nanoseconds since the epoch.
 */
public record Attributes(long inode, int mode, int nlink, int uid, int gid, int rdev,
                         long sizeBytes, long blocks512, int blockSizeBytes, long atimeNs,
                         long mtimeNs, long ctimeNs, long btimeNs, int generation) {
    public static final int S_IFMT = 0170000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFLNK = 0120000;

    public int type() {
        return mode & S_IFMT;
    }

    public boolean isDirectory() {
        return type() == S_IFDIR;
    }

    public boolean isRegular() {
        return type() == S_IFREG;
    }

    public boolean isSymlink() {
        return type() == S_IFLNK;
    }

    /** The permission bits with set-user-ID, set-group-ID and sticky. */
    public int permissions() {
        return mode & 07777;
    }
}
