package org.cnt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cnt.chain.api.NodeClient;
import org.cnt.chain.api.Views;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyFile;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.micro.ChunkOp;
import org.cnt.chain.micro.Wop;
import org.cnt.chain.replication.ChainCopyGroups;
import org.cnt.chain.replication.Commit;
import org.cnt.chain.replication.CopyGroup;
import org.cnt.chain.replication.ReplicationClient;
import org.cnt.chain.types.Chunk;
import org.cnt.chain.types.SliceRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node and four {@code cnt farmer run} processes on loopback. The client writes
 * {@link #SLICES_WRITTEN} MiB of random Wops in 128 KiB pieces; the leader of the chunk is
 * killed with {@code kill -9} a third of the way in; writes go on after the view change; every
 * acknowledged byte reads back verified; the killed farmer restarts and catches up until every
 * replica file of every chunk hashes the same on all four.
 */
class FarmerProcessIT {
    private static final int MIB = 1 << 20;
    private static final int WOP_BYTES = 128 << 10;
    private static final int WOPS_PER_BATCH = 2;
    /** MiB written: the whole 64 MiB volume, over four chunks. */
    private static final int SLICES_WRITTEN = 64;

    /** Kept when the test fails: the farmers' logs are in it. */
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path home;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void writesOutliveAKilledLeaderAndEveryReplicaEndsIdentical() throws Exception {
        try (CntProcesses cnt = new CntProcesses(home)) {
            // The farmer killed here comes back to catch up: replacing it is SelfRepairTest's.
            CntProcesses.Node node = cnt.startNode("--listen", "127.0.0.1:0", "--block-time",
                    "200ms", "--chunk-size", "16MiB", "--misses-to-replace", "0");
            NodeClient api = new NodeClient(node.url());
            List<String[]> farmerArgs = new ArrayList<>();
            Map<Integer, CntProcesses.Farmer> byPort = new HashMap<>();
            List<CntProcesses.Farmer> farmers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                assertThat(cnt.run("--wallet", "f" + i, "wallet", "new").code()).isZero();
                String[] args = {"--node", node.url(), "--wallet", "f" + i, "farmer", "run",
                    "--dir", home.resolve("farmer" + i).toString(), "--capacity", "64M",
                    "--listen", "127.0.0.1:0"};
                CntProcesses.Farmer farmer = cnt.startFarmer(args);
                // A restart keeps the port, so the chain's endpoint stays right.
                args[args.length - 1] = "127.0.0.1:" + farmer.port();
                farmerArgs.add(args);
                farmers.add(farmer);
                byPort.put(farmer.port(), farmer);
            }
            await(() -> api.chunks().stream().filter(Views.Chunk::full).count() >= 4,
                    "four full copy groups");
            assertThat(cnt.run("--node", node.url(), "volume", "create", "--size", "64M",
                    "--days", "30", "--name", "it").code()).isZero();
            KeyPair owner = KeyFile.read(home.resolve("keys/default.json"), null);
            Views.Volume volume = api.volumes(owner.address()).getFirst();

            byte[] expected = new byte[SLICES_WRITTEN * MIB];
            new Random(11).nextBytes(expected);
            try (ReplicationClient client = new ReplicationClient(owner,
                    new ChainCopyGroups(api), ReplicationClient.Options.defaults())) {
                Hash session = Hash.sha256("it-session".getBytes());
                List<Long> chunks = volume.slices().stream().map(SliceRef::chunkId).distinct()
                        .toList();
                for (long chunk : chunks) {
                    client.submit(ChunkOp.OpenSession.sign(owner, volume.id(), chunk, session))
                            .get(120, TimeUnit.SECONDS);
                }
                CopyGroup group = new ChainCopyGroups(api).group(chunks.getFirst());
                int leaderPort = port(group.endpoints().get(CopyGroup.leader(chunks.getFirst(),
                        0, group.size())));
                int killed = farmers.indexOf(byPort.get(leaderPort));

                Map<Long, Long> heights = new HashMap<>();
                List<CompletableFuture<Commit>> pending = new ArrayList<>();
                int batchesPerSlice = MIB / (WOP_BYTES * WOPS_PER_BATCH);
                int total = SLICES_WRITTEN * batchesPerSlice;
                int sent = 0;
                for (int round = 0; round < batchesPerSlice; round++) {
                    for (int s = 0; s < SLICES_WRITTEN; s++) {
                        if (sent++ == total / 3) {
                            CntProcesses.killHard(farmers.get(killed).process());
                        }
                        pending.add(client.submit(batch(owner, volume, session, s, round,
                                expected)));
                    }
                }
                for (CompletableFuture<Commit> commit : pending) {
                    Commit done = commit.get(180, TimeUnit.SECONDS);
                    heights.merge(done.chunkId(), done.height(), Math::max);
                }
                for (int s = 0; s < SLICES_WRITTEN; s++) {
                    SliceRef slice = volume.slices().get(s);
                    for (int part = 0; part < MIB; part += 256 << 10) {
                        byte[] back = client.read(slice.chunkId(),
                                (long) slice.index() * MIB + part, 256 << 10,
                                Chunk.FIRST_EPOCH, heights.get(slice.chunkId()))
                                .get(60, TimeUnit.SECONDS);
                        assertThat(back).as("slice %d at %d", s, part).isEqualTo(
                                java.util.Arrays.copyOfRange(expected, s * MIB + part,
                                        s * MIB + part + (256 << 10)));
                    }
                }
                farmers.set(killed, cnt.startFarmer(farmerArgs.get(killed)));
                await(() -> replicasIdentical(4), "every replica file identical on all four "
                        + "farmers after the restart");
                String restartLog = Files.readString(farmers.get(killed).log());
                assertThat(restartLog).as("the restarted farmer says how it caught up")
                        .contains("recovered at committed height")
                        .containsAnyOf("caught up", "installing a verified snapshot");
            }
        }
    }

    private static ChunkOp batch(KeyPair owner, Views.Volume volume, Hash session, int s,
                                 int round, byte[] expected) {
        SliceRef slice = volume.slices().get(s);
        List<Wop> wops = new ArrayList<>();
        for (int w = 0; w < WOPS_PER_BATCH; w++) {
            int offset = (round * WOPS_PER_BATCH + w) * WOP_BYTES;
            int from = s * MIB + offset;
            wops.add(new Wop(slice.index(), (long) round * WOPS_PER_BATCH + w + 1, offset,
                    java.util.Arrays.copyOfRange(expected, from, from + WOP_BYTES)));
        }
        return ChunkOp.WopBatch.sign(owner, volume.id(), slice.chunkId(), session, wops);
    }

    private static int port(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    /** Each chunk's replica file has the same SHA-256 on every farmer that holds one. */
    private boolean replicasIdentical(int farmers) throws Exception {
        Map<String, String> hashOf = new HashMap<>();
        Map<String, Integer> copies = new HashMap<>();
        for (int i = 0; i < farmers; i++) {
            Path dir = home.resolve("farmer" + i).resolve("chunks");
            if (!Files.isDirectory(dir)) {
                return false;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(p -> p.toString().endsWith(".replica")).toList()) {
                    String name = file.getFileName().toString();
                    String sha = Eventually.sha256(file);
                    if (hashOf.putIfAbsent(name, sha) != null && !hashOf.get(name).equals(sha)) {
                        return false;
                    }
                    copies.merge(name, 1, Integer::sum);
                }
            }
        }
        return !copies.isEmpty() && copies.values().stream().allMatch(c -> c == farmers);
    }

    private static void await(Eventually.Condition condition, String what) throws Exception {
        Eventually.await(condition, what, 180_000);
    }
}
