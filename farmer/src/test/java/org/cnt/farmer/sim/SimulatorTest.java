package org.cnt.farmer.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The micro-chain under the simulator. Fixed seeds run in CI; {@code -Dsim.seed=N} replays one
 * run, {@code -Dsim.seeds=N} runs N fresh seeds (the soak).
 */
class SimulatorTest {

    @Test
    void aCalmGroupCommitsEveryWriteAndConverges() {
        Simulator sim = new Simulator(1, SimOptions.calm(3_000));
        sim.run();
        assertThat(sim.acknowledged()).isGreaterThan(10);
    }

    @Test
    void faultsNeverBreakSafetyAndTheGroupConvergesAfterHealing() {
        String one = System.getProperty("sim.seed");
        if (one != null) {
            new Simulator(Long.parseLong(one), SimOptions.faulty(steps())).run();
            return;
        }
        int seeds = Integer.getInteger("sim.seeds", 200);
        long base = Long.getLong("sim.base", 1000);
        int snapshots = 0;
        int servedFromLog = 0;
        for (long seed = base; seed < base + seeds; seed++) {
            Simulator sim = new Simulator(seed, SimOptions.faulty(steps()));
            sim.run();
            snapshots += sim.snapshotsInstalled;
            servedFromLog += sim.servedFromLog;
            if ((seed - base + 1) % 250 == 0) {
                // A soak runs for an hour: say how far it got, so a stopped run still reports.
                System.out.println("soak: seeds " + base + ".." + seed + " passed");
            }
        }
        System.out.println("across " + seeds + " seeds: " + snapshots + " snapshots installed, "
                + servedFromLog + " catch-up replies read from logs");
        if (seeds >= 50) {
            assertThat(snapshots).as("members far behind caught up by snapshot").isPositive();
            assertThat(servedFromLog).as("members behind caught up from peers' logs")
                    .isPositive();
        }
        java.util.Random fresh = new java.util.Random();
        for (int i = 0; i < Integer.getInteger("sim.fresh", 3); i++) {
            long seed = fresh.nextLong();
            System.out.println("simulating fresh seed " + seed);
            new Simulator(seed, SimOptions.faulty(steps())).run();
        }
    }

    /**
     * One member is replaced mid-run: the old epoch is sealed under drops, crashes and
     * partitions, the members that stay carry its state over, the newcomer installs it from them,
     * and every write acknowledged in either epoch is in the converged chunk.
     */
    @Test
    void aMembershipChangeCarriesEveryAcknowledgedWriteIntoTheNextEpoch() {
        String one = System.getProperty("sim.handoverSeed");
        if (one != null) {
            new Simulator(Long.parseLong(one), SimOptions.handover(steps())).run();
            return;
        }
        int seeds = Integer.getInteger("sim.handoverSeeds", 60);
        long base = Long.getLong("sim.handoverBase", 5000);
        int snapshots = 0;
        for (long seed = base; seed < base + seeds; seed++) {
            Simulator sim = new Simulator(seed, SimOptions.handover(steps()));
            sim.run();
            snapshots += sim.snapshotsInstalled;
        }
        assertThat(snapshots).as("newcomers installed the state they joined with")
                .isGreaterThanOrEqualTo(seeds);
        System.out.println("handover: " + seeds + " seeds, " + snapshots + " snapshots");
    }

    @Test
    void theCheckersCatchAProtocolThatCommitsOnTooFewVotes() {
        assertThatThrownBy(() -> {
            for (long seed = 1; seed <= 40; seed++) {
                new Simulator(seed, SimOptions.faulty(steps()).withBrokenQuorum()).run();
            }
        }).isInstanceOf(AssertionError.class).hasMessageContaining("seed=")
                .satisfies(e -> System.out.println("broken protocol caught: " + e.getMessage()))
                .message().containsAnyOf("committed", "prefix", "acknowledged");
    }

    private static int steps() {
        return Integer.getInteger("sim.steps", 10_000);
    }
}
