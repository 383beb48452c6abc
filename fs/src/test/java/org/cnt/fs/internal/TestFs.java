package org.cnt.fs.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.cnt.fs.Caller;
import org.cnt.fs.FsOptions;

/** A filesystem on {@link MemoryBlocks} for tests, with a clock the test moves. */
final class TestFs {
    static final Caller OWNER = Caller.of(1000, 1000);
    final MemoryBlocks blocks;
    final AtomicLong clock = new AtomicLong(1_700_000_000_000_000_000L);
    CntFilesystem fs;

    TestFs(int blockSizeBytes, long blockCount) throws IOException {
        this(blockSizeBytes, blockCount, Layout.plan(blockSizeBytes,
                blockCount * blockSizeBytes));
    }

    TestFs(int blockSizeBytes, long blockCount, Layout layout) throws IOException {
        blocks = new MemoryBlocks(blockSizeBytes, blockCount);
        CntFilesystem.format(blocks, layout, OWNER, clock.get());
        fs = open(false);
    }

    CntFilesystem open(boolean readOnly) throws IOException {
        return CntFilesystem.open(blocks, options(readOnly));
    }

    FsOptions options(boolean readOnly) {
        return FsOptions.DEFAULTS.withCommitIntervalMs(0).withReadOnly(readOnly)
                .withClock(clock::get);
    }

    /** Closes and opens again (a clean unmount and mount). */
    CntFilesystem reopen() throws IOException {
        fs.close();
        fs = open(false);
        return fs;
    }

    long tick() {
        return clock.addAndGet(1_000_000);
    }

    static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    String read(long inode, long offset, int length) throws IOException {
        ByteBuffer into = ByteBuffer.allocate(length);
        int n = fs.read(inode, offset, into);
        return new String(into.array(), 0, n, StandardCharsets.UTF_8);
    }

    byte[] readAll(long inode) throws IOException {
        long size = fs.getattr(inode).sizeBytes();
        ByteBuffer into = ByteBuffer.allocate((int) size);
        while (into.hasRemaining()) {
            if (fs.read(inode, into.position(), into) == 0) {
                break;
            }
        }
        return into.array();
    }
}
