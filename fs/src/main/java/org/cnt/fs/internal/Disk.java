package org.cnt.fs.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.cnt.fs.CorruptFilesystemException;
import org.cnt.fs.FsError;
import org.cnt.fs.FsException;

/**
 * An open filesystem's storage: its superblock and layout, the journal (replayed on open), the
 * block and inode bitmaps in memory, and the latest image of every metadata block a committed
 * transaction changed but no checkpoint has written home yet. Metadata changes go through
 * {@link Committer}: the images of the changed blocks, journaled as transactions.
 */
final class Disk {
    static final long ROOT_INODE = 1;
    /**
     * A hidden directory of files whose blocks are being freed over several transactions (a
     * large file unlinked or truncated): opening the filesystem finishes the job.
     */
    static final long ORPHAN_INODE = 2;

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
     * bitmaps with the metadata blocks and inodes 0 (never used), 1 (the root) and 2 (the orphan
     * directory) taken, and the two directories, each one block holding "." and "..". The inode
     * table is zeroed, so no old inode survives.
     */
    static void format(Blocks blocks, Layout layout, UUID id, long nowNs, int rootUid,
                       int rootGid) throws IOException {
        int size = layout.blockSizeBytes();
        byte[] zero = new byte[size];
        for (long block = layout.inodeTableStart(); block < layout.dataStart(); block++) {
            blocks.write(block, zero);
        }
        Journal.format(blocks, layout);
        long rootBlock = layout.dataStart();
        long orphanBlock = rootBlock + 1;
        Bitmap used = Bitmap.empty(layout.blockCount(), size);
        for (long block = 0; block <= orphanBlock; block++) {
            used.set(block);
        }
        used.set(layout.backupSuperblock());
        writeBitmap(blocks, used, layout.blockBitmapStart());
        Bitmap inodes = Bitmap.empty(layout.inodeCount(), size);
        inodes.set(0);
        inodes.set(ROOT_INODE);
        inodes.set(ORPHAN_INODE);
        writeBitmap(blocks, inodes, layout.inodeBitmapStart());
        Inode root = new Inode(ROOT_INODE, Inode.S_IFDIR | 0755, rootUid, rootGid, 2, size, nowNs,
                nowNs, nowNs, nowNs, 1, 0, 0, 0, List.of(new Extent(0, 1, rootBlock)),
                new byte[0]);
        Inode orphans = new Inode(ORPHAN_INODE, Inode.S_IFDIR | 0700, 0, 0, 2, size, nowNs,
                nowNs, nowNs, nowNs, 1, 0, 0, 0, List.of(new Extent(0, 1, orphanBlock)),
                new byte[0]);
        blocks.write(rootBlock, Directory.emptyBlock(size, ROOT_INODE, ROOT_INODE));
        blocks.write(orphanBlock, Directory.emptyBlock(size, ORPHAN_INODE, ORPHAN_INODE));
        Map<Long, byte[]> table = new java.util.TreeMap<>();
        for (Inode inode : List.of(root, orphans)) {
            byte[] image = table.computeIfAbsent(inodeBlock(layout, inode.number()),
                    b -> new byte[size]);
            inode.writeTo(ByteBuffer.wrap(image).position(inodeOffset(layout, inode.number())));
        }
        for (Map.Entry<Long, byte[]> image : table.entrySet()) {
            blocks.write(image.getKey(), image.getValue());
        }
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

    /** The layout the superblock (or its copy) names, without opening anything else. */
    static Layout layoutOf(Blocks blocks) throws IOException {
        return readSuperblock(blocks).layout();
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

    /**
     * The block size of the filesystem on {@code device}, from its superblock or, when that is
     * damaged, from the copy in the last block of whichever block size names a sound one.
     */
    static int blockSizeOf(org.cnt.blockdev.BlockDevice device) throws IOException {
        byte[] head = new byte[Layout.MIN_BLOCK_BYTES];
        if (device.sizeBytes() < head.length) {
            throw new CorruptFilesystemException("a device of " + device.sizeBytes()
                    + " bytes holds no filesystem");
        }
        device.read(0, ByteBuffer.wrap(head));
        try {
            return Superblock.readFrom(head).layout().blockSizeBytes();
        } catch (CorruptFilesystemException primary) {
            for (int size = Layout.MIN_BLOCK_BYTES; size <= Layout.MAX_BLOCK_BYTES; size *= 2) {
                long last = device.sizeBytes() / size - 1;
                if (last <= 0) {
                    break;
                }
                device.read(last * size, ByteBuffer.wrap(head));
                try {
                    Superblock copy = Superblock.readFrom(head);
                    if (copy.layout().blockSizeBytes() == size) {
                        return size;
                    }
                } catch (CorruptFilesystemException notHere) {
                    // try the next block size
                }
            }
            throw primary;
        }
    }

    /** Writes the superblock and its copy with the clean flag, durably. */
    void markClean(boolean clean) throws IOException {
        byte[] block = new byte[layout().blockSizeBytes()];
        superblock.withClean(clean).writeTo(block);
        blocks.write(0, block);
        blocks.write(layout().backupSuperblock(), block);
        blocks.flush();
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

    /** Adds the images of the bitmap blocks changed since the last call (a commit's). */
    void addDirtyBitmaps(Map<Long, byte[]> images) {
        Layout layout = layout();
        addBitmap(images, blockBitmap, layout.blockBitmapStart());
        addBitmap(images, inodeBitmap, layout.inodeBitmapStart());
    }

    private void addBitmap(Map<Long, byte[]> images, Bitmap bitmap, long start) {
        java.util.BitSet dirty = bitmap.takeDirtyBlocks();
        for (int i = dirty.nextSetBit(0); i >= 0; i = dirty.nextSetBit(i + 1)) {
            byte[] image = new byte[layout().blockSizeBytes()];
            bitmap.writeBlock(i, image);
            images.put(start + i, image);
        }
    }

    Blocks blocks() {
        return blocks;
    }

    Journal journal() {
        return journal;
    }

    Bitmap blockBitmap() {
        return blockBitmap;
    }

    Bitmap inodeBitmap() {
        return inodeBitmap;
    }

    static long inodeBlock(Layout layout, long number) {
        return layout.inodeTableStart() + number * Layout.INODE_BYTES / layout.blockSizeBytes();
    }

    static int inodeOffset(Layout layout, long number) {
        return (int) (number * Layout.INODE_BYTES % layout.blockSizeBytes());
    }
}
