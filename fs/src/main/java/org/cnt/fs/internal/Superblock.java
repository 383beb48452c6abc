package org.cnt.fs.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.UUID;
import java.util.zip.CRC32C;
import org.cnt.fs.CorruptFilesystemException;

/**
 * The first block (and, as a copy, the last) of a filesystem: the format version, the layout,
 * the filesystem's id, and whether it was cleanly closed. Checksummed; the layout it names must
 * be the one its sizes imply, so a damaged or foreign superblock is refused, never trusted.
 */
record Superblock(Layout layout, UUID id, long createdSec, boolean clean) {
    static final byte[] MAGIC = {'C', 'N', 'T', 'F', 'S', 0, 0x0d, 0x0a};
    static final int VERSION = 1;
    /** Magic, version, 12 layout numbers, id, created, clean flag, checksum. */
    static final int ENCODED_BYTES = 8 + 4 + 4 + 11 * 8 + 16 + 8 + 1 + 4;

    Superblock withClean(boolean nowClean) {
        return new Superblock(layout, id, createdSec, nowClean);
    }

    /** Writes the superblock at the start of {@code block} (the rest is zeros). */
    void writeTo(byte[] block) {
        Arrays.fill(block, (byte) 0);
        ByteBuffer out = ByteBuffer.wrap(block);
        out.put(MAGIC).putInt(VERSION).putInt(layout.blockSizeBytes())
                .putLong(layout.blockCount()).putLong(layout.inodeCount())
                .putLong(layout.journalStart()).putLong(layout.journalBlocks())
                .putLong(layout.blockBitmapStart()).putLong(layout.blockBitmapBlocks())
                .putLong(layout.inodeBitmapStart()).putLong(layout.inodeBitmapBlocks())
                .putLong(layout.inodeTableStart()).putLong(layout.inodeTableBlocks())
                .putLong(layout.dataStart()).putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits()).putLong(createdSec)
                .put((byte) (clean ? 1 : 0));
        out.putInt(checksum(block, out.position()));
    }

    /** Reads a superblock, refusing anything this version did not write. */
    static Superblock readFrom(byte[] block) throws CorruptFilesystemException {
        if (block.length < ENCODED_BYTES) {
            throw new CorruptFilesystemException("a block of " + block.length + " bytes cannot "
                    + "hold a superblock");
        }
        ByteBuffer in = ByteBuffer.wrap(block);
        byte[] magic = new byte[MAGIC.length];
        in.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new CorruptFilesystemException("no CNT filesystem here (make one with 'cnt "
                    + "mkfs')");
        }
        int version = in.getInt();
        if (version != VERSION) {
            throw new CorruptFilesystemException("the filesystem has format version " + version
                    + "; this build reads version " + VERSION);
        }
        int blockSize = in.getInt();
        long[] numbers = new long[11];
        for (int i = 0; i < numbers.length; i++) {
            numbers[i] = in.getLong();
        }
        UUID id = new UUID(in.getLong(), in.getLong());
        long created = in.getLong();
        byte clean = in.get();
        int stored = in.getInt();
        if (stored != checksum(block, ENCODED_BYTES - 4)) {
            throw new CorruptFilesystemException("the superblock's checksum does not match");
        }
        if (clean > 1) {
            throw new CorruptFilesystemException("the superblock's clean flag is " + clean);
        }
        Layout named = new Layout(blockSize, numbers[0], numbers[1], numbers[2], numbers[3],
                numbers[4], numbers[5], numbers[6], numbers[7], numbers[8], numbers[9],
                numbers[10]);
        Layout implied;
        try {
            implied = Layout.plan(blockSize, numbers[0], numbers[1], numbers[3]);
        } catch (IllegalArgumentException e) {
            throw new CorruptFilesystemException("the superblock names an impossible layout: "
                    + e.getMessage());
        }
        if (!named.equals(implied)) {
            throw new CorruptFilesystemException("the superblock's layout " + named
                    + " is not the one its sizes imply, " + implied);
        }
        return new Superblock(named, id, created, clean == 1);
    }

    private static int checksum(byte[] block, int length) {
        CRC32C crc = new CRC32C();
        crc.update(block, 0, length);
        return (int) crc.getValue();
    }
}
