package org.cnt.fs.internal;

import java.util.BitSet;

/**
 * An allocation bitmap (of blocks or of inodes), whole in memory, stored as consecutive blocks of
 * the device with bit {@code i} at bit {@code i % 8} of byte {@code i / 8}. It remembers which
 * of its blocks changed, so a transaction journals only those. Not thread-safe: the allocator
 * that owns it locks.
 */
final class Bitmap {
    private final long bits;
    private final int blockSizeBytes;
    private final long[] words;
    private final BitSet dirtyBlocks = new BitSet();
    private long used;

    private Bitmap(long bits, int blockSizeBytes, long[] words) {
        this.bits = bits;
        this.blockSizeBytes = blockSizeBytes;
        this.words = words;
        for (long word : words) {
            used += Long.bitCount(word);
        }
    }

    /** An empty bitmap of {@code bits} bits, stored in blocks of {@code blockSizeBytes}. */
    static Bitmap empty(long bits, int blockSizeBytes) {
        return new Bitmap(bits, blockSizeBytes, new long[(int) ((bits + 63) / 64)]);
    }

    /** The bitmap stored in {@code blocks} (bits past {@code bits} must be zero). */
    static Bitmap read(long bits, int blockSizeBytes, byte[][] blocks) {
        long[] words = new long[(int) ((bits + 63) / 64)];
        for (long bit = 0; bit < bits; bit += 8) {
            byte b = blocks[(int) (bit / 8 / blockSizeBytes)][(int) (bit / 8 % blockSizeBytes)];
            words[(int) (bit / 64)] |= (long) (b & 0xFF) << (bit % 64);
        }
        return new Bitmap(bits, blockSizeBytes, words);
    }

    long size() {
        return bits;
    }

    /** An independent copy with the same bits (and no dirty blocks). */
    Bitmap copy() {
        return new Bitmap(bits, blockSizeBytes, words.clone());
    }

    /** How many blocks changed since the last {@link #takeDirtyBlocks}. */
    int dirtyBlockCount() {
        return dirtyBlocks.cardinality();
    }

    long used() {
        return used;
    }

    long free() {
        return bits - used;
    }

    boolean get(long bit) {
        check(bit);
        return (words[(int) (bit >>> 6)] & (1L << bit)) != 0;
    }

    void set(long bit) {
        check(bit);
        if (!get(bit)) {
            words[(int) (bit >>> 6)] |= 1L << bit;
            used++;
            touched(bit);
        }
    }

    void clear(long bit) {
        check(bit);
        if (get(bit)) {
            words[(int) (bit >>> 6)] &= ~(1L << bit);
            used--;
            touched(bit);
        }
    }

    /** The first clear bit at or after {@code from}, wrapping to 0; -1 when none is. */
    long firstClear(long from) {
        long found = firstClear(Math.floorMod(from, bits), bits);
        return found >= 0 ? found : firstClear(0, Math.floorMod(from, bits));
    }

    private long firstClear(long from, long before) {
        for (long bit = from; bit < before; ) {
            long free = ~words[(int) (bit >>> 6)] & (-1L << bit);
            if (free != 0) {
                long found = (bit & ~63L) + Long.numberOfTrailingZeros(free);
                return found < before ? found : -1;
            }
            bit = (bit & ~63L) + 64;
        }
        return -1;
    }

    /** How many clear bits run from {@code start} (at most {@code max}). */
    long clearRun(long start, long max) {
        long length = 0;
        while (length < max && start + length < bits && !get(start + length)) {
            length++;
        }
        return length;
    }

    int blockCount() {
        return (int) ((bits + 8L * blockSizeBytes - 1) / (8L * blockSizeBytes));
    }

    /** Writes block {@code index} of the stored bitmap into {@code into}. */
    void writeBlock(int index, byte[] into) {
        java.util.Arrays.fill(into, (byte) 0);
        long first = (long) index * blockSizeBytes * 8;
        for (int i = 0; i < blockSizeBytes && first + 8L * i < bits; i++) {
            long bit = first + 8L * i;
            into[i] = (byte) (words[(int) (bit >>> 6)] >>> (bit % 64));
        }
    }

    /** The blocks changed since the last call, which forgets them. */
    BitSet takeDirtyBlocks() {
        BitSet taken = (BitSet) dirtyBlocks.clone();
        dirtyBlocks.clear();
        return taken;
    }

    private void touched(long bit) {
        dirtyBlocks.set((int) (bit / 8 / blockSizeBytes));
    }

    private void check(long bit) {
        if (bit < 0 || bit >= bits) {
            throw new IndexOutOfBoundsException("bit " + bit + " of a " + bits + "-bit bitmap");
        }
    }
}
