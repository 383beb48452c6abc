package org.cnt.blockdev.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.cnt.chain.micro.ChunkMeta;
import org.cnt.chain.micro.ChunkOp;
import org.cnt.chain.micro.Wop;
import org.cnt.chain.replication.ReplicationException;

/**
 * Copy groups in memory for tests of the device's own logic: one ordered log per chunk with the
 * members' rules (session, lease, exact next sequence number), commits acknowledged later on
 * another thread, and, when asked, batches lost before they are ordered. A client sees it through
 * a {@link Handle}: after the client crashes its handle delivers nothing more, as a dead process
 * hears no acknowledgement, while what the chain ordered stays ordered.
 */
final class MemoryReplicas {
    private final int sliceSizeBytes;
    private final int slicesPerChunk;
    private final Map<Long, byte[]> chunks = new HashMap<>();
    private final Map<Long, ChunkMeta> metas = new HashMap<>();
    private final Map<Long, Long> heights = new HashMap<>();
    private final Random random;
    private final ExecutorService acks = Executors.newSingleThreadExecutor();
    volatile double lossRate;
    volatile long nowSec = 1_000_000;
    int ordered;
    int lost;

    MemoryReplicas(int sliceSizeBytes, int slicesPerChunk, long seed) {
        this.sliceSizeBytes = sliceSizeBytes;
        this.slicesPerChunk = slicesPerChunk;
        this.random = new Random(seed);
    }

    Handle connect() {
        return new Handle();
    }

    void shutdown() throws InterruptedException {
        acks.shutdownNow();
        acks.awaitTermination(5, TimeUnit.SECONDS);
    }

    private synchronized byte[] chunk(long chunkId) {
        return chunks.computeIfAbsent(chunkId, c -> new byte[slicesPerChunk * sliceSizeBytes]);
    }

    private synchronized ChunkMeta meta(long chunkId) {
        return metas.computeIfAbsent(chunkId, c -> ChunkMeta.empty(slicesPerChunk));
    }

    /** Orders the operation now, or refuses it with the member's rule; null if it was lost. */
    private synchronized Object order(ChunkOp op) {
        if (lossRate > 0 && op instanceof ChunkOp.WopBatch && random.nextDouble() < lossRate) {
            lost++;
            return null;
        }
        ChunkMeta meta = meta(op.chunkId());
        ChunkMeta.Session held = meta.session();
        switch (op) {
            case ChunkOp.OpenSession open -> {
                if (held != null && !held.id().equals(open.sessionId()) && held.leasedAt(nowSec)) {
                    return new ReplicationException.Refused("session_held: session of "
                            + held.holder() + " until " + held.untilSec());
                }
            }
            case ChunkOp.CloseSession close -> {
                if (held == null || !held.id().equals(close.sessionId())) {
                    return new ReplicationException.Refused("wrong_session: not the open one");
                }
            }
            case ChunkOp.WopBatch batch -> {
                if (held == null || !held.id().equals(batch.sessionId())) {
                    return new ReplicationException.Refused("wrong_session: not the open one");
                }
                ChunkMeta after = meta;
                for (Wop wop : batch.wops()) {
                    long expected = after.sliceSeqs()[wop.sliceIndex()] + 1;
                    if (wop.sliceSeq() != expected || wop.endBytes() > sliceSizeBytes) {
                        return new ReplicationException("chunk " + op.chunkId() + ": no commit ("
                                + "slice " + wop.sliceIndex() + " seq " + wop.sliceSeq()
                                + ", expected " + expected + ")");
                    }
                    after = after.withSeq(wop.sliceIndex(), wop.sliceSeq());
                }
                byte[] bytes = chunk(op.chunkId());
                for (Wop wop : batch.wops()) {
                    System.arraycopy(wop.dataArray(), wop.dataOffset(), bytes,
                            wop.sliceIndex() * sliceSizeBytes + wop.offsetBytes(),
                            wop.dataLength());
                }
            }
            case ChunkOp.Seal seal -> throw new IllegalArgumentException("no seals here");
        }
        metas.put(op.chunkId(), meta.after(op));
        long height = heights.merge(op.chunkId(), 1L, Long::sum);
        ordered++;
        return new CommitPoint(0, height);
    }

    /** One client's connection. */
    final class Handle implements Replicas {
        private volatile boolean alive = true;

        @Override
        public CompletableFuture<CommitPoint> submit(ChunkOp op) {
            Object outcome = order(op);
            CompletableFuture<CommitPoint> future = new CompletableFuture<>();
            acks.execute(() -> {
                if (!alive) {
                    return;
                }
                switch (outcome) {
                    case CommitPoint point -> future.complete(point);
                    case Exception refused -> future.completeExceptionally(refused);
                    case null -> future.completeExceptionally(new ReplicationException(
                            "no commit after 12 attempts (lost)"));
                    default -> throw new IllegalStateException();
                }
            });
            return future;
        }

        @Override
        public CompletableFuture<byte[]> read(long chunkId, long offsetBytes, int lengthBytes,
                                              CommitPoint after) {
            synchronized (MemoryReplicas.this) {
                byte[] bytes = chunk(chunkId);
                return CompletableFuture.completedFuture(java.util.Arrays.copyOfRange(bytes,
                        (int) offsetBytes, (int) offsetBytes + lengthBytes));
            }
        }

        @Override
        public CompletableFuture<byte[]> readMeta(long chunkId, long sliceOffsetBytes,
                                                  CommitPoint after) {
            synchronized (MemoryReplicas.this) {
                return CompletableFuture.completedFuture(meta(chunkId).toBytes());
            }
        }

        @Override
        public long chainTimeSec() {
            return nowSec;
        }

        @Override
        public void close() {
            alive = false;
        }
    }
}
