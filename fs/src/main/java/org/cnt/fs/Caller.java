package org.cnt.fs;

import java.util.Arrays;

/**
 * Who asks for an operation: the user and groups the permission rules are checked against (from
 * the FUSE request), and the owner a new file gets.
 */
public record Caller(int uid, int gid, int[] groups) {
    /** The superuser: passes every permission check that root passes on Linux. */
    public static final Caller ROOT = new Caller(0, 0, new int[0]);

    public Caller {
        groups = groups.clone();
    }

    public static Caller of(int uid, int gid) {
        return new Caller(uid, gid, new int[0]);
    }

    public boolean isRoot() {
        return uid == 0;
    }

    /** Whether {@code group} is the caller's primary or one of its supplementary groups. */
    public boolean inGroup(int group) {
        return gid == group || Arrays.stream(groups).anyMatch(g -> g == group);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Caller c && uid == c.uid && gid == c.gid
                && Arrays.equals(groups, c.groups);
    }

    @Override
    public int hashCode() {
        return uid * 31 + gid;
    }

    @Override
    public String toString() {
        return "uid " + uid + " gid " + gid;
    }
}
