package org.cnt.fs.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which device block holds each block of a file: sorted, non-overlapping extents, merged when
 * a new block continues one both in the file and on the device (so a file written in order is
 * a few long extents). A block no extent covers is a hole: it reads as zeros and costs nothing.
 * Not thread-safe: the file's lock guards it.
 */
final class ExtentMap {
    /** Extents by first file block. */
    private final TreeMap<Long, Extent> extents = new TreeMap<>();
    private long mappedBlocks;

    ExtentMap(List<Extent> initial) {
        for (Extent extent : initial) {
            Map.Entry<Long, Extent> before = extents.floorEntry(extent.logical());
            if (before != null && before.getValue().logicalEnd() > extent.logical()) {
                throw new IllegalArgumentException("overlapping extents " + before.getValue()
                        + " and " + extent);
            }
            extents.put(extent.logical(), extent);
            mappedBlocks += extent.length();
        }
    }

    List<Extent> extents() {
        return new ArrayList<>(extents.values());
    }

    int size() {
        return extents.size();
    }

    /** The device block of {@code fileBlock}, or 0 for a hole. */
    long lookup(long fileBlock) {
        Map.Entry<Long, Extent> entry = extents.floorEntry(fileBlock);
        return entry != null && entry.getValue().contains(fileBlock)
                ? entry.getValue().physicalOf(fileBlock) : 0;
    }

    /** The extent holding {@code fileBlock}, else the first one after it, else null. */
    Extent at(long fileBlock) {
        Map.Entry<Long, Extent> floor = extents.floorEntry(fileBlock);
        if (floor != null && floor.getValue().contains(fileBlock)) {
            return floor.getValue();
        }
        Map.Entry<Long, Extent> next = extents.higherEntry(fileBlock);
        return next != null ? next.getValue() : null;
    }

    /** Where the extent holding or ending just before {@code fileBlock} starts, else itself. */
    long startNear(long fileBlock) {
        Map.Entry<Long, Extent> floor = extents.floorEntry(fileBlock);
        return floor != null && floor.getValue().logicalEnd() >= fileBlock ? floor.getKey()
                : fileBlock;
    }

    /** Extents starting in {@code [from, to)}, in order. */
    List<Extent> startingIn(long from, long to) {
        return new ArrayList<>(extents.subMap(from, true, to, false).values());
    }

    /** The last extent, or null when nothing is mapped. */
    Extent last() {
        Map.Entry<Long, Extent> last = extents.lastEntry();
        return last != null ? last.getValue() : null;
    }

    /** Maps a hole {@code fileBlock} to device block {@code physical}. */
    void map(long fileBlock, long physical) {
        if (lookup(fileBlock) != 0) {
            throw new IllegalStateException("file block " + fileBlock + " is already mapped");
        }
        mappedBlocks++;
        Map.Entry<Long, Extent> before = extents.floorEntry(fileBlock);
        Extent after = extents.get(fileBlock + 1);
        boolean joinsBefore = before != null && before.getValue().logicalEnd() == fileBlock
                && before.getValue().physicalOf(fileBlock - 1) + 1 == physical
                && before.getValue().length() < Integer.MAX_VALUE;
        boolean joinsAfter = after != null && after.physical() == physical + 1;
        if (joinsBefore && joinsAfter) {
            Extent first = before.getValue();
            extents.remove(after.logical());
            extents.put(first.logical(), new Extent(first.logical(),
                    first.length() + 1 + after.length(), first.physical()));
        } else if (joinsBefore) {
            Extent first = before.getValue();
            extents.put(first.logical(), new Extent(first.logical(), first.length() + 1,
                    first.physical()));
        } else if (joinsAfter) {
            extents.remove(after.logical());
            extents.put(fileBlock, new Extent(fileBlock, after.length() + 1, physical));
        } else {
            extents.put(fileBlock, new Extent(fileBlock, 1, physical));
        }
    }

    /**
     * Unmaps file blocks {@code [from, from + count)}; returns the device runs they held, to be
     * freed (an extent cut in the middle leaves its two ends).
     */
    List<Extent> unmap(long from, long count) {
        long end = from + count;
        List<Extent> freed = new ArrayList<>();
        Map.Entry<Long, Extent> first = extents.floorEntry(from);
        long scan = first != null ? first.getKey() : from;
        for (Extent extent : new ArrayList<>(extents.subMap(scan, true, end, false).values())) {
            if (extent.logicalEnd() <= from) {
                continue;
            }
            extents.remove(extent.logical());
            long cutStart = Math.max(from, extent.logical());
            long cutEnd = Math.min(end, extent.logicalEnd());
            if (extent.logical() < cutStart) {
                extents.put(extent.logical(), new Extent(extent.logical(),
                        (int) (cutStart - extent.logical()), extent.physical()));
            }
            if (cutEnd < extent.logicalEnd()) {
                extents.put(cutEnd, new Extent(cutEnd, (int) (extent.logicalEnd() - cutEnd),
                        extent.physicalOf(cutEnd)));
            }
            freed.add(new Extent(cutStart, (int) (cutEnd - cutStart),
                    extent.physicalOf(cutStart)));
            mappedBlocks -= cutEnd - cutStart;
        }
        return freed;
    }

    /** Blocks mapped (what the file costs). */
    long mappedBlocks() {
        return mappedBlocks;
    }

    /** The last extent starting before {@code fileBlock}, or null. */
    Extent lastStartingBefore(long fileBlock) {
        Map.Entry<Long, Extent> entry = extents.lowerEntry(fileBlock);
        return entry != null ? entry.getValue() : null;
    }
}
