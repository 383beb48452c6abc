package org.cnt.fs.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.cnt.fs.FsError;
import org.cnt.fs.FsException;

/**
 * The bytes of regular files: reads through the extent map (holes read as zeros), writes in
 * place or into newly allocated blocks (zero-filled around the data, since a new block holds
 * whatever was there before), and freeing the blocks past a size. Data goes straight to the
 * device; only the map and the inode go through the journal, after the data (the commit flushes
 * data first). The caller holds the file's lock and, to change anything, a handle.
 */
final class FileData {
    private static final ByteBuffer ZEROS = ByteBuffer.allocate(64 * 1024).asReadOnlyBuffer();
    private final FsState state;
    private final Blocks blocks;
    private final int blockSizeBytes;

    FileData(FsState state, Blocks blocks) {
        this.state = state;
        this.blocks = blocks;
        this.blockSizeBytes = state.blockSizeBytes();
    }

    /** The largest file: as many blocks as a 32-bit file block number counts. */
    long maxFileBytes() {
        return (Extent.MAX_LOGICAL + 1) * blockSizeBytes;
    }

    /** Reads up to the buffer's remaining bytes at {@code offset}; 0 at or past the end. */
    int read(Node node, Inode inode, long offset, ByteBuffer into) throws IOException {
        if (offset >= inode.sizeBytes()) {
            return 0;
        }
        int length = (int) Math.min(into.remaining(), inode.sizeBytes() - offset);
        int end = into.position() + length;
        long position = offset;
        while (into.position() < end) {
            long fileBlock = position / blockSizeBytes;
            int inBlock = (int) (position % blockSizeBytes);
            Extent extent = node.tree.at(fileBlock);
            long runEnd;
            if (extent == null || extent.logical() > fileBlock) {
                runEnd = extent == null ? Long.MAX_VALUE : extent.logical() * blockSizeBytes;
                int n = (int) Math.min(end - into.position(), runEnd - position);
                zeroFill(into, n);
                position += n;
            } else {
                runEnd = extent.logicalEnd() * blockSizeBytes;
                int n = (int) Math.min(end - into.position(), runEnd - position);
                ByteBuffer part = into.duplicate().limit(into.position() + n);
                blocks.readBytes(extent.physicalOf(fileBlock), inBlock, part);
                into.position(into.position() + n);
                position += n;
            }
        }
        return length;
    }

    private static void zeroFill(ByteBuffer into, int n) {
        for (int left = n; left > 0; ) {
            int step = Math.min(left, ZEROS.capacity());
            into.put(ZEROS.duplicate().limit(step));
            left -= step;
        }
    }

    /**
     * Writes the buffer's remaining bytes at {@code offset} (at most {@code maxBlocks} blocks'
     * worth, so the change fits one handle); returns the inode with its new size and map.
     */
    Inode write(Transaction transaction, Node node, Inode inode, long offset, ByteBuffer from)
            throws IOException {
        long end = offset + from.remaining();
        long position = offset;
        while (position < end) {
            long fileBlock = position / blockSizeBytes;
            int inBlock = (int) (position % blockSizeBytes);
            Extent extent = node.tree.at(fileBlock);
            if (extent != null && extent.logical() <= fileBlock) {
                int n = (int) Math.min(end - position, extent.logicalEnd() * blockSizeBytes
                        - position);
                ByteBuffer part = from.duplicate().limit(from.position() + n);
                blocks.writeBytes(extent.physicalOf(fileBlock), inBlock, part);
                from.position(from.position() + n);
                position += n;
                continue;
            }
            long holeEnd = extent == null ? Long.MAX_VALUE : extent.logical();
            long lastBlock = Math.min((end - 1) / blockSizeBytes, holeEnd - 1);
            int wanted = (int) Math.min(Integer.MAX_VALUE, lastBlock - fileBlock + 1);
            BlockAllocator.Run run = transaction.allocate(goal(node, fileBlock), wanted);
            int n = (int) Math.min(end - position, (long) run.length() * blockSizeBytes
                    - inBlock);
            writeNew(run, inBlock, from.duplicate().limit(from.position() + n));
            from.position(from.position() + n);
            for (int i = 0; i < run.length(); i++) {
                node.tree.map(fileBlock + i, run.start() + i);
            }
            position += n;
        }
        state.committer.wroteData();
        Inode written = end > inode.sizeBytes() ? inode.withSize(end) : inode;
        return node.tree.store(transaction, written);
    }

    /** Fills new blocks: zeros before and after the data, so nothing old shows through. */
    private void writeNew(BlockAllocator.Run run, int head, ByteBuffer data) throws IOException {
        if (head > 0) {
            blocks.writeBytes(run.start(), 0, ZEROS.duplicate().limit(head));
        }
        int tail = (int) ((long) run.length() * blockSizeBytes - head - data.remaining());
        long tailAt = (long) head + data.remaining();
        blocks.writeBytes(run.start(), head, data);
        while (tail > 0) {
            int step = Math.min(tail, ZEROS.capacity());
            blocks.writeBytes(run.start() + tailAt / blockSizeBytes,
                    (int) (tailAt % blockSizeBytes), ZEROS.duplicate().limit(step));
            tail -= step;
            tailAt += step;
        }
    }

    /** Where a new block of {@code fileBlock} best goes: right after the one before it. */
    static long goal(Node node, long fileBlock) {
        if (fileBlock > 0) {
            long before = node.tree.lookup(fileBlock - 1);
            if (before != 0) {
                return before + 1;
            }
        }
        Extent last = node.tree.last();
        return last != null ? last.physicalOf(last.logicalEnd() - 1) + 1 : 0;
    }

    /**
     * Allocates zeroed blocks for the holes of file blocks {@code [from, to)} (fallocate), at
     * most {@code maxBlocks}; returns the first file block not yet done.
     */
    long allocateRange(Transaction transaction, Node node, long from, long to, int maxRuns)
            throws IOException {
        long fileBlock = from;
        for (int runs = 0; fileBlock < to && runs < maxRuns; ) {
            Extent extent = node.tree.at(fileBlock);
            if (extent != null && extent.logical() <= fileBlock) {
                fileBlock = extent.logicalEnd();
                continue;
            }
            long holeEnd = Math.min(to, extent == null ? Long.MAX_VALUE : extent.logical());
            int wanted = (int) Math.min(8L * blockSizeBytes, holeEnd - fileBlock);
            BlockAllocator.Run run = transaction.allocate(goal(node, fileBlock), wanted);
            blocks.zero(run.start(), run.length());
            for (int i = 0; i < run.length(); i++) {
                node.tree.map(fileBlock + i, run.start() + i);
            }
            fileBlock += run.length();
            runs++;
        }
        state.committer.wroteData();
        return fileBlock;
    }

    /** Writes zeros over bytes {@code [from, to)} of a file where it has blocks. */
    void zeroBytes(Node node, long from, long to) throws IOException {
        long position = from;
        while (position < to) {
            long fileBlock = position / blockSizeBytes;
            int inBlock = (int) (position % blockSizeBytes);
            int n = (int) Math.min(to - position, blockSizeBytes - inBlock);
            long physical = node.tree.lookup(fileBlock);
            if (physical != 0) {
                blocks.writeBytes(physical, inBlock, ZEROS.duplicate().limit(n));
                state.committer.wroteData();
            }
            position += n;
        }
    }

    /**
     * Frees blocks from file block {@code fromBlock} on, from the end backwards, at most
     * {@code maxPieces} pieces (each within one bitmap block's reach); returns true when none
     * is left. {@code metadata}: the blocks were journaled (a directory's, a symlink's).
     */
    boolean freeFrom(Transaction transaction, Node node, long fromBlock, long toBlock,
                     int maxPieces, boolean metadata) throws IOException {
        long piece = 8L * blockSizeBytes;
        for (int pieces = 0; pieces < maxPieces; pieces++) {
            Extent last = lastBefore(node, toBlock);
            if (last == null || Math.min(last.logicalEnd(), toBlock) <= fromBlock) {
                return true;
            }
            long end = Math.min(last.logicalEnd(), toBlock);
            long start = Math.max(Math.max(fromBlock, last.logical()), end - piece);
            List<Extent> freed = node.tree.unmap(start, end - start);
            for (Extent run : freed) {
                transaction.freeBlocks(run.physical(), run.length(), metadata);
            }
        }
        Extent last = lastBefore(node, toBlock);
        return last == null || Math.min(last.logicalEnd(), toBlock) <= fromBlock;
    }

    private static Extent lastBefore(Node node, long toBlock) {
        return node.tree.lastStartingBefore(toBlock);
    }

    static void checkOffset(long offset, long length, long maxFileBytes) throws FsException {
        if (offset < 0 || length < 0) {
            throw new FsException(FsError.EINVAL, "negative offset " + offset + " or length "
                    + length);
        }
        if (offset + length > maxFileBytes || offset + length < 0) {
            throw new FsException(FsError.EFBIG, "a file ends at " + maxFileBytes + " bytes; "
                    + length + " at " + offset + " passes that");
        }
    }
}
