package org.cnt.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.cnt.blockdev.LeaseExpiredException;
import org.cnt.blockdev.VolumeConfig;
import org.cnt.blockdev.internal.OpenVolume;
import org.cnt.chain.api.NodeClient;
import org.cnt.chain.api.TxSender;
import org.cnt.chain.api.Views;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.TxPayload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lease's end on real daemons, with the chain's clock moved on a day: the volume locks, its
 * farmers refuse its writes and reads, and the client says so (and how to extend it) instead
 * of waiting; extended inside the grace period, the writes it kept go out and every byte, from
 * before and during the lapse, reads back on another machine.
 */
class LeaseLifecycleTest {
    private static final KeyPair OWNER = KeyPair.fromLabel("lease-owner");
    private static final long DURING_AT = 80 * 4096;

    @TempDir
    Path dir;
    LocalNetwork net;

    @AfterEach
    void stop() {
        if (net != null) {
            net.close();
        }
    }

    /** The system clock, moved on by what the test says. */
    private static final class MovedClock extends Clock {
        private final AtomicLong aheadMs;
        private final ZoneId zone;

        MovedClock() {
            this(new AtomicLong(), ZoneOffset.UTC);
        }

        private MovedClock(AtomicLong aheadMs, ZoneId zone) {
            this.aheadMs = aheadMs;
            this.zone = zone;
        }

        void moveOn(long ms) {
            aheadMs.addAndGet(ms);
        }

        @Override
        public long millis() {
            return System.currentTimeMillis() + aheadMs.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        /** The same moved time, seen in {@code other}. */
        @Override
        public Clock withZone(ZoneId other) {
            return new MovedClock(aheadMs, other);
        }
    }

    private OpenVolume open(Views.Volume volume, String cache) throws Exception {
        return OpenVolume.open(new VolumeConfig(net.nodeUrl(), OWNER, volume.id(),
                dir.resolve(cache), VolumeConfig.MIN_CACHE_BYTES,
                VolumeConfig.DEFAULT_READ_CACHE_BYTES, false, "lease test"));
    }

    private void awaitFarmersAt(NodeClient chain) throws Exception {
        long height = chain.status().height();
        Eventually.await(() -> net.farmers().stream().allMatch(f -> f.chainHeight() >= height),
                "farmers follow the chain to " + height, 20_000);
    }

    @Test
    void anExpiredLeaseLocksTheVolumeAndAnExtensionInGraceBringsItBackIntact() throws Exception {
        MovedClock clock = new MovedClock();
        net = TestNetworks.fourFarmers(dir, "lease-test", OWNER, clock);
        NodeClient chain = net.client();
        TxSender.send(chain, OWNER, new TxPayload.RentVolume("disk", 1, 1,
                chain.quote(1, 1).costUcnt()));
        Views.Volume volume = chain.volumes(OWNER.address()).getFirst();
        awaitFarmersAt(chain);
        byte[] before = new byte[200_000];
        byte[] during = new byte[25 * 4096];
        new Random(3).nextBytes(before);
        new Random(4).nextBytes(during);

        try (OpenVolume device = open(volume, "cache")) {
            device.write(0, ByteBuffer.wrap(before));
            device.flush();

            clock.moveOn((ChainParams.SECONDS_PER_DAY + 60) * 1000);
            Eventually.await(() -> chain.volume(volume.id()).status().equals("locked"),
                    "the volume locks at its expiry", 20_000);
            awaitFarmersAt(chain);
            assertThatThrownBy(() -> device.write(250_000, ByteBuffer.wrap(new byte[100])))
                    .as("a write into a page it must read first").isInstanceOf(
                            LeaseExpiredException.class).hasMessageContaining("read pages");
            // Whole pages need nothing from the farmers: they wait in the write-back cache.
            device.write(DURING_AT, ByteBuffer.wrap(during));
            assertThatThrownBy(device::flush).isInstanceOf(LeaseExpiredException.class)
                    .hasMessageContaining("lease of volume " + volume.id() + " has expired")
                    .hasMessageContaining("cnt volume extend " + volume.id());
            assertThatThrownBy(() -> open(volume, "elsewhere").close())
                    .hasMessageContaining("locked").hasMessageContaining("cnt volume extend");

            Views.Volume locked = chain.volume(volume.id());
            assertThat(locked.graceEndsSec()).isGreaterThan(clock.millis() / 1000);
            TxSender.send(chain, OWNER, new TxPayload.ExtendVolume(volume.id(), 2,
                    chain.quote(1, 2).costUcnt() * 2));
            assertThat(chain.volume(volume.id()).status()).isEqualTo("active");
            awaitFarmersAt(chain);
            Eventually.await(() -> {
                try {
                    device.flush();
                    return true;
                } catch (LeaseExpiredException stillRefused) {
                    return false;
                }
            }, "the writes kept during the lapse commit once the lease is extended", 60_000);
        }

        try (OpenVolume device = open(volume, "another-machine")) {
            ByteBuffer first = ByteBuffer.allocate(before.length);
            device.read(0, first);
            assertThat(first.array()).as("written before the lease ran out").isEqualTo(before);
            ByteBuffer second = ByteBuffer.allocate(during.length);
            device.read(DURING_AT, second);
            assertThat(second.array()).as("written while it was locked").isEqualTo(during);
        }
    }

    /**
     * After the grace period the slices go back to the allocator; the next volume rented there
     * finds them empty: its session's opening erases the earlier lease's data, which it could
     * not decrypt (and would take for bad replicas) and must never see.
     */
    @Test
    void slicesReleasedAfterTheGracePeriodReachTheirNextOwnerErased() throws Exception {
        MovedClock clock = new MovedClock();
        net = TestNetworks.fourFarmers(dir, "release-test", OWNER, clock);
        NodeClient chain = net.client();
        long all = 8;
        TxSender.send(chain, OWNER, new TxPayload.RentVolume("first", all, 1,
                chain.quote(all, 1).costUcnt()));
        Views.Volume first = chain.volumes(OWNER.address()).getFirst();
        awaitFarmersAt(chain);
        byte[] data = new byte[1 << 20];
        new Random(5).nextBytes(data);
        try (OpenVolume device = open(first, "first-cache")) {
            for (long at = 0; at + data.length <= device.sizeBytes(); at += 2L << 20) {
                device.write(at, ByteBuffer.wrap(data));
            }
            device.flush();
        }

        ChainParams params = chain.status().params();
        clock.moveOn((1 + params.graceDays()) * ChainParams.SECONDS_PER_DAY * 1000 + 60_000);
        Eventually.await(() -> chain.volumes(OWNER.address()).isEmpty(),
                "the volume is released once its grace period is over", 20_000);
        KeyPair next = KeyPair.fromLabel("next-owner");
        long cost = chain.quote(all, 30).costUcnt();
        TxSender.send(chain, OWNER, new TxPayload.Transfer(next.address(), cost * 2));
        TxSender.send(chain, next, new TxPayload.RentVolume("second", all, 30, cost * 2));
        Views.Volume second = chain.volumes(next.address()).getFirst();
        assertThat(second.slices()).as("the same slices, rented again")
                .containsExactlyInAnyOrderElementsOf(first.slices());
        awaitFarmersAt(chain);

        try (OpenVolume device = OpenVolume.open(new VolumeConfig(net.nodeUrl(), next,
                second.id(), dir.resolve("second-cache"), VolumeConfig.MIN_CACHE_BYTES,
                VolumeConfig.DEFAULT_READ_CACHE_BYTES, false, "next owner"))) {
            ByteBuffer back = ByteBuffer.allocate((int) device.sizeBytes());
            device.read(0, back);
            assertThat(back.array()).as("nothing of the earlier lease")
                    .isEqualTo(new byte[(int) device.sizeBytes()]);
            device.write(4096, ByteBuffer.wrap(data, 0, 10_000));
            device.flush();
        }
        try (OpenVolume device = OpenVolume.open(new VolumeConfig(net.nodeUrl(), next,
                second.id(), dir.resolve("second-elsewhere"), VolumeConfig.MIN_CACHE_BYTES,
                VolumeConfig.DEFAULT_READ_CACHE_BYTES, false, "next owner elsewhere"))) {
            ByteBuffer back = ByteBuffer.allocate(10_000);
            device.read(4096, back);
            assertThat(back.array()).isEqualTo(java.util.Arrays.copyOf(data, 10_000));
        }
        assertThat(chain.farmers().stream().mapToLong(Views.Farmer::serviceReports).sum())
                .as("no farmer reported for serving the earlier lease's bytes").isZero();
    }
}
