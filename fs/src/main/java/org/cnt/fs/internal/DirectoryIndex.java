package org.cnt.fs.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cnt.fs.CorruptFilesystemException;

/**
 * The hashed lookup of one directory, in memory, built from its blocks the first time the
 * directory is used: name to where its entry is, and each block's largest free gap, so lookups
 * and inserts stay constant-time however many entries the directory holds. Names are kept as
 * ISO-8859-1 strings, which map bytes one to one (a name is bytes, not text). Not thread-safe:
 * the directory's lock guards it.
 */
final class DirectoryIndex {
    /** Where an entry is: the directory's block (by index in the directory) and offset. */
    record Slot(int block, int offset, long inode, int type) {
    }

    private final Map<String, Slot> entries = new HashMap<>();
    private final List<Integer> largestGap = new ArrayList<>();
    /** No block before this one has room for the smallest record: where searches start. */
    private int firstWithRoom;

    /** Indexes the directory's blocks, in order. */
    static DirectoryIndex build(List<byte[]> blocks, long firstBlockNumber)
            throws CorruptFilesystemException {
        DirectoryIndex index = new DirectoryIndex();
        for (int b = 0; b < blocks.size(); b++) {
            for (DirectoryBlock.Entry entry : DirectoryBlock.entries(blocks.get(b),
                    firstBlockNumber + b)) {
                Slot previous = index.entries.put(key(entry.name()), new Slot(b, entry.offset(),
                        entry.inode(), entry.type()));
                if (previous != null) {
                    throw new CorruptFilesystemException("the directory holds '"
                            + new String(entry.name(), StandardCharsets.UTF_8) + "' twice");
                }
            }
            index.largestGap.add(DirectoryBlock.largestGap(blocks.get(b)));
        }
        return index;
    }

    static String key(byte[] name) {
        return new String(name, StandardCharsets.ISO_8859_1);
    }

    Slot lookup(byte[] name) {
        return entries.get(key(name));
    }

    int size() {
        return entries.size();
    }

    int blocks() {
        return largestGap.size();
    }

    /** A block with a gap of at least {@code recordBytes}, or -1: the directory must grow. */
    int blockWithRoom(int recordBytes) {
        int smallest = DirectoryBlock.recordBytes(1);
        for (int b = firstWithRoom; b < largestGap.size(); b++) {
            int gap = largestGap.get(b);
            if (gap >= recordBytes) {
                return b;
            }
            if (b == firstWithRoom && gap < smallest) {
                firstWithRoom = b + 1;
            }
        }
        return -1;
    }

    /** Records an entry written into block {@code slot.block()}, now {@code blockImage}. */
    void added(byte[] name, Slot slot, byte[] blockImage) {
        entries.put(key(name), slot);
        refresh(slot.block(), blockImage);
    }

    /** Records an entry removed from its block, now {@code blockImage}. */
    void removed(byte[] name, byte[] blockImage) {
        Slot slot = entries.remove(key(name));
        if (slot != null) {
            refresh(slot.block(), blockImage);
        }
    }

    /** A new, empty block appended to the directory. */
    void grew(byte[] blockImage) {
        largestGap.add(DirectoryBlock.largestGap(blockImage));
    }

    private void refresh(int block, byte[] blockImage) {
        largestGap.set(block, DirectoryBlock.largestGap(blockImage));
        firstWithRoom = Math.min(firstWithRoom, block);
    }
}
