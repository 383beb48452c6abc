package org.cnt.fs.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.cnt.fs.CorruptFilesystemException;
import org.cnt.fs.DirEntry;

/**
 * A directory's entries: {@link DirectoryBlock}s mapped like a file's data (journaled, as all
 * metadata), found through the in-memory {@link DirectoryIndex}. Block 0 starts with "." and
 * "..". A readdir offset is {@code block * blockSize + offset in block + 1}: entries never move,
 * so an offset stays valid however the directory changes. The directory's lock guards it.
 */
final class Directory {
    private Directory() {
    }

    /** A directory's first block: "." naming itself and ".." naming its parent. */
    static byte[] emptyBlock(int blockSizeBytes, long self, long parent) {
        byte[] block = new byte[blockSizeBytes];
        DirectoryBlock.init(block);
        try {
            DirectoryBlock.insert(block, name("."), self, type(Inode.S_IFDIR));
            DirectoryBlock.insert(block, name(".."), parent, type(Inode.S_IFDIR));
        } catch (CorruptFilesystemException e) {
            throw new IllegalStateException("a fresh directory block is well-formed", e);
        }
        return block;
    }

    static byte[] name(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    /** The readdir type of a mode: the file type bits shifted down, as Linux's DT_* values. */
    static int type(int mode) {
        return (mode & Inode.S_IFMT) >>> 12;
    }

    /** Builds the index of a directory from its blocks. */
    static DirectoryIndex index(FsState state, Inode inode, ExtentTree tree) throws IOException {
        int size = state.blockSizeBytes();
        long blockCount = inode.sizeBytes() / size;
        if (inode.sizeBytes() % size != 0 || blockCount < 1 || blockCount > Integer.MAX_VALUE) {
            throw new CorruptFilesystemException("directory " + inode.number() + " has size "
                    + inode.sizeBytes() + ", not whole blocks");
        }
        List<byte[]> blocks = new ArrayList<>((int) blockCount);
        for (long b = 0; b < blockCount; b++) {
            blocks.add(read(state, inode.number(), tree, b));
        }
        return DirectoryIndex.build(blocks, inode.number());
    }

    private static byte[] read(FsState state, long directory, ExtentTree tree, long b)
            throws IOException {
        long physical = physical(directory, tree, b);
        byte[] block = new byte[state.blockSizeBytes()];
        state.readMeta(physical, block);
        return block;
    }

    private static long physical(long directory, ExtentTree tree, long b)
            throws CorruptFilesystemException {
        long physical = tree.lookup(b);
        if (physical == 0) {
            throw new CorruptFilesystemException("directory " + directory + " has a hole at "
                    + "block " + b);
        }
        return physical;
    }

    static DirectoryIndex.Slot lookup(Node directory, String name) {
        return directory.index.lookup(name(name));
    }

    /**
     * Adds an entry (the name must be absent), growing the directory by a block when no block
     * has room; returns the directory inode with its new size and map.
     */
    static Inode add(FsState state, Transaction transaction, Node directory, Inode inode,
                     String name, long target, int type) throws IOException {
        byte[] bytes = name(name);
        int needed = DirectoryBlock.recordBytes(bytes.length);
        int b = directory.index.blockWithRoom(needed);
        Inode result = inode;
        if (b < 0) {
            b = directory.index.blocks();
            Extent last = directory.tree.last();
            long goal = last != null ? last.physicalOf(last.logicalEnd() - 1) + 1 : 0;
            long block = transaction.allocate(goal, 1).start();
            directory.tree.map(b, block);
            byte[] image = transaction.fresh(block);
            DirectoryBlock.init(image);
            directory.index.grew(image);
            result = directory.tree.store(transaction, inode.withSize(
                    inode.sizeBytes() + state.blockSizeBytes()));
            // The cache counts a directory by its entries: recount it a block at a time.
            state.reweigh(directory, directory.weight() - DirectoryBlock.MAX_NAME_BYTES);
        }
        byte[] image = transaction.block(physical(inode.number(), directory.tree, b));
        int offset = DirectoryBlock.insert(image, bytes, target, type);
        if (offset < 0) {
            throw new IllegalStateException("directory " + inode.number() + "'s block " + b
                    + " had room for " + needed + " bytes but took none");
        }
        directory.index.added(bytes, new DirectoryIndex.Slot(b, offset, target, type), image);
        return result;
    }

    static void remove(Transaction transaction, Node directory, String name) throws IOException {
        byte[] bytes = name(name);
        DirectoryIndex.Slot slot = directory.index.lookup(bytes);
        if (slot == null) {
            throw new IllegalStateException("no entry '" + name + "' to remove");
        }
        byte[] image = transaction.block(physical(directory.number, directory.tree,
                slot.block()));
        DirectoryBlock.remove(image, slot.offset());
        directory.index.removed(bytes, image);
    }

    /** Points an existing entry to another inode. */
    static void retarget(Transaction transaction, Node directory, String name, long target,
                         int type) throws IOException {
        byte[] bytes = name(name);
        DirectoryIndex.Slot slot = directory.index.lookup(bytes);
        byte[] image = transaction.block(physical(directory.number, directory.tree,
                slot.block()));
        DirectoryBlock.retarget(image, slot.offset(), target, type);
        directory.index.added(bytes, new DirectoryIndex.Slot(slot.block(), slot.offset(),
                target, type), image);
    }

    /** Up to {@code max} entries after readdir offset {@code after}, in block order. */
    static List<DirEntry> list(FsState state, Node directory, long after, int max)
            throws IOException {
        int size = state.blockSizeBytes();
        List<DirEntry> entries = new ArrayList<>();
        long blocks = directory.index.blocks();
        for (long b = after <= 0 ? 0 : (after - 1) / size; b < blocks && entries.size() < max;
             b++) {
            long physical = physical(directory.number, directory.tree, b);
            byte[] block = new byte[size];
            state.readMeta(physical, block);
            for (DirectoryBlock.Entry entry : DirectoryBlock.entries(block, physical)) {
                long cookie = b * size + entry.offset() + 1;
                if (cookie > after && entries.size() < max) {
                    entries.add(new DirEntry(new String(entry.name(), StandardCharsets.UTF_8),
                            entry.inode(), entry.type(), cookie));
                }
            }
        }
        return entries;
    }

    /** Entries besides "." and "..". */
    static int childCount(Node directory) {
        return directory.index.size() - 2;
    }
}
