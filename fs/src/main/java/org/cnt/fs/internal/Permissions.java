package org.cnt.fs.internal;

import org.cnt.fs.Caller;
import org.cnt.fs.FsError;
import org.cnt.fs.FsException;

/**
 * The POSIX permission rules, as Linux applies them: owner, group or other bits; root passes
 * read and write always and execute when any execute bit is set (or on a directory); the sticky
 * bit of a directory keeps others' entries from being removed or renamed; only an owner (or
 * root) changes modes and times, only root gives a file away.
 */
final class Permissions {
    static final int S_ISUID = 04000;
    static final int S_ISGID = 02000;
    static final int S_ISVTX = 01000;

    private Permissions() {
    }

    /** Whether {@code caller} has every one of {@code access} (4 read, 2 write, 1 execute). */
    static boolean allows(Caller caller, Inode inode, int access) {
        int mode = inode.mode();
        if (caller.isRoot()) {
            return (access & 1) == 0 || inode.isDirectory() || (mode & 0111) != 0;
        }
        int bits;
        if (caller.uid() == inode.uid()) {
            bits = mode >>> 6;
        } else if (caller.inGroup(inode.gid())) {
            bits = mode >>> 3;
        } else {
            bits = mode;
        }
        return (bits & access & 7) == (access & 7);
    }

    static void check(Caller caller, Inode inode, int access, String what) throws FsException {
        if (!allows(caller, inode, access)) {
            throw new FsException(FsError.EACCES, caller + " may not " + what + " (inode "
                    + inode.number() + ", mode " + Integer.toOctalString(inode.mode() & 07777)
                    + ", owner " + inode.uid() + ":" + inode.gid() + ")");
        }
    }

    /** Looking up a name needs search (execute) permission on the directory. */
    static void checkSearch(Caller caller, Inode directory) throws FsException {
        check(caller, directory, 1, "search directory");
    }

    /** Adding or removing an entry needs write and search permission on the directory. */
    static void checkModify(Caller caller, Inode directory) throws FsException {
        check(caller, directory, 3, "change directory");
    }

    /** In a sticky directory only the owner of the entry or of the directory (or root) may. */
    static void checkSticky(Caller caller, Inode directory, Inode entry) throws FsException {
        if ((directory.mode() & S_ISVTX) != 0 && !caller.isRoot()
                && caller.uid() != directory.uid() && caller.uid() != entry.uid()) {
            throw new FsException(FsError.EPERM, caller + " may not remove another user's "
                    + "entry from sticky directory " + directory.number());
        }
    }

    static void checkOwner(Caller caller, Inode inode, String what) throws FsException {
        if (!caller.isRoot() && caller.uid() != inode.uid()) {
            throw new FsException(FsError.EPERM, caller + " does not own inode "
                    + inode.number() + " and may not " + what);
        }
    }

    /** The mode chmod leaves: setgid is dropped for a non-root caller outside the group. */
    static int chmodMode(Caller caller, Inode inode, int mode) {
        int bits = mode & 07777;
        if (!caller.isRoot() && !inode.isDirectory() && !caller.inGroup(inode.gid())) {
            bits &= ~S_ISGID;
        }
        return (inode.mode() & Inode.S_IFMT) | bits;
    }

    /** Checks chown: root may do anything; an owner may only change the group to one of its. */
    static void checkChown(Caller caller, Inode inode, int uid, int gid) throws FsException {
        if (caller.isRoot()) {
            return;
        }
        boolean uidChange = uid != -1 && uid != inode.uid();
        boolean gidChange = gid != -1 && gid != inode.gid();
        if (uidChange || gidChange && (caller.uid() != inode.uid() || !caller.inGroup(gid))) {
            throw new FsException(FsError.EPERM, caller + " may not give inode "
                    + inode.number() + " to " + uid + ":" + gid);
        }
    }
}
