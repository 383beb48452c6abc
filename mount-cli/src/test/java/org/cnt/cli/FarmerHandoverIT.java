package org.cnt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cnt.chain.api.NodeClient;
import org.cnt.chain.api.Views;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyFile;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.micro.ChunkOp;
import org.cnt.chain.micro.Wop;
import org.cnt.chain.replication.ChainCopyGroups;
import org.cnt.chain.replication.Commit;
import org.cnt.chain.replication.ReplicationClient;
import org.cnt.chain.types.SliceRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The handover as a farmer operator does it: a node and five {@code cnt farmer run} processes
 * (two groups of four and two spare slots), the owner writing; a member leaves with
 * {@code cnt farmer exit} mid-stream; the chain gives its place to the spare, the old epoch is
 * sealed, the spare fetches the chunk, every acknowledged byte reads back, the new epoch's
 * replica files are identical on its four members, and the farmer that left says it has nothing
 * left to serve.
 */
class FarmerHandoverIT {
    private static final int MIB = 1 << 20;
    private static final int WOP_BYTES = 128 << 10;
    private static final int SLICES = 16;

    /** Kept when the test fails: the farmers' logs are in it. */
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path home;

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFarmerThatExitsHandsItsChunksToASpareWithEveryByte() throws Exception {
        try (CntProcesses cnt = new CntProcesses(home)) {
            CntProcesses.Node node = cnt.startNode("--listen", "127.0.0.1:0", "--block-time",
                    "200ms", "--chunk-size", "16MiB");
            NodeClient api = new NodeClient(node.url());
            List<CntProcesses.Farmer> farmers = new ArrayList<>();
            List<KeyPair> keys = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                assertThat(cnt.run("--wallet", "f" + i, "wallet", "new").code()).isZero();
                keys.add(KeyFile.read(home.resolve("keys/f" + i + ".json"), null));
                farmers.add(cnt.startFarmer("--node", node.url(), "--wallet", "f" + i, "farmer",
                        "run", "--dir", home.resolve("farmer" + i).toString(), "--capacity",
                        "32M", "--listen", "127.0.0.1:0"));
            }
            await(() -> api.chunks().stream().filter(Views.Chunk::full).count() >= 2,
                    "two full copy groups");
            assertThat(cnt.run("--node", node.url(), "volume", "create", "--size", "16M",
                    "--days", "30", "--name", "it").code()).isZero();
            KeyPair owner = KeyFile.read(home.resolve("keys/default.json"), null);
            Views.Volume volume = api.volumes(owner.address()).getFirst();
            long chunk = volume.slices().getFirst().chunkId();
            Views.Chunk before = chunk(api, chunk);
            int leaving = farmerIndex(api, keys, before.members().getFirst());

            byte[] expected = new byte[SLICES * MIB];
            new Random(23).nextBytes(expected);
            try (ReplicationClient client = new ReplicationClient(owner,
                    new ChainCopyGroups(api), ReplicationClient.Options.defaults())) {
                Hash session = Hash.sha256("handover-it".getBytes());
                Set<Long> chunks = new HashSet<>();
                volume.slices().forEach(slice -> chunks.add(slice.chunkId()));
                for (long c : chunks) {
                    client.submit(ChunkOp.OpenSession.sign(owner, volume.id(), c, session))
                            .get(120, TimeUnit.SECONDS);
                }
                List<CompletableFuture<Commit>> pending = new ArrayList<>();
                int perSlice = MIB / WOP_BYTES;
                for (int round = 0; round < perSlice; round++) {
                    if (round == perSlice / 3) {
                        assertThat(cnt.run("--node", node.url(), "--wallet", "f" + leaving,
                                "farmer", "exit").code()).isZero();
                    }
                    for (int s = 0; s < SLICES; s++) {
                        pending.add(client.submit(write(owner, volume, session, s, round,
                                expected)));
                    }
                }
                // Heights count from each epoch's start: a read waits for the newest epoch's.
                long height = 0;
                long epoch = 0;
                for (CompletableFuture<Commit> commit : pending) {
                    Commit done = commit.get(180, TimeUnit.SECONDS);
                    long doneEpoch = done.epoch();
                    if (done.chunkId() == chunk && (doneEpoch > epoch
                            || doneEpoch == epoch && done.height() > height)) {
                        epoch = doneEpoch;
                        height = done.height();
                    }
                }
                Views.Chunk after = chunk(api, chunk);
                assertThat(after.epoch()).isGreaterThan(before.epoch());
                assertThat(after.members()).hasSize(4)
                        .doesNotContain(before.members().getFirst());
                for (int s = 0; s < SLICES; s++) {
                    SliceRef slice = volume.slices().get(s);
                    byte[] back = client.read(slice.chunkId(), (long) slice.index() * MIB, MIB,
                            slice.chunkId() == chunk ? epoch : 0,
                            slice.chunkId() == chunk ? height : 0).get(60, TimeUnit.SECONDS);
                    assertThat(back).as("slice %d", s).isEqualTo(java.util.Arrays.copyOfRange(
                            expected, s * MIB, (s + 1) * MIB));
                }
                List<Path> files = new ArrayList<>();
                for (long member : after.members()) {
                    files.add(home.resolve("farmer" + farmerIndex(api, keys, member))
                            .resolve("chunks").resolve(chunk + "-" + after.epoch() + ".replica"));
                }
                await(() -> identical(files), "the new epoch's replica files identical on its "
                        + "four members");
            }
            await(() -> Files.readString(farmers.get(leaving).log())
                    .contains("nothing is left to serve"), "the farmer that left says it is done");
        }
    }

    private static ChunkOp write(KeyPair owner, Views.Volume volume, Hash session, int s,
                                 int round, byte[] expected) {
        SliceRef slice = volume.slices().get(s);
        int offset = round * WOP_BYTES;
        return ChunkOp.WopBatch.sign(owner, volume.id(), slice.chunkId(), session,
                List.of(new Wop(slice.index(), round + 1, offset, java.util.Arrays.copyOfRange(
                        expected, s * MIB + offset, s * MIB + offset + WOP_BYTES))));
    }

    private static Views.Chunk chunk(NodeClient api, long id) throws Exception {
        return api.chunks().stream().filter(c -> c.id() == id).findFirst().orElseThrow();
    }

    private static int farmerIndex(NodeClient api, List<KeyPair> keys, long farmerId)
            throws Exception {
        Views.Farmer farmer = api.farmers().stream().filter(f -> f.id() == farmerId)
                .findFirst().orElseThrow();
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i).publicKey().equals(farmer.key())) {
                return i;
            }
        }
        throw new AssertionError("farmer " + farmerId + " is none of the test's");
    }

    private static boolean identical(List<Path> files) throws Exception {
        Set<String> digests = new HashSet<>();
        for (Path file : files) {
            if (!Files.exists(file)) {
                return false;
            }
            digests.add(Eventually.sha256(file));
        }
        return digests.size() == 1;
    }

    private static void await(Eventually.Condition condition, String what) throws Exception {
        Eventually.await(condition, what, 180_000);
    }
}
