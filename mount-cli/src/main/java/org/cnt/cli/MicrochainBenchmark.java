package org.cnt.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.cnt.chain.api.NodeClient;
import org.cnt.chain.api.TxSender;
import org.cnt.chain.api.Views;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.micro.ChunkOp;
import org.cnt.chain.micro.Wop;
import org.cnt.chain.replication.ChainCopyGroups;
import org.cnt.chain.replication.ReplicationClient;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.Genesis;
import org.cnt.chain.types.SliceRef;
import org.cnt.chain.types.TxPayload;

/**
 * {@code cnt bench microchain}: a consensus node and four farmers on loopback, each farmer on
 * its own directory of the same disk, and the replication client writing random (so
 * incompressible, like encrypted) data through them. Figures: committed 4 KiB Wops per second,
 * MiB per second with 128 KiB Wops, and commit latency; the baseline is the same disk's
 * sequential write speed, measured in the same run.
 */
final class MicrochainBenchmark {
    private static final KeyPair OWNER = KeyPair.fromLabel("bench-microchain-owner");
    private static final int SLICE_BYTES = 1 << 20;

    /** The JSON field names are the ones issue 4 and report scripts read. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Result(@JsonProperty("wops_per_s_4k") double wopsPerS4k,
                  @JsonProperty("mib_per_s_128k") double mibPerS128k,
                  double commitP50Ms, double commitP99Ms, double diskSeqWriteMibPerS,
                  @JsonProperty("wops_per_batch_4k") int wopsPerBatch4k,
                  @JsonProperty("wops_per_batch_128k") int wopsPerBatch128k,
                  @JsonProperty("mib_4k") long mib4k, @JsonProperty("mib_128k") long mib128k,
                  int farmers, int chunks, int warmupSeconds,
                  @JsonProperty("cpu_ms_per_mib_4k") double cpuMsPerMib4k,
                  @JsonProperty("cpu_ms_per_mib_128k") double cpuMsPerMib128k, int cpus) {
    }

    /** {@code cpuSeconds}: of this whole process (node, farmers and client), for the phase. */
    private record Phase(double seconds, long wops, List<Double> latenciesMs, double cpuSeconds,
                         long bytes) {
        double cpuMsPerMib() {
            return cpuSeconds * 1000 / (bytes / (double) (1 << 20));
        }
    }

    private MicrochainBenchmark() {
    }

    static Result run(int volumeMib, int chunkMib, int wopsPerBatch4k, int wopsPerBatch128k,
                      int inFlight, int warmupSeconds) throws Exception {
        Path root = Files.createTempDirectory("cnt-bench-microchain");
        try {
            return runIn(root, volumeMib, chunkMib, wopsPerBatch4k, wopsPerBatch128k, inFlight,
                    warmupSeconds);
        } finally {
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static Result runIn(Path root, int volumeMib, int chunkMib, int wopsPerBatch4k,
                                int wopsPerBatch128k, int inFlight, int warmupSeconds)
            throws Exception {
        double diskMibPerS = diskSequentialWrite(root.resolve("baseline"), 512);
        ChainParams d = ChainParams.defaults();
        ChainParams params = new ChainParams((long) chunkMib * ChainParams.MB, SLICE_BYTES, 4,
                200, d.connectorWeightPpm(), d.minPriceUcntPerMd(), 20, 365, 7, 1000);
        int chunks = (volumeMib + chunkMib - 1) / chunkMib;
        long capacity = (long) (chunks + 1) * chunkMib * ChainParams.MB;
        try (LocalNetwork net = LocalNetwork.start(root, "bench", params,
                List.of(new Genesis.Allocation(OWNER.address(), Long.MAX_VALUE / 4)), 4,
                capacity, Clock.systemUTC(), new LocalNetwork.Timing(100, 20, 500))) {
            NodeClient chain = net.client();
            awaitChunks(chain, chunks);
            TxSender.send(chain, OWNER, new TxPayload.RentVolume("bench", volumeMib, 30,
                    chain.quote(volumeMib, 30).costUcnt()));
            Views.Volume volume = chain.volumes(OWNER.address()).getFirst();
            awaitServed(net, chunks);
            try (ReplicationClient client = new ReplicationClient(OWNER,
                    new ChainCopyGroups(chain), new ReplicationClient.Options(inFlight, 5_000,
                    20, 4096, org.cnt.chain.wire.Frames.DEFAULT_MAX_FRAME_BYTES))) {
                Writer writer = new Writer(client, volume, inFlight);
                writer.openSessions();
                // Each phase right after its own warm-up: the JIT recompiles for the other Wop
                // size's profile, and that is not what a farmer's steady state pays.
                writer.warmUp(4096, wopsPerBatch4k, warmupSeconds);
                Phase small = writer.write(4096, wopsPerBatch4k, () -> false);
                writer.warmUp(128 << 10, wopsPerBatch128k, warmupSeconds);
                Phase large = writer.write(128 << 10, wopsPerBatch128k, () -> false);
                List<Double> latencies = new ArrayList<>(small.latenciesMs());
                latencies.addAll(large.latenciesMs());
                latencies.sort(Double::compare);
                return new Result(small.wops() / small.seconds(),
                        large.wops() * 128.0 / 1024 / large.seconds(),
                        percentile(latencies, 0.50), percentile(latencies, 0.99), diskMibPerS,
                        perBatch(4096, wopsPerBatch4k), perBatch(128 << 10, wopsPerBatch128k),
                        volumeMib, volumeMib, 4, chunks,
                        warmupSeconds, small.cpuMsPerMib(), large.cpuMsPerMib(),
                        Runtime.getRuntime().availableProcessors());
            }
        }
    }

    /** Writes the whole volume once in Wops of {@code wopBytes}, pipelined across chunks. */
    private static final class Writer {
        private final ReplicationClient client;
        private final Views.Volume volume;
        private final Hash session = Hash.sha256("bench-session".getBytes());
        private final long[] nextSeq;
        private final byte[] random = new byte[4 << 20];
        private final Semaphore window;

        Writer(ReplicationClient client, Views.Volume volume, int inFlight) {
            this.client = client;
            this.volume = volume;
            this.window = new Semaphore(inFlight);
            this.nextSeq = new long[volume.slices().size()];
            Arrays.fill(nextSeq, 1);
            new Random(42).nextBytes(random);
        }

        void openSessions() throws Exception {
            List<CompletableFuture<?>> opened = new ArrayList<>();
            volume.slices().stream().map(SliceRef::chunkId).distinct().forEach(chunk -> {
                try {
                    opened.add(client.submit(ChunkOp.OpenSession.sign(OWNER, volume.id(), chunk,
                            session)));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            CompletableFuture.allOf(opened.toArray(CompletableFuture[]::new))
                    .get(60, TimeUnit.SECONDS);
        }

        /** Writes passes over the volume until {@code seconds} have gone by. */
        void warmUp(int wopBytes, int wopsPerBatch, int seconds) throws Exception {
            long start = System.nanoTime();
            BooleanSupplier over = () -> System.nanoTime() - start >= seconds * 1_000_000_000L;
            while (!over.getAsBoolean()) {
                write(wopBytes, wopsPerBatch, over);
            }
        }

        /**
         * Writes the whole volume once, or until {@code stop} says so, and waits for every write
         * to commit.
         */
        Phase write(int wopBytes, int wopsPerBatch, BooleanSupplier stop) throws Exception {
            int wopsPerSlice = SLICE_BYTES / wopBytes;
            int batchesPerSlice = Math.max(1, wopsPerSlice / wopsPerBatch);
            int perBatch = perBatch(wopBytes, wopsPerBatch);
            List<CompletableFuture<Double>> done = new ArrayList<>();
            long wops = 0;
            long start = System.nanoTime();
            long cpuStart = processCpuNanos();
            int sliceCount = volume.slices().size();
            // Round-robin over slices so every chunk's group works at once.
            passes:
            for (int round = 0; round < batchesPerSlice; round++) {
                for (int s = 0; s < sliceCount; s++) {
                    if (stop.getAsBoolean()) {
                        break passes;
                    }
                    SliceRef slice = volume.slices().get(s);
                    // A closed loop: latency counts from the moment a write may go out, not the
                    // time it queued behind the whole volume.
                    window.acquire();
                    List<Wop> batch = new ArrayList<>(perBatch);
                    for (int w = 0; w < perBatch; w++) {
                        int offset = (round * perBatch + w) * wopBytes;
                        int from = (int) ((wops * wopBytes) % (random.length - wopBytes));
                        batch.add(new Wop(slice.index(), nextSeq[s]++, offset, random, from,
                                wopBytes));
                        wops++;
                    }
                    long submitted = System.nanoTime();
                    done.add(client.submit(ChunkOp.WopBatch.sign(OWNER, volume.id(),
                            slice.chunkId(), session, batch))
                            .whenComplete((commit, error) -> window.release())
                            .thenApply(commit -> (System.nanoTime() - submitted) / 1e6));
                }
            }
            List<Double> latencies = new ArrayList<>();
            for (CompletableFuture<Double> future : done) {
                latencies.add(future.get(120, TimeUnit.SECONDS));
            }
            return new Phase((System.nanoTime() - start) / 1e9, wops, latencies,
                    (processCpuNanos() - cpuStart) / 1e9, wops * wopBytes);
        }
    }

    /** A batch stays inside one slice: the Wops per batch actually sent. */
    private static int perBatch(int wopBytes, int wopsPerBatch) {
        return Math.min(wopsPerBatch, SLICE_BYTES / wopBytes);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double percentile(List<Double> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1,
                Math.floor(p * sorted.size())));
    }

    /** The disk's own speed: 1 MiB sequential writes and one sync, as the farmers' files see it. */
    static double diskSequentialWrite(Path file, int mib) throws IOException {
        ByteBuffer block = ByteBuffer.allocateDirect(1 << 20);
        byte[] noise = new byte[1 << 20];
        new Random(1).nextBytes(noise);
        block.put(noise);
        long start = System.nanoTime();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int i = 0; i < mib; i++) {
                block.flip();
                while (block.hasRemaining()) {
                    channel.write(block);
                }
                block.limit(block.capacity());
            }
            channel.force(true);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Files.delete(file);
        return mib / seconds;
    }

    private static void awaitChunks(NodeClient chain, int chunks) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (chain.chunks().stream().filter(Views.Chunk::full).count() < chunks) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the farmers never formed " + chunks
                        + " full copy groups");
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private static void awaitServed(LocalNetwork net, int chunks) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (net.farmers().stream().anyMatch(f -> f.chunks().size() < chunks)) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the farmers never served their chunks");
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }
}
