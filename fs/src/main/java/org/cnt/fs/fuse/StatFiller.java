package org.cnt.fs.fuse;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Instant;
import org.cnt.fs.Attributes;
import org.cryptomator.jfuse.api.Stat;
import org.cryptomator.jfuse.api.TimeSpec;

/**
 * Fills a FUSE {@code struct stat} from a file's attributes. jfuse sets mode, owner, links, size
 * and times; the inode number (so hard links show as one file to tar, rsync and cp), the blocks
 * in use (du), the block size and the device number are written into the struct directly where
 * {@link NativeStructs} reaches it, and left as libfuse sets them where it does not.
 */
final class StatFiller {
    private StatFiller() {
    }

    static void fill(Stat stat, Attributes attributes) {
        stat.setMode(attributes.mode());
        stat.setUid(attributes.uid());
        stat.setGid(attributes.gid());
        stat.setNLink((short) Math.min(attributes.nlink(), 0xFFFF));
        stat.setSize(attributes.sizeBytes());
        set(stat.aTime(), attributes.atimeNs());
        set(stat.mTime(), attributes.mtimeNs());
        set(stat.cTime(), attributes.ctimeNs());
        MemorySegment raw = NativeStructs.segment(stat);
        if (raw != null) {
            put(raw, NativeStructs.offset(stat, "stat", "st_ino"), attributes.inode());
            put(raw, NativeStructs.offset(stat, "stat", "st_rdev"),
                    Integer.toUnsignedLong(attributes.rdev()));
            put(raw, NativeStructs.offset(stat, "stat", "st_blksize"),
                    attributes.blockSizeBytes());
            put(raw, NativeStructs.offset(stat, "stat", "st_blocks"), attributes.blocks512());
        }
    }

    /**
     * What readdir tells of an entry: its type and inode number (with use_ino libfuse passes the
     * number on, and readdir(3) skips an entry numbered 0).
     */
    static void fillEntry(Stat stat, long inode, int mode) {
        stat.setMode(mode);
        MemorySegment raw = NativeStructs.segment(stat);
        if (raw != null) {
            put(raw, NativeStructs.offset(stat, "stat", "st_ino"), inode);
        }
    }

    private static void put(MemorySegment raw, long offset, long value) {
        if (offset >= 0 && offset + 8 <= raw.byteSize()) {
            raw.set(ValueLayout.JAVA_LONG_UNALIGNED, offset, value);
        }
    }

    private static void set(TimeSpec time, long ns) {
        time.set(Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L),
                Math.floorMod(ns, 1_000_000_000L)));
    }
}
