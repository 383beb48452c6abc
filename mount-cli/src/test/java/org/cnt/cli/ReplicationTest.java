package org.cnt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.cnt.chain.api.NodeClient;
import org.cnt.chain.api.TxSender;
import org.cnt.chain.api.Views;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.micro.ChunkOp;
import org.cnt.chain.micro.MicroMessage;
import org.cnt.chain.micro.Wop;
import org.cnt.chain.replication.ChainCopyGroups;
import org.cnt.chain.replication.Commit;
import org.cnt.chain.replication.ReplicationClient;
import org.cnt.chain.replication.ReplicationException;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.Chunk;
import org.cnt.chain.types.Genesis;
import org.cnt.chain.types.SliceRef;
import org.cnt.chain.types.TxPayload;
import org.cnt.farmer.FarmerDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consensus node and four farmer daemons in this JVM, on real sockets and real disks, with the
 * replication client writing and reading through them.
 */
class ReplicationTest {
    private static final KeyPair OWNER = KeyPair.fromLabel("replication-owner");
    private static final KeyPair STRANGER = KeyPair.fromLabel("replication-stranger");
    private static final int SLICE = 256 * 1024;

    /** The node's clock, which a test moves forward to make leases expire. */
    static final class ShiftedClock extends Clock {
        final java.util.concurrent.atomic.AtomicLong shiftMs = new java.util.concurrent.atomic.AtomicLong();

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.ofEpochMilli(System.currentTimeMillis() + shiftMs.get());
        }
    }

    @TempDir
    Path dir;
    final ShiftedClock clock = new ShiftedClock();
    LocalNetwork net;
    NodeClient chain;
    List<FarmerDaemon> farmers;
    ReplicationClient client;
    Views.Volume volume;

    @BeforeEach
    void start() throws Exception {
        ChainParams d = ChainParams.defaults();
        net = LocalNetwork.start(dir, "replication-test", new ChainParams(ChainParams.MB, SLICE,
                        4, 100, d.connectorWeightPpm(), d.minPriceUcntPerMd(), 20, 365, 7, 1000),
                List.of(new Genesis.Allocation(OWNER.address(), 1_000_000_000)), 4,
                2 * ChainParams.MB, clock, new LocalNetwork.Timing(20, 10, 100));
        chain = net.client();
        farmers = net.farmers();
        long rented = TxSender.send(chain, OWNER, new TxPayload.RentVolume("disk", 1, 30,
                chain.quote(1, 30).costUcnt())).height();
        volume = chain.volumes(OWNER.address()).getFirst();
        awaitServed();
        long deadline = System.currentTimeMillis() + 20_000;
        while (farmers.stream().anyMatch(f -> f.chainHeight() < rented)) {
            assertThat(System.currentTimeMillis()).as("farmers see the lease").isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(20);
        }
        client = new ReplicationClient(OWNER, new ChainCopyGroups(chain),
                ReplicationClient.Options.defaults());
    }

    /** Every farmer serves every chunk (four farmers, groups of four). */
    private void awaitServed() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            if (farmers.stream().allMatch(f -> f.chunks().size() == 2)) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new AssertionError("farmers never served their chunks: "
                + farmers.stream().map(FarmerDaemon::chunks).toList());
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (net != null) {
            net.close();
        }
    }

    @Test
    void writesCommitWithAProofAndReadBackVerified() throws Exception {
        SliceRef slice = volume.slices().getFirst();
        Hash session = Hash.sha256("session-1".getBytes());
        Commit opened = client.submit(ChunkOp.OpenSession.sign(OWNER, volume.id(),
                slice.chunkId(), session)).get(20, TimeUnit.SECONDS);
        assertThat(opened.height()).isPositive();

        Random random = new Random(7);
        byte[] expected = new byte[SLICE];
        List<CompletableFuture<Commit>> commits = new ArrayList<>();
        for (int seq = 1; seq <= 32; seq++) {
            byte[] data = new byte[4096];
            random.nextBytes(data);
            int offset = (seq - 1) * 4096;
            System.arraycopy(data, 0, expected, offset, data.length);
            commits.add(client.submit(ChunkOp.WopBatch.sign(OWNER, volume.id(), slice.chunkId(),
                    session, List.of(new Wop(slice.index(), seq, offset, data)))));
        }
        long height = 0;
        for (CompletableFuture<Commit> commit : commits) {
            height = Math.max(height, commit.get(20, TimeUnit.SECONDS).height());
        }
        long base = (long) slice.index() * SLICE;
        byte[] back = client.read(slice.chunkId(), base, 32 * 4096, Chunk.FIRST_EPOCH, height)
                .get(20, TimeUnit.SECONDS);
        assertThat(back).isEqualTo(java.util.Arrays.copyOf(expected, 32 * 4096));
        byte[] unaligned = client.read(slice.chunkId(), base + 100, 9000, Chunk.FIRST_EPOCH, height)
                .get(20, TimeUnit.SECONDS);
        assertThat(unaligned).isEqualTo(java.util.Arrays.copyOfRange(expected, 100, 9100));
    }

    @Test
    void aWriteSignedByAnotherKeyIsRefusedWithItsReason() throws Exception {
        SliceRef slice = volume.slices().getFirst();
        ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(
                ExecutionException.class, () -> client.submit(ChunkOp.WopBatch.sign(STRANGER,
                        volume.id(), slice.chunkId(), Hash.ZERO, List.of(new Wop(slice.index(),
                                1, 0, new byte[] {1})))).get(20, TimeUnit.SECONDS));
        assertThat(refused.getCause()).isInstanceOf(ReplicationException.Refused.class);
        assertThat(((ReplicationException.Refused) refused.getCause()).reason())
                .startsWith("not_owner");
    }

    @Test
    void forgedReplayedAndExpiredWritesFromARawClientAreRefusedAndOthersWriteOn()
            throws Exception {
        SliceRef slice = volume.slices().getFirst();
        long chunk = slice.chunkId();
        Hash session = Hash.sha256("session-raw".getBytes());
        client.submit(ChunkOp.OpenSession.sign(OWNER, volume.id(), chunk, session))
                .get(20, TimeUnit.SECONDS);
        ChunkOp first = ChunkOp.WopBatch.sign(OWNER, volume.id(), chunk, session,
                List.of(new Wop(slice.index(), 1, 0, "first".getBytes())));
        long firstHeight = client.submit(first).get(20, TimeUnit.SECONDS).height();
        long height = client.submit(ChunkOp.WopBatch.sign(OWNER, volume.id(), chunk, session,
                List.of(new Wop(slice.index(), 2, 0, "later".getBytes()))))
                .get(20, TimeUnit.SECONDS).height();

        try (RawFarmerClient raw = new RawFarmerClient(farmers.get(0).port(), STRANGER)) {
            MicroMessage answer = raw.submit(ChunkOp.WopBatch.sign(STRANGER, volume.id(), chunk,
                    session, List.of(new Wop(slice.index(), 3, 0, "forged".getBytes()))));
            assertThat(answer).isInstanceOf(MicroMessage.Rejected.class);
            assertThat(((MicroMessage.Rejected) answer).reason()).startsWith("not_owner");
        }

        // A replayed batch changes nothing: even a member restarted since answers it with the
        // original commit proof; an old sequence number in a new batch is refused.
        net.stopFarmer(1);
        net.restartFarmer(1);
        awaitServed();
        try (RawFarmerClient raw = new RawFarmerClient(farmers.get(1).port(), STRANGER)) {
            MicroMessage answer = raw.submit(first);
            assertThat(answer).isInstanceOf(MicroMessage.Committed.class);
            assertThat(((MicroMessage.Committed) answer).chain().getFirst().height())
                    .isEqualTo(firstHeight);
            answer = raw.submit(ChunkOp.WopBatch.sign(OWNER, volume.id(), chunk, session,
                    List.of(new Wop(slice.index(), 1, 0, "again".getBytes()))));
            assertThat(answer).isInstanceOf(MicroMessage.Rejected.class);
            assertThat(((MicroMessage.Rejected) answer).reason()).startsWith("sequence_replay");
        }
        Commit third = client.submit(ChunkOp.WopBatch.sign(OWNER, volume.id(), chunk, session,
                List.of(new Wop(slice.index(), 3, 5, "!".getBytes())))).get(20, TimeUnit.SECONDS);
        assertThat(third.height()).isGreaterThan(height);
        assertThat(new String(client.read(chunk, (long) slice.index() * SLICE, 6,
                third.epoch(), third.height()).get(20, TimeUnit.SECONDS))).isEqualTo("later!");

        clock.shiftMs.set(31L * 86_400_000);
        long expiry = chain.volume(volume.id()).expirySec();
        long deadline = System.currentTimeMillis() + 20_000;
        while (chain.status().timestampMs() / 1000 <= expiry + 1) {
            assertThat(System.currentTimeMillis()).as("chain time passes the expiry")
                    .isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(50);
        }
        long expiredAt = chain.status().height();
        while (farmers.stream().anyMatch(f -> f.chainHeight() < expiredAt)) {
            assertThat(System.currentTimeMillis()).as("farmers follow the chain")
                    .isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(20);
        }
        try (RawFarmerClient raw = new RawFarmerClient(farmers.get(2).port(), OWNER)) {
            MicroMessage answer = raw.submit(ChunkOp.WopBatch.sign(OWNER, volume.id(), chunk,
                    session, List.of(new Wop(slice.index(), 4, 0, "late".getBytes()))));
            assertThat(answer).isInstanceOf(MicroMessage.Rejected.class);
            assertThat(((MicroMessage.Rejected) answer).reason()).startsWith("lease_expired");
        }
    }

    @Test
    void writesGoOnAfterTheLeaderStops() throws Exception {
        SliceRef slice = volume.slices().getFirst();
        long chunk = slice.chunkId();
        Hash session = Hash.sha256("session-failover".getBytes());
        Commit opened = client.submit(ChunkOp.OpenSession.sign(OWNER, volume.id(), chunk,
                session)).get(20, TimeUnit.SECONDS);
        org.cnt.chain.replication.CopyGroup group = new ChainCopyGroups(chain).group(chunk);
        String leaderEndpoint = group.endpoints().get(opened.leader());
        int leader = -1;
        for (int i = 0; i < farmers.size(); i++) {
            if (leaderEndpoint.endsWith(":" + farmers.get(i).port())) {
                leader = i;
            }
        }
        assertThat(leader).isNotNegative();
        byte[] expected = new byte[64 * 4096];
        new Random(3).nextBytes(expected);
        List<CompletableFuture<Commit>> commits = new ArrayList<>();
        for (int seq = 1; seq <= 64; seq++) {
            if (seq == 16) {
                net.stopFarmer(leader);
            }
            int offset = (seq - 1) * 4096;
            commits.add(client.submit(ChunkOp.WopBatch.sign(OWNER, volume.id(), chunk, session,
                    List.of(new Wop(slice.index(), seq, offset,
                            java.util.Arrays.copyOfRange(expected, offset, offset + 4096))))));
        }
        long height = 0;
        for (CompletableFuture<Commit> commit : commits) {
            height = Math.max(height, commit.get(60, TimeUnit.SECONDS).height());
        }
        assertThat(client.read(chunk, (long) slice.index() * SLICE, expected.length,
                Chunk.FIRST_EPOCH, height)
                .get(20, TimeUnit.SECONDS)).isEqualTo(expected);
    }
}
