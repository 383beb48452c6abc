package org.cnt.farmer.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.micro.ChunkOp;
import org.cnt.chain.micro.MicroBlock;
import org.cnt.chain.micro.QuorumCert;
import org.cnt.chain.micro.Wop;
import org.cnt.farmer.microchain.WalEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicaStoreTest {
    private static final KeyPair LEADER = KeyPair.fromLabel("leader");
    private static final KeyPair OWNER = KeyPair.fromLabel("owner");

    @TempDir
    Path dir;

    private static WalEntry.BlockEntry block(long height) {
        ChunkOp op = ChunkOp.WopBatch.sign(OWNER, 1, 7, Hash.ZERO,
                List.of(new Wop(0, height, 0, new byte[] {(byte) height})));
        QuorumCert justify = new QuorumCert(7, 0, 0, height - 1, Hash.sha256(new byte[] {
                (byte) height}), 0, List.of());
        return new WalEntry.BlockEntry(MicroBlock.propose(LEADER, 0, justify, 0, 0, Hash.ZERO,
                List.of(op.digest())), List.of(op));
    }

    @Test
    void entriesSurviveAReopenInTheOrderTheyWereWritten() throws Exception {
        List<WalEntry> written = List.of(block(1), new WalEntry.VoteEntry(0, 1),
                new WalEntry.LockEntry(QuorumCert.genesis(7, 0)),
                new WalEntry.CommitEntry(1, Hash.sha256(new byte[] {1}), block(2).block(),
                        QuorumCert.genesis(7, 0)));
        try (ReplicaStore store = ReplicaStore.open(dir.resolve("db"))) {
            ChunkLog log = store.log(7, 0);
            CountDownLatch durable = new CountDownLatch(written.size());
            written.forEach(entry -> log.append(entry, durable::countDown));
            assertThat(durable.await(10, TimeUnit.SECONDS)).isTrue();
            store.log(8, 0).append(new WalEntry.VoteEntry(3, 3), null);
        }
        try (ReplicaStore store = ReplicaStore.open(dir.resolve("db"))) {
            List<WalEntry> back = store.log(7, 0).entries();
            assertThat(back).hasSize(4);
            assertThat(((WalEntry.BlockEntry) back.get(0)).block())
                    .isEqualTo(((WalEntry.BlockEntry) written.get(0)).block());
            assertThat(back.subList(1, 3)).isEqualTo(written.subList(1, 3));
            WalEntry.CommitEntry commit = (WalEntry.CommitEntry) back.get(3);
            WalEntry.CommitEntry original = (WalEntry.CommitEntry) written.get(3);
            assertThat(commit.hash()).isEqualTo(original.hash());
            assertThat(commit.certifying()).as("the commit's proof survives a restart")
                    .isEqualTo(original.certifying());
            assertThat(commit.proofQc()).isEqualTo(original.proofQc());
            assertThat(store.log(8, 0).entries()).containsExactly(new WalEntry.VoteEntry(3, 3));
            assertThat(store.log(7, 1).entries()).as("another epoch is another log").isEmpty();
        }
    }

    @Test
    void aCheckpointDropsWhatRecoveryNoLongerNeeds() throws Exception {
        try (ReplicaStore store = ReplicaStore.open(dir.resolve("db"))) {
            ChunkLog log = store.log(7, 0);
            for (long h = 1; h <= 4; h++) {
                log.append(block(h), null);
                log.append(new WalEntry.VoteEntry(0, h), null);
                log.append(new WalEntry.CommitEntry(h, Hash.sha256(new byte[] {(byte) h})), null);
            }
            CountDownLatch durable = new CountDownLatch(1);
            log.checkpoint(new Checkpoint(2, Hash.sha256(new byte[] {2}), new byte[] {9}),
                    durable::countDown);
            assertThat(durable.await(10, TimeUnit.SECONDS)).isTrue();
        }
        try (ReplicaStore store = ReplicaStore.open(dir.resolve("db"))) {
            ChunkLog log = store.log(7, 0);
            assertThat(log.checkpoint().height()).isEqualTo(2);
            assertThat(log.checkpoint().meta()).containsExactly(9);
            List<Long> blockHeights = new ArrayList<>();
            List<Long> commitHeights = new ArrayList<>();
            for (WalEntry entry : log.entries()) {
                if (entry instanceof WalEntry.BlockEntry b) {
                    blockHeights.add(b.block().justify().height() + 1);
                } else if (entry instanceof WalEntry.CommitEntry c) {
                    commitHeights.add(c.height());
                }
            }
            assertThat(commitHeights).containsExactly(3L, 4L);
            assertThat(log.entries()).filteredOn(e -> e instanceof WalEntry.VoteEntry)
                    .containsExactly(new WalEntry.VoteEntry(0, 4));
        }
    }

    @Test
    void concurrentWritersShareSyncs() throws Exception {
        try (ReplicaStore store = ReplicaStore.open(dir.resolve("db"))) {
            int chunks = 8;
            int perChunk = 500;
            CountDownLatch durable = new CountDownLatch(chunks * perChunk);
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < chunks; c++) {
                ChunkLog log = store.log(c, 0);
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < perChunk; i++) {
                        log.append(new WalEntry.VoteEntry(0, i), durable::countDown);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(durable.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(store.entries()).isEqualTo((long) chunks * perChunk);
            assertThat(store.batches()).as("group commit: far fewer syncs than entries")
                    .isLessThan(store.entries() / 4);
        }
    }

    @Test
    void aChunkFileIsPreallocatedAndKeepsItsPages() throws Exception {
        Path path = dir.resolve("7.replica");
        try (ChunkFile file = ChunkFile.open(path, 64 * 1024)) {
            file.write(4096 * 3 + 10, new byte[] {1, 2, 3});
            file.sync();
        }
        assertThat(path.toFile().length()).isEqualTo(64 * 1024);
        try (ChunkFile file = ChunkFile.open(path, 64 * 1024)) {
            Map<Integer, byte[]> pages = file.nonZeroPages(4096);
            assertThat(pages).containsOnlyKeys(3);
            assertThat(file.read(4096 * 3 + 9, 5)).containsExactly(0, 1, 2, 3, 0);
        }
    }

    /** A block of {@code kib} KiB of Wops: large enough to go to the data log. */
    /** A block entry the log writer gathers from its parts decodes to the same block and ops. */
    @Test
    void aBlockEntryWrittenFromItsPartsIsItsEncoding() throws Exception {
        ChunkOp open = ChunkOp.OpenSession.sign(OWNER, 1, 7, Hash.ZERO);
        WalEntry.BlockEntry big = bigBlock(3, 64);
        WalEntry.BlockEntry mixed = new WalEntry.BlockEntry(MicroBlock.propose(LEADER, 0,
                new QuorumCert(7, 0, 0, 2, Hash.ZERO, 0, List.of()), 0, 0, Hash.ZERO,
                List.of(open.digest(), big.ops().getFirst().digest())),
                List.of(open, big.ops().getFirst()));
        for (WalEntry.BlockEntry entry : List.of(big, mixed)) {
            java.io.ByteArrayOutputStream gathered = new java.io.ByteArrayOutputStream();
            for (java.nio.ByteBuffer part : WalCodec.encodeParts(7, entry)) {
                byte[] bytes = new byte[part.remaining()];
                part.duplicate().get(bytes);
                gathered.writeBytes(bytes);
            }
            WalEntry.BlockEntry back = (WalEntry.BlockEntry) WalCodec.decode(
                    gathered.toByteArray());
            assertThat(back.block()).isEqualTo(entry.block());
            assertThat(back.ops()).hasSameSizeAs(entry.ops());
            for (int i = 0; i < entry.ops().size(); i++) {
                assertThat(back.ops().get(i).toBytes()).isEqualTo(entry.ops().get(i).toBytes());
            }
        }
    }

    private static WalEntry.BlockEntry bigBlock(long height, int kib) {
        byte[] data = new byte[kib << 10];
        new java.util.Random(height).nextBytes(data);
        ChunkOp op = ChunkOp.WopBatch.sign(OWNER, 1, 7, Hash.ZERO,
                List.of(new Wop(0, height, 0, data)));
        QuorumCert justify = new QuorumCert(7, 0, 0, height - 1, Hash.ZERO, 0, List.of());
        return new WalEntry.BlockEntry(MicroBlock.propose(LEADER, 0, justify, 0, 0, Hash.ZERO,
                List.of(op.digest())), List.of(op));
    }

    private static long segments(Path dir) throws Exception {
        try (var files = java.nio.file.Files.list(dir.resolveSibling(dir.getFileName()
                + "-data"))) {
            return files.filter(f -> f.toString().endsWith(".seg")).count();
        }
    }

    @Test
    void largeBlocksGoToTheDataLogSurviveAReopenAndTheirSegmentsGoWithTheCheckpoint()
            throws Exception {
        Path db = dir.resolve("db");
        List<WalEntry.BlockEntry> written = new ArrayList<>();
        try (ReplicaStore store = ReplicaStore.open(db)) {
            ChunkLog log = store.log(7, 0);
            CountDownLatch durable = new CountDownLatch(80);
            for (long h = 1; h <= 80; h++) {
                WalEntry.BlockEntry block = bigBlock(h, 1024);
                written.add(block);
                log.append(block, durable::countDown);
                log.append(new WalEntry.CommitEntry(h, block.block().hash()), null);
            }
            assertThat(durable.await(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(segments(db)).as("80 MiB fill more than one segment").isGreaterThan(1);
        try (ReplicaStore store = ReplicaStore.open(db)) {
            ChunkLog log = store.log(7, 0);
            List<WalEntry.BlockEntry> back = log.entries().stream()
                    .filter(WalEntry.BlockEntry.class::isInstance)
                    .map(WalEntry.BlockEntry.class::cast).toList();
            assertThat(back).hasSize(80);
            for (int i = 0; i < 80; i++) {
                assertThat(back.get(i).block()).isEqualTo(written.get(i).block());
                assertThat(back.get(i).ops()).isEqualTo(written.get(i).ops());
            }
            CountDownLatch durable = new CountDownLatch(1);
            log.checkpoint(new Checkpoint(80, written.getLast().block().hash(), new byte[] {1}),
                    durable::countDown);
            assertThat(durable.await(10, TimeUnit.SECONDS)).isTrue();
            // One more synced batch: the writer releases segments after the batch that deleted
            // their last pointer.
            CountDownLatch after = new CountDownLatch(1);
            store.log(8, 0).append(new WalEntry.VoteEntry(1, 1), after::countDown);
            assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
        }
        try (ReplicaStore store = ReplicaStore.open(db)) {
            assertThat(store.log(7, 0).entries()).isEmpty();
        }
        assertThat(segments(db)).as("no segment outlives its entries").isZero();
    }

    @Test
    void loggedBlocksReadBackByHashOnAnotherThreadUntilACheckpointDropsThem() throws Exception {
        try (ReplicaStore store = ReplicaStore.open(dir.resolve("db"));
             var reader = java.util.concurrent.Executors.newSingleThreadExecutor()) {
            ChunkLog log = store.log(7, 0);
            List<WalEntry.BlockEntry> written = new ArrayList<>();
            CountDownLatch durable = new CountDownLatch(20);
            for (long h = 1; h <= 20; h++) {
                // Odd heights go to the data log, even ones stay in the database.
                WalEntry.BlockEntry block = h % 2 == 1 ? bigBlock(h, 256) : block(h);
                written.add(block);
                log.append(block, durable::countDown);
            }
            assertThat(durable.await(30, TimeUnit.SECONDS)).isTrue();
            List<Hash> hashes = new ArrayList<>(written.stream().map(b -> b.block().hash())
                    .toList());
            hashes.add(Hash.sha256("never logged".getBytes()));
            var read = log.blockReader(hashes);
            List<WalEntry.BlockEntry> back = reader.submit(() -> hashes.stream()
                    .map(read).toList()).get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 20; i++) {
                assertThat(back.get(i).block()).isEqualTo(written.get(i).block());
                assertThat(back.get(i).ops()).isEqualTo(written.get(i).ops());
            }
            assertThat(back.get(20)).as("a hash the log never had").isNull();

            CountDownLatch checkpointed = new CountDownLatch(1);
            log.checkpoint(new Checkpoint(10, written.get(9).block().hash(), new byte[] {1}),
                    checkpointed::countDown);
            assertThat(checkpointed.await(10, TimeUnit.SECONDS)).isTrue();
            CountDownLatch after = new CountDownLatch(1);
            store.log(8, 0).append(new WalEntry.VoteEntry(1, 1), after::countDown);
            assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
            List<WalEntry.BlockEntry> afterCheckpoint = reader.submit(() -> hashes.stream()
                    .limit(20).map(read).toList()).get(10, TimeUnit.SECONDS);
            assertThat(afterCheckpoint.subList(0, 10)).as("dropped by the checkpoint, data log "
                    + "records included: read as gone, not as other bytes").containsOnlyNulls();
            for (int i = 10; i < 20; i++) {
                assertThat(afterCheckpoint.get(i).block()).isEqualTo(written.get(i).block());
            }
            assertThat(log.blockReader(hashes.subList(0, 10)).apply(hashes.get(0))).isNull();
        }
    }

    @Test
    void aCorruptDataLogRecordIsRefusedWithItsPlaceNotReadAsData() throws Exception {
        Path db = dir.resolve("db");
        try (ReplicaStore store = ReplicaStore.open(db)) {
            CountDownLatch durable = new CountDownLatch(1);
            store.log(7, 0).append(bigBlock(1, 128), durable::countDown);
            assertThat(durable.await(10, TimeUnit.SECONDS)).isTrue();
        }
        Path segment;
        try (var files = java.nio.file.Files.list(db.resolveSibling("db-data"))) {
            segment = files.filter(f -> f.toString().endsWith(".seg")).findFirst().orElseThrow();
        }
        try (var channel = java.nio.channels.FileChannel.open(segment,
                java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), 5000);
        }
        try (ReplicaStore store = ReplicaStore.open(db)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.log(7, 0))
                    .isInstanceOf(org.cnt.farmer.FarmerException.class)
                    .hasMessageContaining("corrupt");
        }
    }
}
