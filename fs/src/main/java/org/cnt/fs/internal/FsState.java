package org.cnt.fs.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cnt.fs.FsClock;
import org.cnt.fs.FsError;
import org.cnt.fs.FsException;

/**
 * What every operation of an open filesystem shares: the committer (metadata and allocation),
 * the inode locks, the clock, and a bounded cache of the files in use ({@link Node}s).
 */
final class FsState {
    final Committer committer;
    final Layout layout;
    final InodeLocks locks = new InodeLocks();
    final FsClock clock;
    final boolean readOnly;
    private final long cacheWeight;
    private final Object cacheLock = new Object();
    /** Nodes in access order; guarded by {@link #cacheLock}. */
    private final LinkedHashMap<Long, Node> nodes = new LinkedHashMap<>(256, 0.75f, true);
    private long weight;
    /**
     * Each directory's parent, as far as known (filled as directories are loaded or made): what
     * a rename's loop check walks without taking the locks of the directories above.
     */
    private final java.util.concurrent.ConcurrentHashMap<Long, Long> parents =
            new java.util.concurrent.ConcurrentHashMap<>();

    FsState(Committer committer, FsClock clock, boolean readOnly, long cacheWeight) {
        this.committer = committer;
        this.layout = committer.disk().layout();
        this.clock = clock;
        this.readOnly = readOnly;
        this.cacheWeight = cacheWeight;
    }

    int blockSizeBytes() {
        return layout.blockSizeBytes();
    }

    /** Inode {@code number} as the running transaction leaves it; ENOENT when it is free. */
    Inode inode(long number) throws IOException {
        if (number < 1 || number >= layout.inodeCount() || number == Disk.ORPHAN_INODE) {
            throw new FsException(FsError.ENOENT, "no inode " + number);
        }
        Inode inode = rawInode(number);
        if (inode == null) {
            throw new FsException(FsError.ENOENT, "inode " + number + " is not in use");
        }
        return inode;
    }

    /** Any inode, the orphan directory too; null when free. */
    Inode rawInode(long number) throws IOException {
        byte[] block = new byte[layout.blockSizeBytes()];
        committer.read(Disk.inodeBlock(layout, number), block);
        return Inode.readFrom(ByteBuffer.wrap(block).position(Disk.inodeOffset(layout, number)),
                number);
    }

    void readMeta(long block, byte[] into) throws IOException {
        committer.read(block, into);
    }

    /** The node of {@code inode}, from the cache or built; the caller holds the inode's lock. */
    Node node(Inode inode) throws IOException {
        synchronized (cacheLock) {
            Node cached = nodes.get(inode.number());
            if (cached != null) {
                return cached;
            }
        }
        ExtentTree tree = ExtentTree.load(inode, layout.blockSizeBytes(), layout.blockCount(),
                this::readMeta);
        DirectoryIndex index = inode.isDirectory() ? Directory.index(this, inode, tree) : null;
        Node node = new Node(inode.number(), tree, index);
        if (index != null) {
            DirectoryIndex.Slot parent = index.lookup(Directory.name(".."));
            if (parent == null) {
                throw new org.cnt.fs.CorruptFilesystemException("directory " + inode.number()
                        + " has no '..'");
            }
            parents.put(inode.number(), parent.inode());
        }
        synchronized (cacheLock) {
            Node raced = nodes.putIfAbsent(inode.number(), node);
            if (raced != null) {
                return raced;
            }
            weight += node.weight();
            evict();
        }
        return node;
    }

    /**
     * Drops the least recently used nodes past the bound. Safe at any time: a node is only a
     * copy of what the images say, and one in use stays valid for the thread holding it.
     */
    private void evict() {
        Iterator<Map.Entry<Long, Node>> oldest = nodes.entrySet().iterator();
        while (weight > cacheWeight && nodes.size() > 1 && oldest.hasNext()) {
            Node node = oldest.next().getValue();
            oldest.remove();
            weight -= node.weight();
        }
    }

    /** Forgets a node (its inode was freed, or its weight changed a lot). */
    void forget(long number) {
        synchronized (cacheLock) {
            Node node = nodes.remove(number);
            if (node != null) {
                weight -= node.weight();
            }
        }
    }

    /** Recounts a node's weight after it grew (a directory gaining entries). */
    void reweigh(Node node, long before) {
        synchronized (cacheLock) {
            if (nodes.get(node.number) == node) {
                weight += node.weight() - before;
                evict();
            }
        }
    }

    void parent(long directory, long parent) {
        parents.put(directory, parent);
    }

    void forgetParent(long directory) {
        parents.remove(directory);
    }

    /**
     * The parent of a directory: from memory, else read from its first block as the images hold
     * it (retried: a block another operation is changing may read torn for an instant).
     */
    long parentOf(long directory) throws IOException {
        Long known = parents.get(directory);
        if (known != null) {
            return known;
        }
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                Inode inode = rawInode(directory);
                ExtentTree tree = ExtentTree.load(inode, layout.blockSizeBytes(),
                        layout.blockCount(), this::readMeta);
                byte[] block = new byte[layout.blockSizeBytes()];
                readMeta(tree.lookup(0), block);
                for (DirectoryBlock.Entry entry : DirectoryBlock.entries(block, tree.lookup(0))) {
                    if (java.util.Arrays.equals(entry.name(), Directory.name(".."))) {
                        return entry.inode();
                    }
                }
                throw new org.cnt.fs.CorruptFilesystemException("directory " + directory
                        + " has no '..'");
            } catch (org.cnt.fs.CorruptFilesystemException | RuntimeException e) {
                last = e instanceof IOException io ? io : new IOException(e);
                Thread.onSpinWait();
            }
        }
        throw last;
    }

    void checkWritable() throws FsException {
        if (readOnly) {
            throw new FsException(FsError.EROFS, "the filesystem is mounted read-only");
        }
    }

    long now() {
        return clock.nowNs();
    }
}
