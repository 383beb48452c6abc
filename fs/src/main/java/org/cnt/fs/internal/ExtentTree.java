package org.cnt.fs.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cnt.fs.CorruptFilesystemException;

/**
 * A file's block map as stored: up to {@link Inode#INLINE_EXTENTS} extents in the inode itself,
 * more in a tree of {@link ExtentBlock}s whose root (up to as many children) is in the inode.
 * The whole map lives in memory while the file is in use; {@link #store} writes back only the
 * leaves whose extents changed, and the index nodes only when the set of leaves did. A leaf
 * covers the file blocks from its key to the next leaf's key (the first from 0); one that grows
 * past a node's capacity splits, one that empties goes. Not thread-safe: the file's lock.
 */
final class ExtentTree {
    /** Reads metadata blocks as the running transaction leaves them. */
    interface Reader {
        void read(long block, byte[] into) throws IOException;
    }

    private final long inode;
    private final int blockSizeBytes;
    private final int capacity;
    private final ExtentMap map;
    /** Leaf blocks by the first file block each covers; empty while the map is inline. */
    private final TreeMap<Long, Long> leaves = new TreeMap<>();
    /** The index nodes, a list per level up from the leaves. */
    private final List<List<Long>> index = new ArrayList<>();
    private int depth;
    /** The children the inode holds when {@link #depth} > 0. */
    private List<ExtentBlock.Child> root = List.of();
    private long dirtyFrom = Long.MAX_VALUE;
    private long dirtyTo = -1;
    private boolean leavesChanged;

    private ExtentTree(long inode, int blockSizeBytes, ExtentMap map) {
        this.inode = inode;
        this.blockSizeBytes = blockSizeBytes;
        this.capacity = ExtentBlock.capacity(blockSizeBytes);
        this.map = map;
    }

    /** The map of {@code inode}, reading its tree nodes through {@code reader}. */
    static ExtentTree load(Inode inode, int blockSizeBytes, long blockCount, Reader reader)
            throws IOException {
        if (inode.treeDepth() == 0) {
            return new ExtentTree(inode.number(), blockSizeBytes, new ExtentMap(inode.extents()));
        }
        List<Extent> extents = new ArrayList<>();
        int depth = inode.treeDepth();
        TreeMap<Long, Long> leaves = new TreeMap<>();
        List<List<Long>> index = new ArrayList<>();
        for (int level = 1; level < depth; level++) {
            index.add(new ArrayList<>());
        }
        byte[] block = new byte[blockSizeBytes];
        List<ExtentBlock.Child> root = new ArrayList<>();
        for (Extent child : inode.extents()) {
            root.add(new ExtentBlock.Child(child.logical(), child.physical()));
        }
        List<ExtentBlock.Child> children = root;
        for (int level = depth - 1; level >= 0; level--) {
            List<ExtentBlock.Child> below = new ArrayList<>();
            for (int i = 0; i < children.size(); i++) {
                ExtentBlock.Child child = children.get(i);
                long end = i + 1 < children.size() ? children.get(i + 1).logical()
                        : Extent.MAX_LOGICAL + 1;
                if (child.child() >= blockCount) {
                    throw new CorruptFilesystemException("inode " + inode.number()
                            + "'s extent tree points past the device, to block " + child.child());
                }
                reader.read(child.child(), block);
                ExtentBlock.Node node = ExtentBlock.read(block, child.child(), inode.number());
                if (node.depth() != level) {
                    throw new CorruptFilesystemException("extent block " + child.child()
                            + " of inode " + inode.number() + " has depth " + node.depth()
                            + " where " + level + " belongs");
                }
                if (level == 0) {
                    for (Extent extent : node.extents()) {
                        if (extent.logical() < child.logical() || extent.logical() >= end) {
                            throw new CorruptFilesystemException("extent " + extent + " of inode "
                                    + inode.number() + " lies outside its leaf's range");
                        }
                        extents.add(extent);
                    }
                    leaves.put(child.logical(), child.child());
                } else {
                    index.get(level - 1).add(child.child());
                    for (ExtentBlock.Child grandchild : node.children()) {
                        if (grandchild.logical() < child.logical() || grandchild.logical() >= end) {
                            throw new CorruptFilesystemException("index entry " + grandchild
                                    + " of inode " + inode.number() + " outside its range");
                        }
                    }
                    below.addAll(node.children());
                }
            }
            children = below;
        }
        ExtentTree loaded = new ExtentTree(inode.number(), blockSizeBytes,
                newMap(inode.number(), extents));
        loaded.depth = depth;
        loaded.leaves.putAll(leaves);
        loaded.index.addAll(index);
        loaded.root = root;
        return loaded;
    }

    private static ExtentMap newMap(long inode, List<Extent> extents)
            throws CorruptFilesystemException {
        try {
            return new ExtentMap(extents);
        } catch (IllegalArgumentException e) {
            throw new CorruptFilesystemException("inode " + inode + ": " + e.getMessage());
        }
    }

    long lookup(long fileBlock) {
        return map.lookup(fileBlock);
    }

    /** The extent holding {@code fileBlock}, else the next one, else null. */
    Extent at(long fileBlock) {
        return map.at(fileBlock);
    }

    Extent last() {
        return map.last();
    }

    List<Extent> extents() {
        return map.extents();
    }

    int extentCount() {
        return map.size();
    }

    long mappedBlocks() {
        return map.mappedBlocks();
    }

    Extent lastStartingBefore(long fileBlock) {
        return map.lastStartingBefore(fileBlock);
    }

    int treeBlockCount() {
        int count = leaves.size();
        for (List<Long> level : index) {
            count += level.size();
        }
        return count;
    }

    void map(long fileBlock, long physical) {
        touched(map.startNear(Math.max(0, fileBlock - 1)), fileBlock + 1);
        map.map(fileBlock, physical);
    }

    /** Unmaps {@code [from, from + count)}; returns the device runs to free. */
    List<Extent> unmap(long from, long count) {
        touched(map.startNear(from), from + count);
        return map.unmap(from, count);
    }

    private void touched(long from, long to) {
        dirtyFrom = Math.min(dirtyFrom, from);
        dirtyTo = Math.max(dirtyTo, to);
    }

    boolean isDirty() {
        return dirtyTo >= 0;
    }

    /** Every block of the tree itself (index nodes and leaves), for freeing and for fsck. */
    List<Long> treeBlocks() {
        List<Long> blocks = new ArrayList<>(leaves.values());
        index.forEach(blocks::addAll);
        return blocks;
    }

    /**
     * Writes the changed nodes in {@code transaction} and returns {@code inode} with the new
     * inline part (extents, or the root's children and the depth).
     */
    Inode store(Transaction transaction, Inode inode) throws IOException {
        if (!isDirty() && !leavesChanged) {
            return inode;
        }
        if (map.size() <= Inode.INLINE_EXTENTS) {
            for (long block : treeBlocks()) {
                transaction.freeBlocks(block, 1, true);
            }
            leaves.clear();
            index.clear();
            root = List.of();
            depth = 0;
            clean();
            return withRoot(inode, 0, map.extents());
        }
        if (leaves.isEmpty()) {
            leaves.put(0L, allocateNode(transaction));
            dirtyFrom = 0;
            dirtyTo = Long.MAX_VALUE;
            leavesChanged = true;
        }
        rewriteLeaves(transaction);
        if (leavesChanged) {
            rebuildIndex(transaction);
        }
        clean();
        List<Extent> inline = new ArrayList<>();
        for (ExtentBlock.Child child : root) {
            inline.add(new Extent(child.logical(), 1, child.child()));
        }
        return withRoot(inode, depth, inline);
    }

    private void clean() {
        dirtyFrom = Long.MAX_VALUE;
        dirtyTo = -1;
        leavesChanged = false;
    }

    private static Inode withRoot(Inode inode, int depth, List<Extent> root) {
        return inode.withData(depth, root, root.isEmpty() ? inode.inlineData() : new byte[0]);
    }

    /** Rewrites the leaves covering the changed range, splitting full ones, dropping empty ones. */
    private void rewriteLeaves(Transaction transaction) throws IOException {
        long firstKey = leaves.floorKey(Math.max(0, dirtyFrom));
        long lastKey = leaves.floorKey(Math.min(dirtyTo, Extent.MAX_LOGICAL));
        // Last first: a split adds keys above the current one, and dropping the first leaf
        // moves the key of the next one (already done) to 0.
        List<Long> keys = new ArrayList<>(leaves.subMap(firstKey, true, lastKey, true)
                .descendingKeySet());
        for (long key : keys) {
            Long nextKey = leaves.higherKey(key);
            long end = nextKey != null ? nextKey : Extent.MAX_LOGICAL + 1;
            List<Extent> content = map.startingIn(key, end);
            long block = leaves.get(key);
            if (content.isEmpty() && leaves.size() > 1) {
                leaves.remove(key);
                transaction.freeBlocks(block, 1, true);
                if (key == 0) {
                    long following = leaves.firstKey();
                    leaves.put(0L, leaves.remove(following));
                }
                leavesChanged = true;
                continue;
            }
            int perLeaf = Math.max(1, capacity * 3 / 4);
            List<Extent> head = content.size() <= capacity ? content : content.subList(0, perLeaf);
            ExtentBlock.writeLeaf(transaction.block(block), inode, head);
            for (int from = head.size(); from < content.size(); from += perLeaf) {
                List<Extent> part = content.subList(from, Math.min(content.size(),
                        from + perLeaf));
                long split = allocateNode(transaction);
                leaves.put(part.getFirst().logical(), split);
                ExtentBlock.writeLeaf(transaction.fresh(split), inode, part);
                leavesChanged = true;
            }
        }
    }

    /** Builds the index levels over the leaves, reusing the blocks of the old ones. */
    private void rebuildIndex(Transaction transaction) throws IOException {
        List<ExtentBlock.Child> children = new ArrayList<>();
        for (Map.Entry<Long, Long> leaf : leaves.entrySet()) {
            children.add(new ExtentBlock.Child(leaf.getKey(), leaf.getValue()));
        }
        List<List<Long>> old = new ArrayList<>(index);
        index.clear();
        int level = 1;
        while (children.size() > Inode.INLINE_EXTENTS) {
            List<Long> reuse = level - 1 < old.size() ? new ArrayList<>(old.get(level - 1))
                    : new ArrayList<>();
            List<Long> nodes = new ArrayList<>();
            List<ExtentBlock.Child> above = new ArrayList<>();
            for (int from = 0; from < children.size(); from += capacity) {
                List<ExtentBlock.Child> part = children.subList(from, Math.min(children.size(),
                        from + capacity));
                long block = reuse.isEmpty() ? allocateNode(transaction) : reuse.removeFirst();
                ExtentBlock.writeIndex(transaction.fresh(block), level, inode, part);
                nodes.add(block);
                above.add(new ExtentBlock.Child(part.getFirst().logical(), block));
            }
            for (long unused : reuse) {
                transaction.freeBlocks(unused, 1, true);
            }
            index.add(nodes);
            children = above;
            level++;
        }
        for (int unusedLevel = level - 1; unusedLevel < old.size(); unusedLevel++) {
            for (long unused : old.get(unusedLevel)) {
                transaction.freeBlocks(unused, 1, true);
            }
        }
        depth = level;
        root = children;
    }

    private long allocateNode(Transaction transaction) throws IOException {
        Extent last = map.last();
        long goal = last != null ? last.physicalOf(last.logicalEnd() - 1) + 1 : 0;
        long block = transaction.allocate(goal, 1).start();
        transaction.fresh(block);
        return block;
    }
}
