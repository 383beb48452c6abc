package org.cnt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicReference;
import org.cnt.blockdev.VolumeConfig;
import org.cnt.blockdev.internal.OpenVolume;
import org.cnt.chain.api.NodeClient;
import org.cnt.chain.api.TxSender;
import org.cnt.chain.api.Views;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.Genesis;
import org.cnt.chain.types.TxPayload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Self-repair on real daemons: five farmers on loopback (two groups of four and two spare
 * replica slots, proof rounds of 2 s, a member replaced after two missed rounds). A farmer of
 * both groups stops for good while a client writes and flushes: the chain suspends it for its
 * misses and gives its places to the spares, which fetch the chunks from the members that stay;
 * the volume is written throughout, every flushed byte reads back, and the new groups' replica
 * files are identical.
 */
class SelfRepairTest {
    private static final String NETWORK = "repair-test";
    private static final KeyPair OWNER = KeyPair.fromLabel("repair-owner");
    private static final int SLICE = 256 * 1024;
    private static final int MISSES_TO_REPLACE = 2;

    @TempDir
    Path dir;
    LocalNetwork net;
    NetworkFarmers roster;

    @AfterEach
    void stop() {
        if (net != null) {
            net.close();
        }
    }

    @Test
    void aFarmerGoneForGoodIsReplacedByASpareWhileTheVolumeKeepsWorking() throws Exception {
        ChainParams d = ChainParams.defaults();
        net = LocalNetwork.start(dir, NETWORK, new ChainParams(ChainParams.MB, SLICE, 4, 100,
                        d.connectorWeightPpm(), d.minPriceUcntPerMd(), 20, 365, 7, 1000)
                        .withRepair(MISSES_TO_REPLACE, ChainParams.DEFAULT_REPORTERS_TO_BLACKLIST),
                List.of(new Genesis.Allocation(OWNER.address(), 1_000_000_000)), 5,
                2 * ChainParams.MB, Clock.systemUTC(), new LocalNetwork.Timing(20, 10, 100));
        NodeClient chain = net.client();
        roster = new NetworkFarmers(net, NETWORK, chain);
        long rented = TxSender.send(chain, OWNER, new TxPayload.RentVolume("disk", 2, 30,
                chain.quote(2, 30).costUcnt())).height();
        Views.Volume volume = chain.volumes(OWNER.address()).getFirst();
        Set<Long> chunks = new TreeSet<>();
        volume.slices().forEach(slice -> chunks.add(slice.chunkId()));
        assertThat(chunks).as("the volume spans both groups").hasSize(2);
        Eventually.await(() -> net.farmers().stream().allMatch(f -> f.chainHeight() >= rented),
                "farmers see the lease", 20_000);
        Map<Long, Views.Chunk> before = chunks(chain, chunks);
        long gone = inEveryGroup(before);
        int goneIndex = roster.index(gone);
        Eventually.await(() -> chain.farmer(gone).proofsPassed() >= 1,
                "the farmer to stop has passed a proof round", 30_000);

        Set<String> healths = new ConcurrentSkipListSet<>();
        try (OpenVolume device = OpenVolume.open(new VolumeConfig(net.nodeUrl(), OWNER,
                volume.id(), dir.resolve("cache"), VolumeConfig.MIN_CACHE_BYTES,
                VolumeConfig.DEFAULT_READ_CACHE_BYTES, false, "repair test"))) {
            byte[] disk = new byte[(int) device.sizeBytes()];
            Writer writer = new Writer(device, disk);
            Thread writing = Thread.ofPlatform().name("repair-test-writer").start(writer);
            try {
                Eventually.await(() -> writer.flushes() >= 3, "the client writes", 30_000);
                net.stopFarmer(goneIndex);
                Eventually.await(() -> {
                    Map<Long, Views.Chunk> now = chunks(chain, chunks);
                    now.values().forEach(c -> healths.add(c.health()));
                    return now.values().stream().allMatch(c -> !c.members().contains(gone)
                            && c.members().size() == 4 && c.health().equals("proven"));
                }, "both groups repaired and proven without the stopped farmer", 120_000);
                long flushesAtRepair = writer.flushes();
                Eventually.await(() -> writer.flushes() >= flushesAtRepair + 3,
                        "the client goes on writing in the repaired groups", 60_000);
            } finally {
                writer.stop();
                writing.join(60_000);
            }
            assertThat(writer.failure()).as("no write or flush failed").isNull();
            ByteBuffer back = ByteBuffer.allocate(disk.length);
            device.read(0, back);
            assertThat(back.array()).as("every flushed byte reads back").isEqualTo(disk);
        }

        assertThat(chain.farmer(gone).status()).isEqualTo("suspended");
        assertThat(chain.farmer(gone).chunks()).isEmpty();
        assertThat(healths).as("health shown while repairing").contains("repairing");
        Map<Long, Views.Chunk> after = chunks(chain, chunks);
        Map<Long, Set<Long>> newcomers = new TreeMap<>();
        for (long chunk : chunks) {
            assertThat(after.get(chunk).epoch()).isGreaterThan(before.get(chunk).epoch());
            Set<Long> fresh = new HashSet<>(after.get(chunk).members());
            fresh.removeAll(before.get(chunk).members());
            assertThat(fresh).as("chunk %d has one new member", chunk).hasSize(1);
            assertThat(after.get(chunk).members()).doesNotHaveDuplicates();
            newcomers.put(chunk, fresh);
        }
        for (Views.Farmer farmer : chain.farmers()) {
            assertThat(farmer.assignedReplicas()).as("farmer %d within its pledge", farmer.id())
                    .isLessThanOrEqualTo(farmer.replicaSlots());
        }
        Map<Long, Long> heights = new TreeMap<>();
        for (long chunk : chunks) {
            heights.put(chunk, roster.awaitSameHeight(after.get(chunk)));
        }
        List<Path[]> replicaFiles = new ArrayList<>();
        for (long chunk : chunks) {
            List<Path> files = new ArrayList<>();
            for (long member : after.get(chunk).members()) {
                files.add(dir.resolve("farmer" + roster.index(member)).resolve("chunks")
                        .resolve(chunk + "-" + after.get(chunk).epoch() + ".replica"));
            }
            replicaFiles.add(files.toArray(Path[]::new));
        }
        net.close();
        net = null;
        for (Path[] files : replicaFiles) {
            Set<String> digests = new HashSet<>();
            for (Path file : files) {
                digests.add(Eventually.sha256(file));
            }
            assertThat(digests).as("replica files of %s are identical (heights %s)",
                    files[0].getFileName(), heights).hasSize(1);
        }
    }

    /** Random writes of up to 64 KiB, a flush after every few; the model follows each flush. */
    private static final class Writer implements Runnable {
        private final OpenVolume device;
        private final byte[] disk;
        private final Random random = new Random(7);
        private volatile boolean stopped;
        private volatile long flushes;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Writer(OpenVolume device, byte[] disk) {
            this.device = device;
            this.disk = disk;
        }

        @Override
        public void run() {
            try {
                while (!stopped) {
                    for (int i = 0; i < 4; i++) {
                        byte[] data = new byte[1 + random.nextInt(64 * 1024)];
                        random.nextBytes(data);
                        int at = random.nextInt(disk.length - data.length);
                        device.write(at, ByteBuffer.wrap(data));
                        System.arraycopy(data, 0, disk, at, data.length);
                    }
                    device.flush();
                    flushes++;
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        }

        long flushes() {
            if (failure.get() != null) {
                throw new AssertionError("the client failed", failure.get());
            }
            return flushes;
        }

        Throwable failure() {
            return failure.get();
        }

        void stop() {
            stopped = true;
        }
    }

    private static Map<Long, Views.Chunk> chunks(NodeClient chain, Set<Long> ids)
            throws Exception {
        Map<Long, Views.Chunk> byId = new TreeMap<>();
        for (Views.Chunk chunk : chain.chunks()) {
            if (ids.contains(chunk.id())) {
                byId.put(chunk.id(), chunk);
            }
        }
        return byId;
    }

    /** A farmer that is a member of every group given: its loss needs every group repaired. */
    private static long inEveryGroup(Map<Long, Views.Chunk> groups) {
        Map<Long, Integer> count = new TreeMap<>();
        groups.values().forEach(g -> g.members().forEach(m -> count.merge(m, 1, Integer::sum)));
        return count.entrySet().stream().filter(e -> e.getValue() == groups.size())
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }

}
