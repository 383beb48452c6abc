package org.cnt.fs.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.cnt.fs.CorruptFilesystemException;
import org.cnt.fs.FsError;
import org.cnt.fs.FsException;

/**
 * The metadata journal (write-ahead, physical, as ext4's jbd2 in ordered mode): a transaction is
 * the new images of the metadata blocks it changed, written to the journal as a descriptor block
 * naming their home blocks, the images, and a commit block, then made durable with the device's
 * flush. Only then are the images written to their homes (a checkpoint, when the journal fills or
 * the filesystem closes), after which the journal's header moves past them. Opening replays every
 * complete transaction after the header, in order, so a crash at any instant leaves either all
 * of a transaction or none of it. Callers write the data blocks a transaction points to before
 * committing it.
 *
 * <p>Journal blocks 0 and 1 hold the header, in turn (magic, the sequence number of the first
 * live transaction and where it starts): a header torn by a crash leaves the other, older one,
 * from which replay is merely longer. Transactions follow and wrap around the rest.
 */
final class Journal {
    private static final int HEADER_MAGIC = 0x4A524E48;
    private static final int DESCRIPTOR_MAGIC = 0x4A52444E;
    private static final int COMMIT_MAGIC = 0x4A52434D;

    private final Blocks blocks;
    private final long start;
    private final long size;
    private final int blockSize;
    /** Committed images not yet written home, by home block (newest image wins). */
    private final Map<Long, byte[]> unwritten =
            new java.util.concurrent.ConcurrentHashMap<>();
    private long tailSeq;
    private long tailOffset;
    private long nextSeq;
    private long headOffset;
    /** The header slot written last (0 or 1); the next header goes to the other. */
    private int headerSlot;
    private static final long FIRST = 2;

    private Journal(Blocks blocks, Layout layout) {
        this.blocks = blocks;
        this.start = layout.journalStart();
        this.size = layout.journalBlocks();
        this.blockSize = layout.blockSizeBytes();
    }

    /** Writes an empty journal (mkfs). */
    static void format(Blocks blocks, Layout layout) throws IOException {
        Journal journal = new Journal(blocks, layout);
        journal.tailSeq = 1;
        journal.tailOffset = FIRST;
        journal.headerSlot = 1;
        journal.writeHeader();
        blocks.write(journal.start + 1, new byte[journal.blockSize]);
        blocks.flush();
    }

    /** Opens the journal, replaying every complete transaction to its home blocks. */
    static Journal open(Blocks blocks, Layout layout) throws IOException {
        Journal journal = new Journal(blocks, layout);
        journal.readHeader();
        int replayed = journal.replay();
        if (replayed > 0) {
            journal.checkpoint();
        }
        return journal;
    }

    /** The largest transaction, in changed blocks, that fits the journal. */
    int maxBlocksPerTransaction() {
        int perDescriptor = (blockSize - 24) / 8;
        return (int) Math.min(perDescriptor, size - FIRST - 3);
    }

    /** Whether a transaction of {@code images} blocks fits without a checkpoint first. */
    boolean hasRoomFor(int images) {
        return free() >= images + 2L;
    }

    /**
     * Makes a transaction durable: once this returns, a crash leaves every image in it at its
     * home block. {@code images} maps home blocks to their new contents (whole blocks).
     */
    void commit(Map<Long, byte[]> images) throws IOException {
        if (images.isEmpty()) {
            return;
        }
        if (images.size() > maxBlocksPerTransaction()) {
            throw new FsException(FsError.EFBIG, "a transaction of " + images.size()
                    + " blocks does not fit a journal of " + size + " blocks");
        }
        long needed = images.size() + 2L;
        if (free() < needed) {
            checkpoint();
        }
        long seq = nextSeq++;
        List<Long> homes = new ArrayList<>(images.keySet());
        CRC32C crc = new CRC32C();
        for (long home : homes) {
            crc.update(images.get(home), 0, blockSize);
        }
        byte[] block = new byte[blockSize];
        ByteBuffer descriptor = ByteBuffer.wrap(block);
        descriptor.putInt(DESCRIPTOR_MAGIC).putLong(seq).putInt(homes.size())
                .putInt((int) crc.getValue());
        for (long home : homes) {
            descriptor.putLong(home);
        }
        descriptor.putInt(blockSize - 4, checksum(block, blockSize - 4));
        writeAt(headOffset, block);
        long at = advance(headOffset, 1);
        for (long home : homes) {
            writeAt(at, images.get(home));
            at = advance(at, 1);
        }
        java.util.Arrays.fill(block, (byte) 0);
        ByteBuffer.wrap(block).putInt(COMMIT_MAGIC).putLong(seq).putInt((int) crc.getValue());
        ByteBuffer.wrap(block).putInt(blockSize - 4, checksum(block, blockSize - 4));
        writeAt(at, block);
        blocks.flush();
        headOffset = advance(at, 1);
        for (long home : homes) {
            unwritten.remove(home);
            unwritten.put(home, images.get(home).clone());
        }
    }

    /**
     * Writes every committed image home, flushes, and empties the journal: afterwards a crash
     * replays nothing.
     */
    void checkpoint() throws IOException {
        if (unwritten.isEmpty() && tailOffset == headOffset) {
            return;
        }
        for (Map.Entry<Long, byte[]> image : unwritten.entrySet()) {
            blocks.write(image.getKey(), image.getValue());
        }
        blocks.flush();
        unwritten.clear();
        tailSeq = nextSeq;
        tailOffset = headOffset;
        writeHeader();
        blocks.flush();
    }

    /** The newest committed image of a home block not yet written there, or null. */
    byte[] unwrittenImage(long home) {
        return unwritten.get(home);
    }

    private long free() {
        long used = Math.floorMod(headOffset - tailOffset, size - FIRST);
        return size - FIRST - used - 1;
    }

    private long advance(long offset, long by) {
        long next = offset + by;
        while (next >= size) {
            next = next - size + FIRST;
        }
        return next;
    }

    private void writeAt(long offset, byte[] block) throws IOException {
        blocks.write(start + offset, block);
    }

    private void writeHeader() throws IOException {
        byte[] block = new byte[blockSize];
        ByteBuffer.wrap(block).putInt(HEADER_MAGIC).putLong(tailSeq).putLong(tailOffset);
        ByteBuffer.wrap(block).putInt(blockSize - 4, checksum(block, blockSize - 4));
        headerSlot = 1 - headerSlot;
        blocks.write(start + headerSlot, block);
    }

    /** The newer of the two header slots that checks out. */
    private void readHeader() throws IOException {
        long bestSeq = -1;
        byte[] block = new byte[blockSize];
        for (int slot = 0; slot < 2; slot++) {
            blocks.read(start + slot, block);
            ByteBuffer in = ByteBuffer.wrap(block);
            if (in.getInt() != HEADER_MAGIC
                    || in.getInt(blockSize - 4) != checksum(block, blockSize - 4)) {
                continue;
            }
            long seq = in.getLong();
            long offset = in.getLong();
            if (seq > bestSeq && offset >= FIRST && offset < size) {
                bestSeq = seq;
                tailSeq = seq;
                tailOffset = offset;
                headerSlot = slot;
            }
        }
        if (bestSeq < 0) {
            throw new DamagedJournalException("both journal headers are damaged");
        }
        nextSeq = tailSeq;
        headOffset = tailOffset;
    }

    /** Replays complete transactions from the tail on; returns how many. */
    private int replay() throws IOException {
        int replayed = 0;
        byte[] block = new byte[blockSize];
        while (true) {
            blocks.read(start + headOffset, block);
            ByteBuffer in = ByteBuffer.wrap(block);
            if (in.getInt() != DESCRIPTOR_MAGIC || in.getLong() != nextSeq
                    || in.getInt(blockSize - 4) != checksum(block, blockSize - 4)) {
                return replayed;
            }
            int count = in.getInt();
            int payloadCrc = in.getInt();
            if (count < 1 || count > maxBlocksPerTransaction()) {
                return replayed;
            }
            long[] homes = new long[count];
            for (int i = 0; i < count; i++) {
                homes[i] = in.getLong();
            }
            List<byte[]> images = new ArrayList<>(count);
            CRC32C crc = new CRC32C();
            long at = advance(headOffset, 1);
            for (int i = 0; i < count; i++) {
                byte[] image = new byte[blockSize];
                blocks.read(start + at, image);
                crc.update(image);
                images.add(image);
                at = advance(at, 1);
            }
            blocks.read(start + at, block);
            ByteBuffer commit = ByteBuffer.wrap(block);
            if ((int) crc.getValue() != payloadCrc || commit.getInt() != COMMIT_MAGIC
                    || commit.getLong() != nextSeq || commit.getInt() != payloadCrc
                    || commit.getInt(blockSize - 4) != checksum(block, blockSize - 4)) {
                return replayed;
            }
            for (int i = 0; i < count; i++) {
                unwritten.remove(homes[i]);
                unwritten.put(homes[i], images.get(i));
            }
            nextSeq++;
            headOffset = advance(at, 1);
            replayed++;
        }
    }

    private static int checksum(byte[] block, int length) {
        CRC32C crc = new CRC32C();
        crc.update(block, 0, length);
        return (int) crc.getValue();
    }
}
