package org.cnt.farmer.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.cnt.chain.micro.ChunkOp;
import org.cnt.chain.micro.Wop;
import org.cnt.farmer.microchain.ChunkGeometry;
import org.cnt.farmer.microchain.PageBase;
import org.cnt.farmer.store.ChunkFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies committed blocks to a replica's chunk file on the farmer's file-writer thread, in
 * order, so a slow write or sync never holds up the replica's votes. What it has not written
 * yet is still in the log; a sync covers every write queued before it.
 */
final class ReplicaFile {
    private static final Logger log = LoggerFactory.getLogger(ReplicaFile.class);
    private final ChunkFile file;
    private final ChunkGeometry geometry;
    private final Executor writer;
    private volatile String failure;

    ReplicaFile(ChunkFile file, ChunkGeometry geometry, Executor writer) {
        this.file = file;
        this.geometry = geometry;
        this.writer = writer;
    }

    /** Adjacent Wops are written with one call, up to this much: a block device writes runs. */
    private static final int MAX_RUN_BYTES = 1 << 20;
    /** Per thread (the file writer, or a recovering replica's): runs are gathered here. */
    private static final ThreadLocal<ByteBuffer> RUN =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(MAX_RUN_BYTES));

    /**
     * Writes the operations' bytes now, on the calling thread (recovery and the file writer).
     * Wops that continue one another are gathered into one write, in order, so a batch of 4 KiB
     * writes to consecutive pages costs one system call, not one per page.
     */
    void applyNow(List<ChunkOp> ops) throws IOException {
        ByteBuffer run = RUN.get().clear();
        long runStart = -1;
        for (ChunkOp op : ops) {
            if (!(op instanceof ChunkOp.WopBatch batch)) {
                continue;
            }
            for (Wop wop : batch.wops()) {
                long at = (long) wop.sliceIndex() * geometry.sliceSizeBytes() + wop.offsetBytes();
                int length = wop.dataLength();
                boolean continues = runStart >= 0 && at == runStart + run.position();
                if (!continues || run.remaining() < length) {
                    flushRun(run, runStart);
                    runStart = at;
                }
                if (length > run.capacity()) {
                    file.write(at, ByteBuffer.wrap(wop.dataArray(), wop.dataOffset(), length));
                    runStart = -1;
                } else {
                    run.put(wop.dataArray(), wop.dataOffset(), length);
                }
            }
        }
        flushRun(run, runStart);
    }

    private void flushRun(ByteBuffer run, long at) throws IOException {
        if (at >= 0 && run.position() > 0) {
            file.write(at, run.flip());
        }
        run.clear();
    }

    /**
     * Writes committed pages (null: zeros), adjacent ones with one call, then runs
     * {@code onWritten} (on the writer thread): from then on they read back from the file.
     */
    void writePagesThen(List<? extends Map<Integer, ByteBuffer>> heights, Runnable onWritten) {
        run(() -> {
            int pageSize = geometry.pageSizeBytes();
            ByteBuffer zero = ByteBuffer.allocate(pageSize);
            for (Map<Integer, ByteBuffer> pages : heights) {
                ByteBuffer run = RUN.get().clear();
                long runStart = -1;
                for (Map.Entry<Integer, ByteBuffer> page : pages.entrySet()) {
                    long at = (long) page.getKey() * pageSize;
                    if (runStart < 0 || at != runStart + run.position()
                            || run.remaining() < pageSize) {
                        flushRun(run, runStart);
                        runStart = at;
                    }
                    run.put(page.getValue() == null ? zero.duplicate()
                            : page.getValue().duplicate());
                }
                flushRun(run, runStart);
            }
            onWritten.run();
        });
    }

    PageBase pages() {
        return new FilePages(file, geometry.pageSizeBytes());
    }

    /** Syncs after every queued write, then runs {@code onSynced} (on the writer thread). */
    void syncThen(Runnable onSynced) {
        run(() -> {
            file.sync();
            onSynced.run();
        });
    }

    /** Replaces the whole file by a snapshot's pages (absent pages are zeros), then syncs. */
    void replaceThen(Map<Integer, byte[]> pages, Runnable onSynced) {
        run(() -> {
            int pageSize = geometry.pageSizeBytes();
            byte[] zero = new byte[pageSize];
            for (int page = 0; page < geometry.pageCount(); page++) {
                byte[] content = pages.get(page);
                file.write((long) page * pageSize, content == null ? zero : content);
            }
            file.sync();
            onSynced.run();
        });
    }

    void close() {
        run(file::close);
    }

    /** Closes the file after every queued write and removes it: its epoch was handed over. */
    void closeAndDelete() {
        run(() -> {
            file.close();
            java.nio.file.Files.deleteIfExists(file.path());
        });
    }

    /** Null while healthy; after a failed write the file is left alone (the log still has it). */
    String failure() {
        return failure;
    }

    private interface FileTask {
        void run() throws IOException;
    }

    private void run(FileTask task) {
        writer.execute(() -> {
            if (failure != null) {
                return;
            }
            try {
                task.run();
            } catch (IOException e) {
                failure = e.getMessage();
                log.error("replica file {} failed: {}; it is no longer written", file.path(),
                        e.getMessage());
            }
        });
    }
}
