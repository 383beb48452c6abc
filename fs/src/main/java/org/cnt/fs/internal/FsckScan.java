package org.cnt.fs.internal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cnt.fs.CorruptFilesystemException;
import org.cnt.fs.DirEntry;

/**
 * One read-only pass over every structure of an open filesystem: each inode record and its block
 * map (extents in the data region, no block claimed twice), every directory reachable from the
 * root (entries naming inodes in use, of the right type, "." and ".." right, no directory in two
 * places), link counts, and both bitmaps against what the structures claim. Files listed as
 * orphans (a free the last session did not finish) are neither lost nor miscounted.
 */
final class FsckScan {
    /** An entry that must go: it names an inode not in use, or a damaged one. */
    record BadEntry(long directory, String name, long inode, String why) {
    }

    final List<String> problems = new ArrayList<>();
    final Set<Long> damaged = new HashSet<>();
    final List<BadEntry> badEntries = new ArrayList<>();
    /** Inode -> the link count the directories imply, where the inode says otherwise. */
    final Map<Long, Integer> wrongLinks = new HashMap<>();
    final List<Long> unreachable = new ArrayList<>();
    final List<Long> blocksMarkedButUnused = new ArrayList<>();
    final List<Long> blocksUsedButFree = new ArrayList<>();
    final Map<Long, Boolean> inodeBitsWrong = new HashMap<>();
    final Set<Long> sharedBlocks = new HashSet<>();
    long files;
    long directories;
    long usedBlocks;

    private final FsState state;
    private final Layout layout;
    private final Map<Long, Inode> inodes = new HashMap<>();
    private final Map<Long, Node> nodes = new HashMap<>();
    private final Map<Long, Long> owner = new HashMap<>();
    private final Bitmap claimed;
    private final Map<Long, Integer> links = new HashMap<>();
    private final Map<Long, Integer> subdirectories = new HashMap<>();

    FsckScan(FsState state) {
        this.state = state;
        this.layout = state.layout;
        this.claimed = Bitmap.empty(layout.blockCount(), layout.blockSizeBytes());
    }

    FsckScan run() throws IOException {
        readInodes();
        walkDirectories();
        checkLinks();
        checkBitmaps();
        return this;
    }

    private void readInodes() throws IOException {
        Bitmap inodeBitmap = state.committer.disk().inodeBitmap();
        int perBlock = layout.blockSizeBytes() / Layout.INODE_BYTES;
        byte[] table = new byte[layout.blockSizeBytes()];
        for (long n = 1; n < layout.inodeCount(); n++) {
            if (n == 1 || n % perBlock == 0) {
                state.readMeta(Disk.inodeBlock(layout, n), table);
            }
            Inode inode;
            try {
                inode = Inode.readFrom(java.nio.ByteBuffer.wrap(table)
                        .position(Disk.inodeOffset(layout, n)), n);
            } catch (CorruptFilesystemException e) {
                damaged.add(n);
                problems.add("inode " + n + " is damaged (" + e.getMessage() + ")");
                continue;
            }
            if (inode == null) {
                if (inodeBitmap.get(n)) {
                    inodeBitsWrong.put(n, false);
                    problems.add("inode " + n + " is free but marked in use");
                }
                continue;
            }
            if (!inodeBitmap.get(n)) {
                inodeBitsWrong.put(n, true);
                problems.add("inode " + n + " is in use but marked free");
            }
            try {
                Node node = state.node(inode);
                claim(n, inode, node);
                inodes.put(n, inode);
                nodes.put(n, node);
            } catch (CorruptFilesystemException e) {
                damaged.add(n);
                problems.add("inode " + n + "'s block map or directory is damaged ("
                        + e.getMessage() + ")");
            }
        }
    }

    private void claim(long n, Inode inode, Node node) throws IOException {
        for (Extent extent : node.tree.extents()) {
            if (extent.physical() < layout.dataStart()
                    || extent.physical() + extent.length() > layout.backupSuperblock()) {
                throw new CorruptFilesystemException("extent " + extent
                        + " lies outside the data blocks");
            }
            for (long b = extent.physical(); b < extent.physical() + extent.length(); b++) {
                claimBlock(n, b);
            }
        }
        for (long b : node.tree.treeBlocks()) {
            claimBlock(n, b);
        }
        if (inode.xattrBlock() != 0) {
            claimBlock(n, inode.xattrBlock());
            byte[] block = new byte[layout.blockSizeBytes()];
            state.readMeta(inode.xattrBlock(), block);
            XattrBlock.read(block, inode.xattrBlock(), n);
        }
        if (inode.isDirectory() || inode.isSymlink() && inode.inlineData().length == 0) {
            long needed = (inode.sizeBytes() + layout.blockSizeBytes() - 1)
                    / layout.blockSizeBytes();
            if (node.tree.mappedBlocks() != needed) {
                throw new CorruptFilesystemException(needed + " blocks hold its "
                        + inode.sizeBytes() + " bytes, but " + node.tree.mappedBlocks()
                        + " are mapped");
            }
        }
    }

    private void claimBlock(long n, long block) {
        if (block < layout.dataStart() || block >= layout.backupSuperblock()) {
            problems.add("inode " + n + " claims metadata block " + block);
            return;
        }
        if (claimed.get(block)) {
            sharedBlocks.add(block);
            problems.add("block " + block + " is claimed by inode " + owner.get(block)
                    + " and by inode " + n);
            return;
        }
        claimed.set(block);
        owner.put(block, n);
    }

    private void walkDirectories() throws IOException {
        Set<Long> reached = new HashSet<>();
        Deque<long[]> queue = new ArrayDeque<>();
        queue.add(new long[] {Disk.ROOT_INODE, Disk.ROOT_INODE});
        queue.add(new long[] {Disk.ORPHAN_INODE, Disk.ORPHAN_INODE});
        reached.add(Disk.ROOT_INODE);
        reached.add(Disk.ORPHAN_INODE);
        while (!queue.isEmpty()) {
            long[] next = queue.poll();
            long dir = next[0];
            Node node = nodes.get(dir);
            if (node == null || node.index == null) {
                if (!damaged.contains(dir)) {
                    problems.add((dir == Disk.ROOT_INODE ? "the root" : "directory " + dir)
                            + " is missing or not a directory");
                }
                continue;
            }
            if (dir != Disk.ORPHAN_INODE) {
                directories++;
            }
            for (DirEntry entry : Directory.list(state, node, 0, Integer.MAX_VALUE)) {
                String name = entry.name();
                if (name.equals(".") || name.equals("..")) {
                    long expected = name.equals(".") ? dir : next[1];
                    if (entry.inode() != expected) {
                        problems.add("'" + name + "' of directory " + dir + " names inode "
                                + entry.inode() + ", not " + expected);
                    }
                    continue;
                }
                Inode target = inodes.get(entry.inode());
                if (target == null) {
                    String why = damaged.contains(entry.inode()) ? "a damaged inode"
                            : "an inode not in use";
                    badEntries.add(new BadEntry(dir, name, entry.inode(), why));
                    problems.add("entry '" + name + "' in directory " + dir + " names " + why
                            + " (" + entry.inode() + ")");
                    continue;
                }
                if (dir == Disk.ORPHAN_INODE) {
                    continue;
                }
                if (Directory.type(target.mode()) != entry.type()) {
                    problems.add("entry '" + name + "' in directory " + dir + " has the type of "
                            + "another kind of file than inode " + entry.inode());
                }
                links.merge(entry.inode(), 1, Integer::sum);
                if (target.isDirectory()) {
                    subdirectories.merge(dir, 1, Integer::sum);
                    if (!reached.add(entry.inode())) {
                        problems.add("directory " + entry.inode() + " is in two places (again as '"
                                + name + "' in " + dir + ")");
                    } else {
                        queue.add(new long[] {entry.inode(), dir});
                    }
                } else {
                    files++;
                }
            }
        }
    }

    private void checkLinks() throws IOException {
        Set<Long> orphans = new HashSet<>(new Orphans(state).list());
        for (Map.Entry<Long, Inode> entry : inodes.entrySet()) {
            long n = entry.getKey();
            Inode inode = entry.getValue();
            if (n == Disk.ORPHAN_INODE) {
                continue;
            }
            int found = links.getOrDefault(n, 0);
            if (n != Disk.ROOT_INODE && found == 0) {
                if (!orphans.contains(n)) {
                    unreachable.add(n);
                    problems.add("inode " + n + " (" + kind(inode) + ", " + inode.sizeBytes()
                            + " bytes) is in no directory");
                }
                continue;
            }
            int expected = inode.isDirectory() ? 2 + subdirectories.getOrDefault(n, 0) : found;
            if (inode.nlink() != expected) {
                wrongLinks.put(n, expected);
                problems.add("inode " + n + " has link count " + inode.nlink() + " but "
                        + expected + " links");
            }
        }
    }

    private static String kind(Inode inode) {
        return inode.isDirectory() ? "a directory" : inode.isSymlink() ? "a symlink"
                : inode.isRegular() ? "a file" : "a special file";
    }

    private void checkBitmaps() {
        Bitmap bitmap = state.committer.disk().blockBitmap();
        for (long b = layout.dataStart(); b < layout.backupSuperblock(); b++) {
            boolean marked = bitmap.get(b);
            boolean used = claimed.get(b);
            if (used) {
                usedBlocks++;
            }
            if (marked && !used) {
                blocksMarkedButUnused.add(b);
            } else if (used && !marked) {
                blocksUsedButFree.add(b);
            }
        }
        if (!blocksMarkedButUnused.isEmpty()) {
            problems.add(blocksMarkedButUnused.size() + " block(s) are marked in use but no "
                    + "file has them (first: " + blocksMarkedButUnused.getFirst() + ")");
        }
        if (!blocksUsedButFree.isEmpty()) {
            problems.add(blocksUsedButFree.size() + " block(s) in use are marked free (first: "
                    + blocksUsedButFree.getFirst() + ", of inode "
                    + owner.get(blocksUsedButFree.getFirst()) + ")");
        }
    }
}
