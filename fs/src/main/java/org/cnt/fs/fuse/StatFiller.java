package org.cnt.fs.fuse;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Method;
import java.time.Instant;
import org.cnt.fs.Attributes;
import org.cryptomator.jfuse.api.Stat;
import org.cryptomator.jfuse.api.TimeSpec;

/**
 * Fills a FUSE {@code struct stat} from a file's attributes. jfuse sets mode, owner, links, size
 * and times; the inode number (so hard links show as one file to tar, rsync and cp), the blocks
 * in use (du) and the device number are written into the struct directly, at the x86-64 Linux
 * offsets, where jfuse's segment is reachable; elsewhere they are left as libfuse sets them.
 */
final class StatFiller {
    private static final long ST_INO = 8;
    private static final long ST_RDEV = 40;
    private static final long ST_BLKSIZE = 56;
    private static final long ST_BLOCKS = 64;
    private static final long STAT_BYTES = 144;
    private static final boolean X86_64 = "amd64".equals(System.getProperty("os.arch"))
            && "Linux".equals(System.getProperty("os.name"));
    private static volatile Method segment;
    private static volatile boolean unreachable = !X86_64;

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
        MemorySegment raw = raw(stat);
        if (raw != null) {
            raw.set(ValueLayout.JAVA_LONG, ST_INO, attributes.inode());
            raw.set(ValueLayout.JAVA_LONG, ST_RDEV, Integer.toUnsignedLong(attributes.rdev()));
            raw.set(ValueLayout.JAVA_LONG, ST_BLKSIZE, attributes.blockSizeBytes());
            raw.set(ValueLayout.JAVA_LONG, ST_BLOCKS, attributes.blocks512());
        }
    }

    private static void set(TimeSpec time, long ns) {
        time.set(Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L),
                Math.floorMod(ns, 1_000_000_000L)));
    }

    /** jfuse's memory of the struct, or null when it cannot be reached. */
    private static MemorySegment raw(Stat stat) {
        if (unreachable) {
            return null;
        }
        try {
            Method accessor = segment;
            if (accessor == null || accessor.getDeclaringClass() != stat.getClass()) {
                accessor = stat.getClass().getMethod("segment");
                accessor.setAccessible(true);
                segment = accessor;
            }
            MemorySegment raw = (MemorySegment) accessor.invoke(stat);
            return raw.byteSize() >= STAT_BYTES ? raw : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            unreachable = true;
            return null;
        }
    }
}
