package org.cnt.fs.internal;

/**
 * What is kept in memory of a file in use: its block map and, for a directory, its hashed
 * index. The inode record itself is always read from the running transaction's images, so a
 * node can be dropped at any time and built again. Guarded by the inode's lock.
 */
final class Node {
    final long number;
    final ExtentTree tree;
    /** The directory's index; null for other files. */
    final DirectoryIndex index;

    Node(long number, ExtentTree tree, DirectoryIndex index) {
        this.number = number;
        this.tree = tree;
        this.index = index;
    }

    /** What the node costs in memory, in entries (for the cache's bound). */
    long weight() {
        return 1 + tree.extentCount() + (index != null ? index.size() : 0);
    }
}
