package org.cnt.fs.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cnt.fs.CorruptFilesystemException;

/**
 * One block of a directory's entries, as ext2 lays them out: records of {@code inode (8) |
 * record length (2) | name length (1) | type (1) | name}, padded to 8 bytes, that tile the block
 * exactly; a record's unused tail is free space, a record of inode 0 is free. An entry never
 * moves once written (a new one goes into free space, a removed one is merged into the record
 * before it), so its position is a readdir offset that stays valid while the directory changes.
 * Static helpers over a block image: the directory's lock guards the image.
 */
final class DirectoryBlock {
    static final int HEADER_BYTES = 12;
    static final int MAX_NAME_BYTES = 255;

    /** An entry and where it is in the block. */
    record Entry(int offset, long inode, int type, byte[] name) {
    }

    private DirectoryBlock() {
    }

    /** Bytes a record of a {@code nameBytes}-byte name needs. */
    static int recordBytes(int nameBytes) {
        return (HEADER_BYTES + nameBytes + 7) & ~7;
    }

    /** Makes {@code block} an empty directory block: one free record over all of it. */
    static void init(byte[] block) {
        Arrays.fill(block, (byte) 0);
        ByteBuffer.wrap(block).putLong(0, 0).putShort(8, (short) block.length);
    }

    /** Every entry in use, in block order; a malformed block is corruption, named. */
    static List<Entry> entries(byte[] block, long blockNumber)
            throws CorruptFilesystemException {
        List<Entry> entries = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(block);
        for (int at = 0; at < block.length; ) {
            int length = recordLength(in, at, block.length, blockNumber);
            long inode = in.getLong(at);
            int nameLength = in.get(at + 10) & 0xFF;
            if (inode != 0) {
                if (nameLength == 0 || recordBytes(nameLength) > length) {
                    throw new CorruptFilesystemException("directory block " + blockNumber
                            + ": a name of " + nameLength + " bytes in a " + length
                            + "-byte record at " + at);
                }
                entries.add(new Entry(at, inode, in.get(at + 11) & 0xFF,
                        Arrays.copyOfRange(block, at + HEADER_BYTES, at + HEADER_BYTES
                                + nameLength)));
            }
            at += length;
        }
        return entries;
    }

    private static int recordLength(ByteBuffer in, int at, int blockBytes, long blockNumber)
            throws CorruptFilesystemException {
        int length = in.getShort(at + 8) & 0xFFFF;
        if (length == 0 && blockBytes == 65_536 && at == 0) {
            length = 65_536;
        }
        if (length < HEADER_BYTES || length % 8 != 0 || at + length > blockBytes) {
            throw new CorruptFilesystemException("directory block " + blockNumber + ": a record "
                    + "of " + length + " bytes at " + at + " does not fit");
        }
        return length;
    }

    /**
     * Writes a new entry into free space; returns its offset, or -1 when the block has no room.
     */
    static int insert(byte[] block, byte[] name, long inode, int type)
            throws CorruptFilesystemException {
        if (name.length == 0 || name.length > MAX_NAME_BYTES || inode <= 0) {
            throw new IllegalArgumentException("bad entry: " + name.length + "-byte name, inode "
                    + inode);
        }
        int needed = recordBytes(name.length);
        ByteBuffer buffer = ByteBuffer.wrap(block);
        for (int at = 0; at < block.length; ) {
            int length = recordLength(buffer, at, block.length, -1);
            boolean free = buffer.getLong(at) == 0;
            int used = free ? 0 : recordBytes(buffer.get(at + 10) & 0xFF);
            if (length - used >= needed) {
                int offset = at + used;
                if (!free) {
                    buffer.putShort(at + 8, (short) used);
                }
                write(buffer, offset, length - used, name, inode, type);
                return offset;
            }
            at += length;
        }
        return -1;
    }

    private static void write(ByteBuffer buffer, int offset, int length, byte[] name, long inode,
                              int type) {
        buffer.putLong(offset, inode).putShort(offset + 8, (short) length)
                .put(offset + 10, (byte) name.length).put(offset + 11, (byte) type)
                .put(offset + HEADER_BYTES, name);
    }

    /** Removes the entry at {@code offset} (an offset {@link #entries} returned). */
    static void remove(byte[] block, int offset) throws CorruptFilesystemException {
        ByteBuffer buffer = ByteBuffer.wrap(block);
        int previous = -1;
        for (int at = 0; at < offset; ) {
            previous = at;
            at += recordLength(buffer, at, block.length, -1);
            if (at > offset) {
                throw new IllegalArgumentException("no record starts at " + offset);
            }
        }
        int length = recordLength(buffer, offset, block.length, -1);
        if (previous < 0) {
            buffer.putLong(offset, 0);
            buffer.put(offset + 10, (byte) 0);
        } else {
            int previousLength = recordLength(buffer, previous, block.length, -1);
            buffer.putShort(previous + 8, (short) (previousLength + length));
        }
    }

    /** The largest record a new entry could take in the block (a well-formed one). */
    static int largestGap(byte[] block) {
        ByteBuffer in = ByteBuffer.wrap(block);
        int largest = 0;
        for (int at = 0; at < block.length; ) {
            int length = in.getShort(at + 8) & 0xFFFF;
            if (length == 0 && at == 0) {
                length = block.length;
            }
            int used = in.getLong(at) == 0 ? 0 : recordBytes(in.get(at + 10) & 0xFF);
            largest = Math.max(largest, length - used);
            at += length;
        }
        return largest;
    }

    /** Points the entry at {@code offset} to another inode (rename over an existing name). */
    static void retarget(byte[] block, int offset, long inode, int type) {
        ByteBuffer.wrap(block).putLong(offset, inode).put(offset + 11, (byte) type);
    }
}
