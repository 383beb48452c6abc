package org.cnt.fs.internal;

/**
 * Where each structure of a filesystem sits on its device, in blocks: the superblock first (a
 * copy of it last), then the metadata journal, the block bitmap, the inode bitmap, the inode
 * table, and the data blocks. Every number follows from the block size, the block count, the
 * inode count and the journal size, so a superblock that names them can be checked against the
 * layout they imply.
 */
record Layout(int blockSizeBytes, long blockCount, long inodeCount, long journalStart,
              long journalBlocks, long blockBitmapStart, long blockBitmapBlocks,
              long inodeBitmapStart, long inodeBitmapBlocks, long inodeTableStart,
              long inodeTableBlocks, long dataStart) {
    static final int MIN_BLOCK_BYTES = 512;
    static final int MAX_BLOCK_BYTES = 65_536;
    static final int INODE_BYTES = 256;
    static final long MIN_JOURNAL_BLOCKS = 16;
    /** What a filesystem needs: room for a few transactions of its largest operation. */
    static final long MIN_FS_JOURNAL_BLOCKS = 64;

    /** The layout of a new filesystem; fails when the device is too small to hold one. */
    static Layout plan(int blockSizeBytes, long blockCount, long inodeCount, long journalBlocks) {
        if (blockSizeBytes < MIN_BLOCK_BYTES || blockSizeBytes > MAX_BLOCK_BYTES
                || Integer.bitCount(blockSizeBytes) != 1) {
            throw new IllegalArgumentException("block size must be a power of two from "
                    + MIN_BLOCK_BYTES + " to " + MAX_BLOCK_BYTES + ": " + blockSizeBytes);
        }
        long inodesPerBlock = blockSizeBytes / INODE_BYTES;
        long inodes = Math.max(inodesPerBlock, ceilDiv(inodeCount, inodesPerBlock)
                * inodesPerBlock);
        if (journalBlocks < MIN_JOURNAL_BLOCKS) {
            throw new IllegalArgumentException("a journal of at least " + MIN_JOURNAL_BLOCKS
                    + " blocks, not " + journalBlocks);
        }
        long bitsPerBlock = 8L * blockSizeBytes;
        long journalStart = 1;
        long blockBitmapStart = journalStart + journalBlocks;
        long blockBitmapBlocks = ceilDiv(blockCount, bitsPerBlock);
        long inodeBitmapStart = blockBitmapStart + blockBitmapBlocks;
        long inodeBitmapBlocks = ceilDiv(inodes, bitsPerBlock);
        long inodeTableStart = inodeBitmapStart + inodeBitmapBlocks;
        long inodeTableBlocks = inodes / inodesPerBlock;
        long dataStart = inodeTableStart + inodeTableBlocks;
        // The backup superblock takes the last block; at least a few data blocks must remain.
        if (dataStart + 8 > blockCount - 1) {
            throw new IllegalArgumentException("a device of " + blockCount + " blocks of "
                    + blockSizeBytes + " bytes is too small for a filesystem with " + inodes
                    + " inodes and a " + journalBlocks + "-block journal");
        }
        return new Layout(blockSizeBytes, blockCount, inodes, journalStart, journalBlocks,
                blockBitmapStart, blockBitmapBlocks, inodeBitmapStart, inodeBitmapBlocks,
                inodeTableStart, inodeTableBlocks, dataStart);
    }

    /** The defaults of {@code cnt mkfs}: an inode per 16 KiB, a journal of 1/64 (≤ 32 MiB). */
    static Layout plan(int blockSizeBytes, long deviceBytes) {
        long blocks = deviceBytes / blockSizeBytes;
        long inodes = Math.max(64, deviceBytes / 16_384);
        long journal = Math.clamp(blocks / 64, MIN_FS_JOURNAL_BLOCKS,
                Math.max(MIN_FS_JOURNAL_BLOCKS, (32L << 20) / blockSizeBytes));
        return plan(blockSizeBytes, blocks, inodes, journal);
    }

    /** The block holding the backup superblock. */
    long backupSuperblock() {
        return blockCount - 1;
    }

    /** Data blocks: from {@link #dataStart} to just before the backup superblock. */
    long dataBlocks() {
        return backupSuperblock() - dataStart;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
