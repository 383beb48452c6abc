package org.cnt.fs.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.cnt.fs.CorruptFilesystemException;
import org.cnt.fs.FsError;
import org.cnt.fs.FsException;

/**
 * An open filesystem's storage: its superblock and layout, the journal (replayed on open), the
 * block and inode bitmaps in memory, and the latest image of every metadata block a committed
 * transaction changed but no checkpoint has written home yet. Metadata changes go through
 * {@link #commit}: the images of the changed blocks, journaled as one transaction.
 */
final class Disk {
    static final long ROOT_INODE = 1;

    private final Blocks blocks;
    private final Superblock superblock;
    private final Journal journal;
    private final Bitmap blockBitmap;
    private final Bitmap inodeBitmap;

    private Disk(Blocks blocks, Superblock superblock, Journal journal, Bitmap blockBitmap,
                 Bitmap inodeBitmap) {
        this.blocks = blocks;
        this.superblock = superblock;
        this.journal = journal;
        this.blockBitmap = blockBitmap;
        this.inodeBitmap = inodeBitmap;
    }

    /**
     * Makes a new, empty filesystem on {@code blocks}: superblock and its copy, an empty journal,
     * bitmaps with the metadata blocks and inodes 0 (never used) and 1 (the root) taken, and the
     * root directory. The inode table is zeroed, so no old inode survives.
     */
    static void format(Blocks blocks, Layout layout, UUID id, long nowNs, int rootUid,
                       int rootGid) throws IOException {
        int size = layout.blockSizeBytes();
        byte[] zero = new byte[size];
        for (long block = layout.inodeTableStart(); block < layout.dataStart(); block++) {
            blocks.write(block, zero);
        }
        Journal.format(blocks, layout);
        Bitmap used = Bitmap.empty(layout.blockCount(), size);
        for (long block = 0; block < layout.dataStart(); block++) {
            used.set(block);
        }
        used.set(layout.backupSuperblock());
        writeBitmap(blocks, used, layout.blockBitmapStart());
        Bitmap inodes = Bitmap.empty(layout.inodeCount(), size);
        inodes.set(0);
        inodes.set(ROOT_INODE);
        writeBitmap(blocks, inodes, layout.inodeBitmapStart());
        Inode root = new Inode(ROOT_INODE, Inode.S_IFDIR | 0755, rootUid, rootGid, 2, 0, nowNs,
                nowNs, nowNs, nowNs, 1, 0, 0, 0, java.util.List.of(), new byte[0]);
        byte[] table = new byte[size];
        root.writeTo(ByteBuffer.wrap(table).position(inodeOffset(layout, ROOT_INODE)));
        blocks.write(inodeBlock(layout, ROOT_INODE), table);
        // The superblocks last: until they are written, nothing here is a filesystem.
        blocks.flush();
        byte[] block = new byte[size];
        new Superblock(layout, id, nowNs / 1_000_000_000L, true).writeTo(block);
        blocks.write(layout.backupSuperblock(), block);
        blocks.write(0, block);
        blocks.flush();
    }

    private static void writeBitmap(Blocks blocks, Bitmap bitmap, long start)
            throws IOException {
        byte[] block = new byte[blocks.blockSizeBytes()];
        for (int i = 0; i < bitmap.blockCount(); i++) {
            bitmap.writeBlock(i, block);
            blocks.write(start + i, block);
        }
    }

    /** Opens the filesystem on {@code blocks}: its superblock (or the copy), then the journal. */
    static Disk open(Blocks blocks) throws IOException {
        Superblock superblock = readSuperblock(blocks);
        Layout layout = superblock.layout();
        Journal journal = Journal.open(blocks, layout);
        Bitmap blockBitmap = readBitmap(blocks, layout.blockCount(), layout.blockBitmapStart(),
                layout.blockBitmapBlocks(), layout.blockSizeBytes());
        Bitmap inodeBitmap = readBitmap(blocks, layout.inodeCount(), layout.inodeBitmapStart(),
                layout.inodeBitmapBlocks(), layout.blockSizeBytes());
        return new Disk(blocks, superblock, journal, blockBitmap, inodeBitmap);
    }

    private static Superblock readSuperblock(Blocks blocks) throws IOException {
        byte[] block = new byte[blocks.blockSizeBytes()];
        blocks.read(0, block);
        try {
            return Superblock.readFrom(block);
        } catch (CorruptFilesystemException primary) {
            blocks.read(blocks.blockCount() - 1, block);
            try {
                return Superblock.readFrom(block);
            } catch (CorruptFilesystemException backup) {
                throw primary;
            }
        }
    }

    private static Bitmap readBitmap(Blocks blocks, long bits, long start, long count,
                                     int blockSize) throws IOException {
        byte[][] stored = new byte[(int) count][blockSize];
        for (int i = 0; i < count; i++) {
            blocks.read(start + i, stored[i]);
        }
        return Bitmap.read(bits, blockSize, stored);
    }

    Layout layout() {
        return superblock.layout();
    }

    Superblock superblock() {
        return superblock;
    }

    /** Reads a metadata block as the latest committed transaction left it. */
    void readMeta(long block, byte[] into) throws IOException {
        byte[] unwritten = journal.unwrittenImage(block);
        if (unwritten != null) {
            System.arraycopy(unwritten, 0, into, 0, unwritten.length);
        } else {
            blocks.read(block, into);
        }
    }

    /** The inode {@code number}, or null when it is free. */
    Inode inode(long number) throws IOException {
        Layout layout = layout();
        if (number < 1 || number >= layout.inodeCount()) {
            throw new FsException(FsError.EINVAL, "no inode " + number + " in a filesystem of "
                    + layout.inodeCount());
        }
        byte[] block = new byte[layout.blockSizeBytes()];
        readMeta(inodeBlock(layout, number), block);
        return Inode.readFrom(ByteBuffer.wrap(block).position(inodeOffset(layout, number)),
                number);
    }

    /** Starts a transaction: the metadata blocks of one operation, committed together. */
    Transaction begin() {
        return new Transaction(this);
    }

    /**
     * Commits the transaction with the bitmap blocks that changed since the last commit (the
     * allocations and frees it made): durable when this returns.
     */
    void commit(Transaction transaction) throws IOException {
        Layout layout = layout();
        Map<Long, byte[]> images = new LinkedHashMap<>(transaction.images());
        addBitmap(images, blockBitmap, layout.blockBitmapStart());
        addBitmap(images, inodeBitmap, layout.inodeBitmapStart());
        journal.commit(images);
    }

    private void addBitmap(Map<Long, byte[]> images, Bitmap bitmap, long start) {
        java.util.BitSet dirty = bitmap.takeDirtyBlocks();
        for (int i = dirty.nextSetBit(0); i >= 0; i = dirty.nextSetBit(i + 1)) {
            byte[] image = new byte[layout().blockSizeBytes()];
            bitmap.writeBlock(i, image);
            images.put(start + i, image);
        }
    }

    Bitmap blockBitmap() {
        return blockBitmap;
    }

    Bitmap inodeBitmap() {
        return inodeBitmap;
    }

    /** Writes every committed change home and empties the journal (close, or a full journal). */
    void checkpoint() throws IOException {
        journal.checkpoint();
    }

    static long inodeBlock(Layout layout, long number) {
        return layout.inodeTableStart() + number * Layout.INODE_BYTES / layout.blockSizeBytes();
    }

    static int inodeOffset(Layout layout, long number) {
        return (int) (number * Layout.INODE_BYTES % layout.blockSizeBytes());
    }
}
