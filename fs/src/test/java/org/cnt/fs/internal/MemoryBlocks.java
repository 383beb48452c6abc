package org.cnt.fs.internal;

import java.io.IOException;

/**
 * Blocks in memory for tests, which can crash: after {@link #crashAfter} more writes every write
 * and flush fails (the process died there), and the last allowed write may be torn (only its
 * first half lands). At the crash, each block written since the last flush is left, on its own,
 * at any one of its versions since then: like the volume, which commits batches of different
 * chunks in any order, the device orders nothing between two flushes.
 */
final class MemoryBlocks implements Blocks {
    private final int blockSizeBytes;
    private final byte[][] blocks;
    private long writesLeft = Long.MAX_VALUE;
    private long writes;
    private boolean tearLast;
    private java.util.Random reorder;
    /** Each block written since the last flush, with its versions since then (oldest first). */
    private final java.util.Map<Integer, java.util.List<byte[]>> sinceFlush =
            new java.util.HashMap<>();

    MemoryBlocks(int blockSizeBytes, long blockCount) {
        this.blockSizeBytes = blockSizeBytes;
        this.blocks = new byte[(int) blockCount][];
    }

    /** From now on, {@code writes} more writes land (the last one torn if asked); then a crash. */
    synchronized void crashAfter(long writes, boolean tear) {
        crashAfter(writes, tear, null);
    }

    /** As {@link #crashAfter(long, boolean)}; with {@code reorder}, unflushed writes scatter. */
    synchronized void crashAfter(long writes, boolean tear, java.util.Random reorder) {
        this.writesLeft = writes;
        this.tearLast = tear;
        this.reorder = reorder;
    }

    /** The machine is back: writes land again. */
    synchronized void restart() {
        if (writesLeft <= 0 && reorder != null) {
            for (var block : sinceFlush.entrySet()) {
                var versions = block.getValue();
                blocks[block.getKey()] = versions.get(reorder.nextInt(versions.size()));
            }
        }
        sinceFlush.clear();
        writesLeft = Long.MAX_VALUE;
    }

    /** Writes that landed so far. */
    synchronized long writes() {
        return writes;
    }

    synchronized boolean crashed() {
        return writesLeft <= 0;
    }

    @Override
    public int blockSizeBytes() {
        return blockSizeBytes;
    }

    @Override
    public long blockCount() {
        return blocks.length;
    }

    @Override
    public synchronized void read(long block, byte[] into) {
        byte[] stored = blocks[(int) block];
        // (a block never written reads as zeros)
        if (stored == null) {
            java.util.Arrays.fill(into, 0, blockSizeBytes, (byte) 0);
        } else {
            System.arraycopy(stored, 0, into, 0, blockSizeBytes);
        }
    }

    @Override
    public synchronized void write(long block, byte[] from) throws IOException {
        if (writesLeft <= 0) {
            throw new IOException("crashed");
        }
        writesLeft--;
        writes++;
        byte[] copy = new byte[blockSizeBytes];
        int length = writesLeft == 0 && tearLast ? blockSizeBytes / 2 : blockSizeBytes;
        if (length < blockSizeBytes && blocks[(int) block] != null) {
            System.arraycopy(blocks[(int) block], 0, copy, 0, blockSizeBytes);
        }
        System.arraycopy(from, 0, copy, 0, length);
        sinceFlush.computeIfAbsent((int) block, b -> {
            java.util.List<byte[]> versions = new java.util.ArrayList<>();
            versions.add(blocks[b]);
            return versions;
        }).add(copy);
        blocks[(int) block] = copy;
    }

    @Override
    public synchronized void readBytes(long block, int offset, java.nio.ByteBuffer into) {
        byte[] one = new byte[blockSizeBytes];
        for (long b = block; into.hasRemaining(); b++, offset = 0) {
            read(b, one);
            int n = Math.min(into.remaining(), blockSizeBytes - offset);
            into.put(one, offset, n);
        }
    }

    @Override
    public synchronized void writeBytes(long block, int offset, java.nio.ByteBuffer from) throws IOException {
        byte[] one = new byte[blockSizeBytes];
        for (long b = block; from.hasRemaining(); b++, offset = 0) {
            int n = Math.min(from.remaining(), blockSizeBytes - offset);
            if (n < blockSizeBytes) {
                read(b, one);
            }
            from.get(one, offset, n);
            write(b, one);
        }
    }

    @Override
    public synchronized void zero(long block, long count) throws IOException {
        for (long b = block; b < block + count; b++) {
            write(b, new byte[blockSizeBytes]);
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        if (writesLeft <= 0) {
            throw new IOException("crashed");
        }
        sinceFlush.clear();
    }
}
