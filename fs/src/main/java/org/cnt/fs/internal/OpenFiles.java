package org.cnt.fs.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * How many times each file is open, so that a file unlinked while open keeps its blocks until
 * the last close (POSIX), listed as an orphan meanwhile: a crash before that close frees it on
 * the next open of the file system.
 */
final class OpenFiles {
    private final Map<Long, Integer> counts = new HashMap<>();
    /** Unlinked while open: freed at the last release. */
    private final Set<Long> unlinked = new HashSet<>();

    synchronized void opened(long inode) {
        counts.merge(inode, 1, Integer::sum);
    }

    /** A release; true when it was the last of a file whose last link went meanwhile. */
    synchronized boolean released(long inode) {
        Integer count = counts.get(inode);
        if (count == null) {
            return false;
        }
        if (count > 1) {
            counts.put(inode, count - 1);
            return false;
        }
        counts.remove(inode);
        return unlinked.remove(inode);
    }

    /** The last link of {@code inode} went: true when it is open (freed at the last release). */
    synchronized boolean deferFree(long inode) {
        if (counts.containsKey(inode)) {
            unlinked.add(inode);
            return true;
        }
        return false;
    }

    synchronized boolean isOpen(long inode) {
        return counts.containsKey(inode);
    }
}
