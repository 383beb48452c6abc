package org.cnt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.cnt.chain.api.NodeClient;
import org.cnt.chain.api.Views;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.types.ChainParams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proof rounds run by real farmer daemons on loopback (rounds of 20 blocks of 100 ms): every
 * group proves every round and its members are paid; a farmer that stops is caught in the next
 * round and paid nothing more while the others go on proving.
 */
class SpaceProofsTest {
    private static final KeyPair OWNER = KeyPair.fromLabel("proofs-owner");

    @TempDir
    Path dir;
    LocalNetwork net;
    NodeClient chain;

    @BeforeEach
    void start() throws Exception {
        // Nobody is replaced here (SelfRepairTest does that): with no spare farmer, replacing
        // the stopped one would leave its groups under-replicated and unpaid altogether.
        net = TestNetworks.fourFarmers(dir, "proofs-test", OWNER, java.time.Clock.systemUTC(),
                TestNetworks.params().withRepair(0, ChainParams.DEFAULT_REPORTERS_TO_BLACKLIST));
        chain = net.client();
    }

    @AfterEach
    void stop() {
        if (net != null) {
            net.close();
        }
    }

    private Map<Long, Views.Farmer> farmers() throws Exception {
        Map<Long, Views.Farmer> byId = new TreeMap<>();
        for (Views.Farmer farmer : chain.farmers()) {
            byId.put(farmer.id(), farmer);
        }
        return byId;
    }

    private Map<Long, Views.Farmer> awaitOthersPassTwoMore(long stopped,
                                                            Map<Long, Views.Farmer> from)
            throws Exception {
        Eventually.await(() -> farmers().entrySet().stream().filter(e -> e.getKey() != stopped)
                .allMatch(e -> e.getValue().proofsPassed() >= from.get(e.getKey()).proofsPassed()
                        + 2), "the others pass two more rounds without it", 30_000);
        return farmers();
    }

    @Test
    void everyGroupProvesEveryRoundAndAStoppedFarmerIsCaughtAndUnpaid() throws Exception {
        Eventually.await(() -> farmers().values().stream().allMatch(f -> f.proofsPassed() >= 3),
                "every farmer passed three proof rounds", 60_000);
        Eventually.await(() -> chain.chunks().stream().allMatch(c -> c.health().equals("proven")),
                "every chunk proven by its whole group", 10_000);
        Map<Long, Views.Farmer> before = farmers();
        for (Views.Farmer farmer : before.values()) {
            assertThat(farmer.earnedUcnt()).as("farmer " + farmer.id() + " is paid").isPositive();
        }
        String stoppedEndpoint = "127.0.0.1:" + net.farmer(3).port();
        long stopped = before.values().stream().filter(f -> f.endpoint().equals(stoppedEndpoint))
                .findFirst().orElseThrow().id();
        net.stopFarmer(3);
        Eventually.await(() -> farmers().get(stopped).proofsMissed()
                        > before.get(stopped).proofsMissed(),
                "the stopped farmer misses a round", 30_000);
        Map<Long, Views.Farmer> caught = awaitOthersPassTwoMore(stopped, farmers());
        // Its last proof has stopped counting (only the open round's and the one before do).
        Map<Long, Views.Farmer> later = awaitOthersPassTwoMore(stopped, caught);
        assertThat(later.get(stopped).proofsPassed()).as("the stopped farmer passes no more")
                .isEqualTo(caught.get(stopped).proofsPassed());
        assertThat(later.get(stopped).earnedUcnt()).as("the stopped farmer earns nothing more")
                .isEqualTo(caught.get(stopped).earnedUcnt());
        assertThat(later.get(stopped).missStreak()).isGreaterThanOrEqualTo(3);
        for (Views.Farmer farmer : later.values()) {
            if (farmer.id() != stopped) {
                assertThat(farmer.earnedUcnt()).as("farmer " + farmer.id() + " is still paid")
                        .isGreaterThan(caught.get(farmer.id()).earnedUcnt());
                assertThat(farmer.missStreak()).isZero();
            }
        }
    }
}
