package org.cnt.node.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.cnt.chain.crypto.Address;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.types.Account;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.Chunk;
import org.cnt.chain.types.Farmer;
import org.cnt.chain.types.SliceRef;
import org.cnt.chain.types.TxPayload;
import org.cnt.chain.types.Volume;

/**
 * Random operation sequences against the ledger, checking after every block the invariants the
 * chain relies on: money is conserved, the lease figures equal what the volumes say, no slice is
 * leased twice, groups are sound, and replaying or reloading gives the same state root.
 */
class LedgerPropertiesTest {
    private static final int USERS = 3;
    private static final int FARMERS = 6;

    /** One step: who acts, what, and how long before the block. */
    record Step(int actor, int kind, long size, int days, long amount, int farmerSlots,
                long waitSec) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(
                Arbitraries.integers().between(0, USERS + FARMERS - 1),
                Arbitraries.integers().between(0, 8),
                Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, Arbitraries.longs().between(1, 3)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(0, 12))),
                Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, Arbitraries.integers().between(1, 40)),
                        net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 400))),
                Arbitraries.longs().between(0, TestChain.FUNDS / 2),
                Arbitraries.integers().between(0, 4),
                Arbitraries.of(1L, 60L, 3_600L, 86_400L, 5 * 86_400L))
                .as(Step::new);
        return step.list().ofMinSize(5).ofMaxSize(80);
    }

    private static List<KeyPair> actors() {
        List<KeyPair> keys = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            keys.add(KeyPair.fromLabel("user-" + i));
        }
        for (int i = 0; i < FARMERS; i++) {
            keys.add(KeyPair.fromLabel("prop-farmer-" + i));
        }
        return keys;
    }

    private static void run(TestChain chain, Step step, List<KeyPair> actors) {
        boolean farmerOp = step.kind() >= 2 && step.kind() <= 4;
        KeyPair actor = actors.get(farmerOp ? USERS + step.actor() % FARMERS
                : step.actor() % USERS);
        KeyPair other = actors.get((step.actor() + 1) % actors.size());
        List<Volume> owned = chain.ledger.state.volumesOf(actor.address());
        long volumeId = owned.isEmpty() ? 1 + step.size()
                : owned.get((int) (step.amount() % owned.size())).id();
        long capacity = step.farmerSlots() * ChainParams.MB;
        TxPayload payload = switch (step.kind()) {
            case 0 -> new TxPayload.Transfer(other.address(), step.amount());
            case 1 -> new TxPayload.Donate(step.amount() / 1000);
            case 2 -> new TxPayload.RegisterFarmer("127.0.0.1:9000", capacity);
            case 3 -> new TxPayload.UpdateFarmer("127.0.0.1:9001", capacity);
            case 4 -> new TxPayload.ExitFarmer();
            case 5 -> new TxPayload.RentVolume("", step.size(), step.days(), step.amount());
            case 6 -> new TxPayload.ExtendVolume(volumeId, step.days(), step.amount());
            case 7 -> new TxPayload.ResizeVolume(volumeId, step.size(), step.amount());
            default -> null;
        };
        if (payload == null) {
            chain.advance(step.waitSec());
        } else {
            chain.nowMs += (step.waitSec() - 1) * 1000;
            var refused = chain.submit(actor, payload);
            net.jqwik.api.statistics.Statistics.label("outcome").collect(
                    payload.getClass().getSimpleName() + (refused == null ? " applied"
                            : " refused"));
        }
    }

    @Property(tries = 150)
    void invariantsHoldAfterEveryBlock(@ForAll("steps") List<Step> steps) {
        TestChain chain = new TestChain(4, USERS);
        List<KeyPair> actors = actors();
        chain.farmers(4, 6);
        long total = totalMoney(chain);
        for (Step step : steps) {
            run(chain, step, actors);
            assertThat(totalMoney(chain)).as("balances + pool are conserved").isEqualTo(total);
            checkLeases(chain);
            checkSlices(chain);
            checkGroups(chain);
        }
    }

    @Property(tries = 60)
    void replayingTheSameBlocksGivesTheSameStateRoot(@ForAll("steps") List<Step> steps)
            throws Exception {
        TestChain first = new TestChain(4, USERS);
        TestChain second = new TestChain(4, USERS);
        List<KeyPair> actors = actors();
        first.farmers(4, 3);
        second.farmers(4, 3);
        for (Step step : steps) {
            run(first, step, actors);
            run(second, step, actors);
        }
        assertThat(second.ledger.stateRoot()).isEqualTo(first.ledger.stateRoot());
        assertThat(first.ledger.stateRoot()).isNotEqualTo(Hash.ZERO);
    }

    @Property(tries = 60)
    void aLedgerReloadedFromItsEntriesBehavesTheSame(@ForAll("steps") List<Step> steps,
                                                     @ForAll("steps") List<Step> after)
            throws Exception {
        TestChain chain = new TestChain(4, USERS);
        List<KeyPair> actors = actors();
        chain.farmers(4, 6);
        Map<byte[], byte[]> entries = new java.util.TreeMap<>(java.util.Arrays::compareUnsigned);
        for (Step step : steps) {
            run(chain, step, actors);
        }
        entries.putAll(snapshot(chain));
        Ledger reloaded = Ledger.fromEntries(chain.genesis, entries.entrySet());
        assertThat(reloaded.stateRoot()).isEqualTo(chain.ledger.stateRoot());
        TestChain twin = new TestChain(chain.genesis, reloaded, chain.nowMs, chain.height);
        for (Step step : after) {
            run(chain, step, actors);
            run(twin, step, actors);
            assertThat(twin.ledger.stateRoot()).isEqualTo(chain.ledger.stateRoot());
        }
    }

    /** All state entries, rebuilt by committing every entry of a fresh copy of the state. */
    private static Map<byte[], byte[]> snapshot(TestChain chain) {
        Map<byte[], byte[]> entries = new java.util.HashMap<>();
        ChainState state = chain.ledger.state;
        ChainState copy = new ChainState(chain.genesis.params());
        for (Map.Entry<Address, Account> account : state.accountsView().entrySet()) {
            copy.putAccount(account.getKey(), account.getValue());
        }
        for (Farmer farmer : state.farmers().values()) {
            copy.putFarmer(farmer);
        }
        for (Chunk chunk : state.chunks().values()) {
            copy.putChunk(chunk);
        }
        for (Volume volume : state.volumes().values()) {
            copy.putVolume(volume);
        }
        for (FreedSlice slice : state.freedSlices()) {
            copy.addFreed(slice);
        }
        for (ChunkProof proof : state.proofsView().values()) {
            copy.putProof(proof);
        }
        for (BadDataReport report : state.badDataReportsView()) {
            copy.addBadDataReport(report);
        }
        copy.setGlobals(state.globals());
        entries.putAll(copy.commit());
        assertThat(copy.stateRoot()).isEqualTo(state.stateRoot());
        return entries;
    }

    /** Balances and pool, less what mining and the subsidy created. */
    private static long totalMoney(TestChain chain) {
        long sum = chain.ledger.state.globals().poolUcnt() - chain.ledger.state.globals().mintedUcnt();
        for (Account account : chain.ledger.state.accountsView().values()) {
            sum += account.balanceUcnt();
        }
        return sum;
    }

    private static void checkLeases(TestChain chain) {
        long now = chain.ledger.state.globals().timeSec();
        long bought = 0;
        long leased = 0;
        for (Volume volume : chain.ledger.state.volumes().values()) {
            if (volume.status() == Volume.Status.ACTIVE) {
                assertThat(volume.expirySec()).isGreaterThan(now);
                bought += volume.sizeMb() * (volume.expirySec() - now);
                leased += volume.sizeMb();
            } else {
                assertThat(volume.expirySec()).isLessThanOrEqualTo(now);
            }
            assertThat(volume.slices()).hasSize((int) volume.sizeMb()
                    * chain.genesis.params().slicesPerMb());
        }
        assertThat(chain.lastFigures.boughtMbSec()).isEqualTo(bought);
        assertThat(chain.lastFigures.leasedMb()).isEqualTo(leased);
        assertThat(bought).isLessThanOrEqualTo(chain.lastFigures.sellableMbSec(365));
    }

    private static void checkSlices(TestChain chain) {
        ChainParams params = chain.genesis.params();
        Set<SliceRef> used = new HashSet<>();
        for (Volume volume : chain.ledger.state.volumes().values()) {
            for (SliceRef slice : volume.slices()) {
                assertThat(used.add(slice)).as("slice %s leased twice", slice).isTrue();
                Chunk chunk = chain.ledger.state.chunk(slice.chunkId());
                assertThat(slice.index()).isLessThan(chunk.freshSlices());
            }
        }
        long free = 0;
        for (Chunk chunk : chain.ledger.state.chunks().values()) {
            if (chunk.isFull(params)) {
                free += params.slicesPerChunk() - chunk.freshSlices();
            }
        }
        for (FreedSlice slice : chain.ledger.state.freedSlices()) {
            assertThat(used).doesNotContain(slice.slice());
            if (chain.ledger.state.chunk(slice.chunkId()).isFull(params)) {
                free++;
            }
        }
        assertThat(chain.ledger.allocator.freeSlices()).isEqualTo(free);
    }

    private static void checkGroups(TestChain chain) {
        ChainParams params = chain.genesis.params();
        long full = 0;
        for (Chunk chunk : chain.ledger.state.chunks().values()) {
            assertThat(chunk.members()).doesNotHaveDuplicates().hasSizeLessThanOrEqualTo(4);
            for (long member : chunk.members()) {
                assertThat(chain.ledger.state.farmer(member).status())
                        .isEqualTo(Farmer.Status.ACTIVE);
            }
            full += chunk.isFull(params) ? 1 : 0;
        }
        assertThat(chain.ledger.allocator.worldMb()).isEqualTo(full * params.chunkSizeMb());
        for (Farmer farmer : chain.ledger.state.farmers().values()) {
            assertThat(farmer.assignedReplicas()).isLessThanOrEqualTo(farmer.replicaSlots(params))
                    .isEqualTo(chain.ledger.state.chunksOf(farmer.id()).size());
        }
    }
}
