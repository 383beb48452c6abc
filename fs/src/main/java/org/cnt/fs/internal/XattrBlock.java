package org.cnt.fs.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;
import org.cnt.fs.CorruptFilesystemException;

/**
 * A file's extended attributes, all in one block (as ext4 without large-value inodes): magic,
 * owning inode, count, then {@code name length (1) | value length (2) | name | value} records,
 * and a CRC32C in the last four bytes. What does not fit one block is refused (ENOSPC).
 */
final class XattrBlock {
    private static final int MAGIC = 0x58415454;
    private static final int HEADER_BYTES = 4 + 8 + 2;
    static final int MAX_NAME_BYTES = 255;

    private XattrBlock() {
    }

    /** Whether {@code attributes} fit a block of {@code blockSizeBytes}. */
    static boolean fits(Map<String, byte[]> attributes, int blockSizeBytes) {
        long bytes = HEADER_BYTES + 4;
        for (Map.Entry<String, byte[]> attribute : attributes.entrySet()) {
            bytes += 3 + name(attribute.getKey()).length + attribute.getValue().length;
        }
        return bytes <= blockSizeBytes;
    }

    static void write(byte[] block, long inode, Map<String, byte[]> attributes) {
        java.util.Arrays.fill(block, (byte) 0);
        ByteBuffer out = ByteBuffer.wrap(block).putInt(MAGIC).putLong(inode)
                .putShort((short) attributes.size());
        for (Map.Entry<String, byte[]> attribute : attributes.entrySet()) {
            byte[] name = name(attribute.getKey());
            out.put((byte) name.length).putShort((short) attribute.getValue().length).put(name)
                    .put(attribute.getValue());
        }
        ByteBuffer.wrap(block).putInt(block.length - 4, checksum(block));
    }

    static Map<String, byte[]> read(byte[] block, long number, long inode)
            throws CorruptFilesystemException {
        ByteBuffer in = ByteBuffer.wrap(block);
        if (in.getInt() != MAGIC || in.getInt(block.length - 4) != checksum(block)
                || in.getLong() != inode) {
            throw new CorruptFilesystemException("block " + number + " is not a sound "
                    + "attribute block of inode " + inode);
        }
        int count = in.getShort() & 0xFFFF;
        Map<String, byte[]> attributes = new LinkedHashMap<>();
        try {
            for (int i = 0; i < count; i++) {
                int nameLength = in.get() & 0xFF;
                int valueLength = in.getShort() & 0xFFFF;
                byte[] name = new byte[nameLength];
                byte[] value = new byte[valueLength];
                in.get(name).get(value);
                if (in.position() > block.length - 4) {
                    throw new java.nio.BufferUnderflowException();
                }
                attributes.put(new String(name, StandardCharsets.UTF_8), value);
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new CorruptFilesystemException("attribute block " + number + " of inode "
                    + inode + " holds more than fits");
        }
        return attributes;
    }

    static byte[] name(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    private static int checksum(byte[] block) {
        CRC32C crc = new CRC32C();
        crc.update(block, 0, block.length - 4);
        return (int) crc.getValue();
    }
}
