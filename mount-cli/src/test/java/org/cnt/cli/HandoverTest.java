package org.cnt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cnt.chain.api.NodeClient;
import org.cnt.chain.api.TxSender;
import org.cnt.chain.api.Views;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.micro.ChunkOp;
import org.cnt.chain.micro.Wop;
import org.cnt.chain.replication.ChainCopyGroups;
import org.cnt.chain.replication.Commit;
import org.cnt.chain.replication.ReplicationClient;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.Genesis;
import org.cnt.chain.types.SliceRef;
import org.cnt.chain.types.TxPayload;
import org.cnt.farmer.FarmerDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A membership change on real daemons: five farmers on loopback (two groups of four, two spare
 * replica slots), a member exits on the main chain while the owner writes, the chain hands its
 * place to a spare; the old epoch is sealed, the members that stay carry its state into the new
 * one, the spare fetches it from them, and every acknowledged byte reads back.
 */
class HandoverTest {
    private static final String NETWORK = "handover-test";
    private static final KeyPair OWNER = KeyPair.fromLabel("handover-owner");
    private static final int SLICE = 256 * 1024;
    private static final int WRITE = 4096;

    @TempDir
    Path dir;
    LocalNetwork net;
    NetworkFarmers roster;
    ReplicationClient client;

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
    void aMemberExitsMidStreamAndASpareTakesItsPlaceWithEveryByte() throws Exception {
        exitMidStream(false, 5);
    }

    /**
     * No spare: the group goes on with the three members that stay (a quorum of three of three),
     * from the sealed state, and writes continue.
     */
    @Test
    void withNoSpareTheThreeMembersThatStayGoOnWithEveryByte() throws Exception {
        exitMidStream(false, 4);
    }

    /**
     * A member that stays is down when the chain moves the chunk on: the old epoch seals without
     * it, the new one cannot certify a block until it is back (two of four hold the state), and
     * the restarted farmer reopens its old epoch from the recorded group, catches up to the seal
     * and hands itself the state.
     */
    @Test
    void aMemberThatStaysRestartsDuringTheHandoverAndCarriesItsStateOver() throws Exception {
        exitMidStream(true, 5);
    }

    private void exitMidStream(boolean restartAStayer, int farmers) throws Exception {
        ChainParams d = ChainParams.defaults();
        net = LocalNetwork.start(dir, NETWORK, new ChainParams(ChainParams.MB, SLICE, 4, 100,
                        d.connectorWeightPpm(), d.minPriceUcntPerMd(), 20, 365, 7, 1000),
                List.of(new Genesis.Allocation(OWNER.address(), 1_000_000_000)), farmers,
                2 * ChainParams.MB, Clock.systemUTC(), new LocalNetwork.Timing(20, 10, 100));
        NodeClient chain = net.client();
        roster = new NetworkFarmers(net, NETWORK, chain);
        long rented = TxSender.send(chain, OWNER, new TxPayload.RentVolume("disk", 1, 30,
                chain.quote(1, 30).costUcnt())).height();
        Views.Volume volume = chain.volumes(OWNER.address()).getFirst();
        SliceRef slice = volume.slices().getFirst();
        long chunk = slice.chunkId();
        Views.Chunk before = chunk(chain, chunk);
        awaitChainSeen(rented);
        awaitServing(before);

        client = new ReplicationClient(OWNER, new ChainCopyGroups(chain),
                ReplicationClient.Options.defaults());
        Hash session = Hash.sha256("handover-session".getBytes());
        Commit opened = client.submit(ChunkOp.OpenSession.sign(OWNER, volume.id(), chunk,
                session)).get(20, TimeUnit.SECONDS);

        // A second client that learns the group before the handover and reads only after it: its
        // group is of the old epoch, and so is the height it asks for.
        ReplicationClient late = new ReplicationClient(OWNER, new ChainCopyGroups(chain),
                ReplicationClient.Options.defaults());
        late.read(chunk, (long) slice.index() * SLICE, WRITE, opened.epoch(), opened.height())
                .get(20, TimeUnit.SECONDS);

        int leaving = roster.index(before.members().getLast());
        int stayer = roster.index(before.members().get(1));
        byte[] expected = new byte[SLICE];
        new Random(11).nextBytes(expected);
        int writes = SLICE / WRITE;
        List<CompletableFuture<Commit>> commits = new ArrayList<>();
        for (int seq = 1; seq <= writes; seq++) {
            if (seq == writes / 3) {
                if (restartAStayer) {
                    net.stopFarmer(stayer);
                }
                TxSender.send(chain, roster.key(leaving), new TxPayload.ExitFarmer());
                // The rest of the stream goes out once the old epoch is sealed, so it is
                // written in the new one (in flight, the first third may land in either).
                int down = restartAStayer ? stayer : -1;
                Eventually.await(() -> othersStartedTheNewEpoch(chain, chunk, down),
                        "the members that stay seal the old epoch", 60_000);
            }
            if (restartAStayer && seq == writes / 2) {
                net.restartFarmer(stayer);
            }
            int offset = (seq - 1) * WRITE;
            commits.add(client.submit(ChunkOp.WopBatch.sign(OWNER, volume.id(), chunk, session,
                    List.of(new Wop(slice.index(), seq, offset,
                            java.util.Arrays.copyOfRange(expected, offset, offset + WRITE))))));
        }
        Commit last = null;
        Commit lastInOldEpoch = opened;
        int writtenInOldEpoch = 0;
        for (CompletableFuture<Commit> commit : commits) {
            last = commit.get(90, TimeUnit.SECONDS);
            if (last.epoch() == before.epoch()) {
                lastInOldEpoch = last;
                writtenInOldEpoch++;
            }
        }

        Views.Chunk after = chunk(chain, chunk);
        assertThat(after.epoch()).isGreaterThan(before.epoch());
        Set<Long> newcomers = new HashSet<>(after.members());
        newcomers.removeAll(before.members());
        assertThat(after.members()).doesNotContain(before.members().getLast())
                .hasSize(farmers > 4 ? 4 : 3);
        assertThat(newcomers).hasSize(farmers > 4 ? 1 : 0);

        // The last write committed in the new epoch; the spare holds the whole chunk too.
        assertThat(last.epoch()).isEqualTo(after.epoch());
        assertThat(client.read(chunk, (long) slice.index() * SLICE, SLICE, last.epoch(),
                last.height())
                .get(20, TimeUnit.SECONDS)).isEqualTo(expected);
        try (late) {
            // Writes go in sequence order, so those committed in the old epoch are a prefix.
            int prefix = writtenInOldEpoch * WRITE;
            byte[] seen = late.read(chunk, (long) slice.index() * SLICE, SLICE,
                    lastInOldEpoch.epoch(), lastInOldEpoch.height()).get(30, TimeUnit.SECONDS);
            assertThat(java.util.Arrays.copyOf(seen, prefix))
                    .as("read by a client that knew only the old group")
                    .isEqualTo(java.util.Arrays.copyOf(expected, prefix));
        }
        long height = roster.awaitSameHeight(after);
        assertThat(height).isGreaterThanOrEqualTo(last.height());
        for (long newcomer : newcomers) {
            assertThat(net.farmer(roster.index(newcomer)).committedHeight(chunk))
                    .isEqualTo(height);
        }

        // Every member, the newcomer too, restarts from its own log and checkpoint with the
        // epoch's state: none has to fetch it again.
        for (long member : after.members()) {
            int index = roster.index(member);
            net.stopFarmer(index);
            FarmerDaemon back = net.restartFarmer(index);
            assertThat(back.joining(chunk)).as("farmer %d after a restart", index).isFalse();
            assertThat(back.committedHeight(chunk)).isGreaterThanOrEqualTo(height);
        }

        List<Path> chunkDirs = new ArrayList<>();
        for (long member : after.members()) {
            chunkDirs.add(dir.resolve("farmer" + roster.index(member)).resolve("chunks"));
            if (before.members().contains(member)) {
                // A member that stayed removes its old epoch once the new one is certified.
                awaitGone(dir.resolve("farmer" + roster.index(member)).resolve("chunks")
                        .resolve(chunk + "-" + before.epoch() + ".replica"));
            }
        }
        net.close();
        Set<String> digests = new HashSet<>();
        for (Path chunks : chunkDirs) {
            digests.add(Eventually.sha256(chunks.resolve(chunk + "-" + after.epoch()
                    + ".replica")));
        }
        assertThat(digests).as("replica files of the new epoch are identical").hasSize(1);
        net = null;
    }

    private static Views.Chunk chunk(NodeClient chain, long id) throws Exception {
        return chain.chunks().stream().filter(c -> c.id() == id).findFirst().orElseThrow();
    }

    private void awaitChainSeen(long height) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (net.farmers().stream().anyMatch(f -> f.chainHeight() < height)) {
            assertThat(System.currentTimeMillis()).as("farmers see the lease").isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private void awaitServing(Views.Chunk chunk) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        NodeClient chain = net.client();
        for (long member : chunk.members()) {
            FarmerDaemon farmer = net.farmer(roster.index(member));
            while (!farmer.chunks().contains(chunk.id())) {
                assertThat(System.currentTimeMillis()).as("members serve the chunk")
                        .isLessThan(deadline);
                TimeUnit.MILLISECONDS.sleep(20);
            }
        }
    }

    private static void awaitGone(Path file) throws Exception {
        Eventually.await(() -> !Files.exists(file), file + " is removed", 20_000);
    }

    /**
     * A member of the chunk's new epoch other than {@code down} serves it from its own sealed
     * state: the old epoch was sealed without {@code down}. (Its replica file exists as soon as
     * the new epoch's replica opens, before the seal: not a sign of it.)
     */
    private boolean othersStartedTheNewEpoch(NodeClient chain, long chunk, int down)
            throws Exception {
        Views.Chunk now = chunk(chain, chunk);
        for (long member : now.members()) {
            int index = roster.index(member);
            FarmerDaemon farmer = net.farmer(index);
            if (index != down && farmer.servingEpoch(chunk) == now.epoch()
                    && !farmer.joining(chunk)) {
                return true;
            }
        }
        return false;
    }
}
