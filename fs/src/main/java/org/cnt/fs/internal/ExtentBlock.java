package org.cnt.fs.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.cnt.fs.CorruptFilesystemException;

/**
 * A node of a file's extent tree, one block: a leaf holds extents, an index node holds
 * {@code (first file block, child block)} pairs, both sorted by file block. Header: magic,
 * depth (0 for a leaf), entry count, owning inode (so a block claimed by two files is caught),
 * CRC32C of the block. Entries are 16 bytes, like {@link Extent}s.
 */
final class ExtentBlock {
    static final int MAGIC = 0x4E545845;
    static final int HEADER_BYTES = 4 + 2 + 2 + 8 + 4;
    private static final int ENTRY_BYTES = 16;

    /** An index entry: the subtree from file block {@code logical} on lives at {@code child}. */
    record Child(long logical, long child) {
    }

    /** A decoded node: {@code extents} for a leaf, {@code children} for an index node. */
    record Node(int depth, long inode, List<Extent> extents, List<Child> children) {
    }

    private ExtentBlock() {
    }

    static int capacity(int blockSizeBytes) {
        return (blockSizeBytes - HEADER_BYTES) / ENTRY_BYTES;
    }

    static void writeLeaf(byte[] block, long inode, List<Extent> extents) {
        ByteBuffer out = header(block, 0, inode, extents.size());
        for (Extent extent : extents) {
            out.putInt((int) extent.logical()).putInt(extent.length()).putLong(extent.physical());
        }
        seal(block);
    }

    static void writeIndex(byte[] block, int depth, long inode, List<Child> children) {
        if (depth < 1) {
            throw new IllegalArgumentException("an index node has depth 1 or more: " + depth);
        }
        ByteBuffer out = header(block, depth, inode, children.size());
        for (Child child : children) {
            out.putLong(child.logical()).putLong(child.child());
        }
        seal(block);
    }

    private static ByteBuffer header(byte[] block, int depth, long inode, int count) {
        if (count > capacity(block.length)) {
            throw new IllegalArgumentException(count + " entries do not fit a " + block.length
                    + "-byte extent block");
        }
        java.util.Arrays.fill(block, (byte) 0);
        return ByteBuffer.wrap(block).putInt(MAGIC).putShort((short) depth)
                .putShort((short) count).putLong(inode).position(HEADER_BYTES);
    }

    private static void seal(byte[] block) {
        ByteBuffer.wrap(block).putInt(16, 0).putInt(16, checksum(block));
    }

    /** Decodes block {@code number}, which must be a node of {@code inode}'s tree. */
    static Node read(byte[] block, long number, long inode) throws CorruptFilesystemException {
        ByteBuffer in = ByteBuffer.wrap(block);
        int stored = in.getInt(16);
        if (in.getInt(0) != MAGIC || stored != checksum(block)) {
            throw new CorruptFilesystemException("block " + number + " is not a sound extent "
                    + "block of inode " + inode);
        }
        int depth = in.getShort(4) & 0xFFFF;
        int count = in.getShort(6) & 0xFFFF;
        long owner = in.getLong(8);
        if (owner != inode || count > capacity(block.length)) {
            throw new CorruptFilesystemException("extent block " + number + " belongs to inode "
                    + owner + " with " + count + " entries, not to inode " + inode);
        }
        in.position(HEADER_BYTES);
        List<Extent> extents = new ArrayList<>();
        List<Child> children = new ArrayList<>();
        long previousEnd = -1;
        try {
            for (int i = 0; i < count; i++) {
                if (depth == 0) {
                    Extent extent = new Extent(in.getInt() & 0xFFFF_FFFFL, in.getInt(),
                            in.getLong());
                    if (extent.logical() < previousEnd) {
                        throw new IllegalArgumentException("extents out of order at " + extent);
                    }
                    previousEnd = extent.logicalEnd();
                    extents.add(extent);
                } else {
                    Child child = new Child(in.getLong(), in.getLong());
                    if (child.logical() <= previousEnd || child.child() <= 0) {
                        throw new IllegalArgumentException("bad index entry " + child);
                    }
                    previousEnd = child.logical();
                    children.add(child);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new CorruptFilesystemException("extent block " + number + " of inode " + inode
                    + ": " + e.getMessage());
        }
        return new Node(depth, owner, extents, children);
    }

    private static int checksum(byte[] block) {
        CRC32C crc = new CRC32C();
        crc.update(block, 0, 16);
        crc.update(block, 20, block.length - 20);
        return (int) crc.getValue();
    }
}
