package org.cnt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.cnt.blockdev.VolumeConfig;
import org.cnt.blockdev.internal.OpenVolume;
import org.cnt.chain.api.NodeClient;
import org.cnt.chain.api.TxSender;
import org.cnt.chain.api.Views;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.types.TxPayload;
import org.cnt.chain.replication.ChainCopyGroups;
import org.cnt.chain.replication.CopyGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The block device on a consensus node and four farmer daemons in this JVM (real sockets, real
 * RocksDB and replica files): what it writes reads back through every fault a farmer can have.
 */
class VolumeOnFarmersTest {
    private static final KeyPair OWNER = KeyPair.fromLabel("volume-owner");

    @TempDir
    Path dir;
    LocalNetwork net;
    NodeClient chain;
    Views.Volume volume;

    @BeforeEach
    void start() throws Exception {
        net = TestNetworks.fourFarmers(dir, "volume-test", OWNER);
        chain = net.client();
        long rented = TxSender.send(chain, OWNER, new TxPayload.RentVolume("disk", 8, 30,
                chain.quote(8, 30).costUcnt())).height();
        volume = chain.volumes(OWNER.address()).getFirst();
        long deadline = System.currentTimeMillis() + 30_000;
        while (net.farmers().stream().anyMatch(f -> f.chainHeight() < rented
                || f.chunks().size() < 2)) {
            assertThat(System.currentTimeMillis()).as("farmers serve the volume's chunks")
                    .isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    @AfterEach
    void stop() {
        if (net != null) {
            net.close();
        }
    }

    private OpenVolume open(String cache) throws Exception {
        return OpenVolume.open(new VolumeConfig(net.nodeUrl(), OWNER, volume.id(),
                dir.resolve(cache), VolumeConfig.MIN_CACHE_BYTES,
                VolumeConfig.DEFAULT_READ_CACHE_BYTES, false, "volume test"));
    }

    private static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] read(OpenVolume device, long offset, int length) throws Exception {
        ByteBuffer into = ByteBuffer.allocate(length);
        device.read(offset, into);
        return into.array();
    }

    @Test
    void writesSurviveAFarmerStoppedMidWayAndReadBackAfterReopening() throws Exception {
        byte[] data = random(6 << 20, 1);
        try (OpenVolume device = open("cache")) {
            assertThat(device.sizeBytes()).isGreaterThanOrEqualTo(data.length);
            for (int at = 0; at < data.length; at += 128 << 10) {
                if (at == 2 << 20) {
                    net.stopFarmer(2);
                }
                device.write(at, ByteBuffer.wrap(data, at, 128 << 10));
            }
            device.write(12_345, ByteBuffer.wrap(data, 0, 5000));
            System.arraycopy(data, 0, data, 12_345, 5000);
            device.flush();
            assertThat(read(device, 0, data.length)).isEqualTo(data);
        }
        net.restartFarmer(2);
        try (OpenVolume device = open("other-cache")) {
            assertThat(read(device, 0, data.length)).as("another machine reads it all back")
                    .isEqualTo(data);
        }
    }

    /**
     * Flips bytes in one member's replica of the chunk at a time (flipping again restores it):
     * reads always return the right bytes, a member is reported only while its replica is bad,
     * and the member a client asks first is one of the four, so one of them is reported.
     */
    @Test
    void bytesFlippedInOneReplicaFileAreSkippedTheRightBytesReadAndTheFarmerReported()
            throws Exception {
        byte[] data = random(2 << 20, 2);
        try (OpenVolume device = open("cache")) {
            device.write(0, ByteBuffer.wrap(data));
            device.flush();
        }
        long chunk = volume.slices().getFirst().chunkId();
        CopyGroup group = new ChainCopyGroups(chain).group(chunk);
        awaitPagesInFiles(group, chunk);
        long reported = 0;
        for (int member = 0; member < group.size(); member++) {
            String endpoint = group.endpoints().get(member);
            Views.Farmer farmer = chain.farmers().stream()
                    .filter(f -> f.endpoint().equals(endpoint)).findFirst().orElseThrow();
            int index = farmerIndex(endpoint);
            Path replica = replicaOf(index, chunk);
            flipBytes(replica);
            long othersBefore = reportsExcept(farmer.id());
            try (OpenVolume device = open("cache-" + member)) {
                assertThat(read(device, 0, data.length)).isEqualTo(data);
            }
            flipBytes(replica);
            assertThat(reportsExcept(farmer.id())).as("no member with a good replica reported")
                    .isEqualTo(othersBefore);
            reported += chain.farmer(farmer.id()).serviceReports();
        }
        long total = reported;
        Eventually.await(() -> chain.farmers().stream().mapToLong(Views.Farmer::serviceReports)
                .sum() >= 1, "the member asked first reported in its turn (" + total + ")",
                30_000);
    }

    /**
     * A replica serves its newest heights from memory and writes them to its file once the
     * chunk idles; bytes flipped before that would be overwritten, not served.
     */
    private void awaitPagesInFiles(CopyGroup group, long chunk) throws Exception {
        long committed = 0;
        for (String endpoint : group.endpoints()) {
            committed = Math.max(committed, net.farmer(farmerIndex(endpoint))
                    .committedHeight(chunk));
        }
        long written = committed;
        Eventually.await(() -> {
            for (String endpoint : group.endpoints()) {
                if (net.farmer(farmerIndex(endpoint)).fileHeight(chunk) < written) {
                    return false;
                }
            }
            return true;
        }, "every member wrote height " + written + " of chunk " + chunk + " to its file",
                30_000);
    }

    private int farmerIndex(String endpoint) {
        for (int i = 0; i < net.farmers().size(); i++) {
            if (endpoint.endsWith(":" + net.farmer(i).port())) {
                return i;
            }
        }
        throw new AssertionError("no farmer serves at " + endpoint);
    }

    private Path replicaOf(int farmer, long chunk) throws java.io.IOException {
        try (var files = Files.list(dir.resolve("farmer" + farmer).resolve("chunks"))) {
            return files.filter(p -> p.getFileName().toString().startsWith(chunk + "-"))
                    .findFirst().orElseThrow();
        }
    }

    private static void flipBytes(Path replica) throws java.io.IOException {
        try (FileChannel channel = FileChannel.open(replica, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            for (long at = 0; at < channel.size(); at += 4096) {
                ByteBuffer one = ByteBuffer.allocate(1);
                channel.read(one, at + 100);
                one.put(0, (byte) (one.get(0) ^ 0x5A)).rewind();
                channel.write(one, at + 100);
            }
            channel.force(true);
        }
    }

    private long reportsExcept(long farmerId) throws Exception {
        return chain.farmers().stream().filter(f -> f.id() != farmerId)
                .mapToLong(Views.Farmer::serviceReports).sum();
    }
}
