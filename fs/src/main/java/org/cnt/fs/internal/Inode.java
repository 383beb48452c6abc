package org.cnt.fs.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.cnt.fs.CorruptFilesystemException;

/**
 * One file's record in the inode table ({@link Layout#INODE_BYTES} bytes, checksummed): type and
 * permissions, owner, link count, size, four nanosecond timestamps, the block of its extended
 * attributes, and its data map. The data map is inline: up to {@link #INLINE_EXTENTS} extents,
 * or the root of an extent tree ({@code treeDepth} > 0: then the inline extents point to index
 * blocks), or, for a short symlink, the target itself. Immutable; a change is a new record.
 */
record Inode(long number, int mode, int uid, int gid, int nlink, long sizeBytes, long atimeNs,
             long mtimeNs, long ctimeNs, long btimeNs, int generation, int flags,
             long xattrBlock, int treeDepth, List<Extent> extents, byte[] inlineData) {
    static final int S_IFMT = 0170000;
    static final int S_IFREG = 0100000;
    static final int S_IFDIR = 0040000;
    static final int S_IFLNK = 0120000;
    static final int S_IFCHR = 0020000;
    static final int S_IFBLK = 0060000;
    static final int S_IFIFO = 0010000;
    static final int S_IFSOCK = 0140000;
    /** The inline area: extents, tree root, or short symlink target. */
    static final int INLINE_BYTES = 176;
    static final int INLINE_EXTENTS = INLINE_BYTES / Extent.ENCODED_BYTES;
    /** Set when {@link #inlineData} holds the content (a short symlink target). */
    static final int FLAG_INLINE_DATA = 1;
    private static final int HEADER_BYTES = 76;

    Inode {
        extents = List.copyOf(extents);
        if (extents.size() > INLINE_EXTENTS || inlineData.length > INLINE_BYTES
                || (inlineData.length > 0 && !extents.isEmpty())) {
            throw new IllegalArgumentException("inode " + number + ": " + extents.size()
                    + " extents and " + inlineData.length + " inline bytes do not fit");
        }
    }

    /** A new, empty inode. */
    static Inode create(long number, int mode, int uid, int gid, long nowNs, int generation) {
        return new Inode(number, mode, uid, gid, 0, 0, nowNs, nowNs, nowNs, nowNs, generation, 0,
                0, 0, List.of(), new byte[0]);
    }

    Inode withSize(long newSizeBytes) {
        return new Inode(number, mode, uid, gid, nlink, newSizeBytes, atimeNs, mtimeNs, ctimeNs,
                btimeNs, generation, flags, xattrBlock, treeDepth, extents, inlineData);
    }

    Inode withNlink(int newNlink) {
        return new Inode(number, mode, uid, gid, newNlink, sizeBytes, atimeNs, mtimeNs, ctimeNs,
                btimeNs, generation, flags, xattrBlock, treeDepth, extents, inlineData);
    }

    Inode withMode(int newMode) {
        return new Inode(number, newMode, uid, gid, nlink, sizeBytes, atimeNs, mtimeNs, ctimeNs,
                btimeNs, generation, flags, xattrBlock, treeDepth, extents, inlineData);
    }

    Inode withOwner(int newUid, int newGid) {
        return new Inode(number, mode, newUid, newGid, nlink, sizeBytes, atimeNs, mtimeNs,
                ctimeNs, btimeNs, generation, flags, xattrBlock, treeDepth, extents, inlineData);
    }

    Inode withTimes(long newAtimeNs, long newMtimeNs, long newCtimeNs) {
        return new Inode(number, mode, uid, gid, nlink, sizeBytes, newAtimeNs, newMtimeNs,
                newCtimeNs, btimeNs, generation, flags, xattrBlock, treeDepth, extents,
                inlineData);
    }

    /** Data changed: new mtime and ctime. */
    Inode modified(long nowNs) {
        return withTimes(atimeNs, nowNs, nowNs);
    }

    /** Attributes changed: new ctime. */
    Inode changed(long nowNs) {
        return withTimes(atimeNs, mtimeNs, nowNs);
    }

    Inode withXattrBlock(long block) {
        return new Inode(number, mode, uid, gid, nlink, sizeBytes, atimeNs, mtimeNs, ctimeNs,
                btimeNs, generation, flags, block, treeDepth, extents, inlineData);
    }

    /** The same inode with another data map: extents (or a tree root) or inline bytes. */
    Inode withData(int depth, List<Extent> newExtents, byte[] inline) {
        return new Inode(number, mode, uid, gid, nlink, sizeBytes, atimeNs, mtimeNs, ctimeNs,
                btimeNs, generation, inline.length > 0 ? flags | FLAG_INLINE_DATA
                : flags & ~FLAG_INLINE_DATA, xattrBlock, depth, newExtents, inline);
    }

    int type() {
        return mode & S_IFMT;
    }

    boolean isDirectory() {
        return type() == S_IFDIR;
    }

    boolean isRegular() {
        return type() == S_IFREG;
    }

    boolean isSymlink() {
        return type() == S_IFLNK;
    }

    void writeTo(ByteBuffer out) {
        int start = out.position();
        out.putInt(mode).putInt(uid).putInt(gid).putInt(nlink).putLong(sizeBytes)
                .putLong(atimeNs).putLong(mtimeNs).putLong(ctimeNs).putLong(btimeNs)
                .putInt(generation).putInt(flags).putLong(xattrBlock).put((byte) treeDepth)
                .put((byte) extents.size()).put((byte) inlineData.length).put((byte) 0);
        for (Extent extent : extents) {
            out.putInt((int) extent.logical()).putInt(extent.length()).putLong(extent.physical());
        }
        out.put(inlineData);
        out.position(start + HEADER_BYTES + INLINE_BYTES);
        out.putInt(checksum(out, start));
    }

    /** Reads inode {@code number} at the buffer's position; an all-zero record is free (null). */
    static Inode readFrom(ByteBuffer in, long number) throws CorruptFilesystemException {
        int start = in.position();
        if (allZero(in, start)) {
            in.position(start + Layout.INODE_BYTES);
            return null;
        }
        int expected = checksum(in, start);
        int mode = in.getInt();
        int uid = in.getInt();
        int gid = in.getInt();
        int nlink = in.getInt();
        long size = in.getLong();
        long atime = in.getLong();
        long mtime = in.getLong();
        long ctime = in.getLong();
        long btime = in.getLong();
        int generation = in.getInt();
        int flags = in.getInt();
        long xattr = in.getLong();
        int depth = in.get() & 0xFF;
        int count = in.get() & 0xFF;
        int inline = in.get() & 0xFF;
        in.get();
        if (count > INLINE_EXTENTS || inline > INLINE_BYTES || count > 0 && inline > 0) {
            throw new CorruptFilesystemException("inode " + number + " claims " + count
                    + " extents and " + inline + " inline bytes");
        }
        List<Extent> extents = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                extents.add(new Extent(in.getInt() & 0xFFFF_FFFFL, in.getInt(), in.getLong()));
            }
        } catch (IllegalArgumentException e) {
            throw new CorruptFilesystemException("inode " + number + ": " + e.getMessage());
        }
        byte[] data = new byte[inline];
        in.get(data);
        in.position(start + HEADER_BYTES + INLINE_BYTES);
        if (in.getInt() != expected) {
            throw new CorruptFilesystemException("inode " + number + "'s checksum does not "
                    + "match");
        }
        return new Inode(number, mode, uid, gid, nlink, size, atime, mtime, ctime, btime,
                generation, flags, xattr, depth, extents, data);
    }

    String inlineText() {
        return new String(inlineData, StandardCharsets.UTF_8);
    }

    private static boolean allZero(ByteBuffer in, int start) {
        for (int i = 0; i < Layout.INODE_BYTES; i++) {
            if (in.get(start + i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static int checksum(ByteBuffer buffer, int start) {
        CRC32C crc = new CRC32C();
        crc.update(buffer.duplicate().position(start).limit(start + HEADER_BYTES
                + INLINE_BYTES));
        return (int) crc.getValue();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Inode i && number == i.number && mode == i.mode && uid == i.uid
                && gid == i.gid && nlink == i.nlink && sizeBytes == i.sizeBytes
                && atimeNs == i.atimeNs && mtimeNs == i.mtimeNs && ctimeNs == i.ctimeNs
                && btimeNs == i.btimeNs && generation == i.generation && flags == i.flags
                && xattrBlock == i.xattrBlock && treeDepth == i.treeDepth
                && extents.equals(i.extents) && java.util.Arrays.equals(inlineData, i.inlineData);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(number) * 31 + mode;
    }
}
