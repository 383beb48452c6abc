package org.cnt.node.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.Chunk;
import org.cnt.chain.types.Farmer;
import org.cnt.chain.types.SliceRef;
import org.cnt.chain.types.Tx;
import org.cnt.chain.types.TxPayload;
import org.cnt.chain.types.Volume;
import org.cnt.node.Rejection;
import org.junit.jupiter.api.Test;

class LedgerTest {
    private static final long DAY = ChainParams.SECONDS_PER_DAY;
    private static final long NO_LIMIT = Long.MAX_VALUE;

    @Test
    void transferMovesFundsAndRefusesWhatCannotApply() {
        TestChain chain = new TestChain(4, 2);
        KeyPair alice = chain.user(0);
        KeyPair bob = chain.user(1);
        assertThat(chain.submit(alice, new TxPayload.Transfer(bob.address(), 5))).isNull();
        assertThat(chain.account(bob).balanceUcnt()).isEqualTo(TestChain.FUNDS + 5);
        assertThat(chain.account(alice).nonce()).isEqualTo(1);

        assertCode(chain.submit(alice, new TxPayload.Transfer(bob.address(), 0)), "invalid_amount");
        assertCode(chain.submit(alice, new TxPayload.Transfer(bob.address(), TestChain.FUNDS)),
                "insufficient_balance");
        Tx replay = Tx.sign(chain.genesis.chainId(), alice, 0,
                new TxPayload.Transfer(bob.address(), 5));
        assertCode(chain.submit(replay), "nonce_too_low");
        Tx ahead = Tx.sign(chain.genesis.chainId(), alice, 9, new TxPayload.Transfer(bob.address(), 5));
        assertCode(chain.submit(ahead), "nonce_gap");
        Tx otherChain = Tx.sign(Hash.sha256("other".getBytes()), alice, 1,
                new TxPayload.Transfer(bob.address(), 5));
        assertCode(chain.submit(otherChain), "wrong_chain");
        assertThat(chain.account(alice).balanceUcnt()).isEqualTo(TestChain.FUNDS - 5);
        assertThat(chain.account(alice).nonce()).as("refusals consume no nonce").isEqualTo(1);
    }

    @Test
    void aChunkBecomesRentableOnlyWhenItsGroupIsFull() {
        TestChain chain = new TestChain(4, 1);
        chain.farmers(3, 2);
        assertThat(chain.ledger.allocator.worldMb()).isZero();
        assertCode(chain.submit(chain.user(0), new TxPayload.RentVolume("", 1, 1, NO_LIMIT)),
                "no_space");
        chain.farmers(1, 2);
        assertThat(chain.ledger.allocator.worldMb()).isEqualTo(2);
        for (Chunk chunk : chain.ledger.state.chunks().values()) {
            assertThat(chunk.members()).hasSize(4).doesNotHaveDuplicates();
        }
    }

    @Test
    void slotsThatCannotFormAFullGroupStayFreeAsSpares() {
        TestChain chain = new TestChain(4, 1);
        chain.farmers(4, 2);
        KeyPair spare = chain.farmers(1, 3).getFirst();
        Farmer farmer = chain.ledger.state.farmer(chain.ledger.state.farmerIdOf(spare.publicKey()));
        assertThat(farmer.assignedReplicas()).isZero();
        assertThat(chain.ledger.state.chunks()).hasSize(2);
    }

    @Test
    void aFarmerNeverJoinsTheSameGroupTwiceAndNeverExceedsItsPledge() {
        TestChain chain = new TestChain(3, 1);
        List<KeyPair> farmers = chain.farmers(2, 5);
        chain.farmers(1, 1);
        for (Chunk chunk : chain.ledger.state.chunks().values()) {
            assertThat(chunk.members()).doesNotHaveDuplicates();
        }
        for (Farmer farmer : chain.ledger.state.farmers().values()) {
            assertThat(farmer.assignedReplicas())
                    .isLessThanOrEqualTo(farmer.replicaSlots(chain.genesis.params()))
                    .isEqualTo(chain.ledger.state.chunksOf(farmer.id()).size());
        }
        assertThat(chain.ledger.allocator.worldMb()).isEqualTo(1);
        assertThat(farmers).hasSize(2);
    }

    @Test
    void anExitingFarmerIsReplacedByTheOneWithMostFreeSlots() {
        TestChain chain = new TestChain(4, 1);
        List<KeyPair> farmers = chain.farmers(4, 1);
        KeyPair spare = chain.farmers(1, 3).getFirst();
        long spareId = chain.ledger.state.farmerIdOf(spare.publicKey());
        long worldBefore = chain.ledger.allocator.worldMb();
        long epochBefore = chain.ledger.state.chunk(0).epoch();
        assertThat(chain.submit(farmers.getFirst(), new TxPayload.ExitFarmer())).isNull();
        Chunk chunk = chain.ledger.state.chunk(0);
        assertThat(chunk.members()).hasSize(4).contains(spareId).doesNotHaveDuplicates();
        assertThat(chunk.epoch()).isGreaterThan(epochBefore);
        assertThat(chain.ledger.allocator.worldMb()).isEqualTo(worldBefore);
        assertCode(chain.submit(farmers.getFirst(), new TxPayload.ExitFarmer()), "unknown_farmer");
        assertCode(chain.submit(farmers.getFirst(), new TxPayload.RegisterFarmer("h:1",
                ChainParams.MB)), "farmer_exited");
    }

    @Test
    void pledgeCannotShrinkBelowAssignedReplicas() {
        TestChain chain = new TestChain(4, 1);
        KeyPair farmer = chain.farmers(4, 3).getFirst();
        assertCode(chain.submit(farmer, new TxPayload.UpdateFarmer("127.0.0.1:1", ChainParams.MB)),
                "capacity_below_assigned");
        assertCode(chain.submit(farmer, new TxPayload.UpdateFarmer("no port", 3 * ChainParams.MB)),
                "invalid_endpoint");
        assertThat(chain.submit(farmer, new TxPayload.UpdateFarmer("10.0.0.1:7000",
                5 * ChainParams.MB))).isNull();
        Farmer updated = chain.ledger.state.farmer(1);
        assertThat(updated.endpoint()).isEqualTo("10.0.0.1:7000");
        assertThat(updated.assignedReplicas()).as("no other farmer has room for a new group")
                .isEqualTo(3);
        assertThat(updated.freeReplicaSlots(chain.genesis.params())).isEqualTo(2);
    }

    @Test
    void rentingAllocatesNeverUsedSlicesInChunkOrderAndChargesThePrice() {
        TestChain chain = new TestChain(4, 1);
        chain.farmers(4, 2);
        KeyPair owner = chain.user(0);
        assertThat(chain.submit(owner, new TxPayload.RentVolume("a", 1, 10, NO_LIMIT))).isNull();
        Volume volume = chain.ledger.state.volume(1);
        assertThat(volume.slices()).containsExactly(new SliceRef(0, 0), new SliceRef(0, 1),
                new SliceRef(0, 2), new SliceRef(0, 3));
        long cost = TestChain.FUNDS - chain.account(owner).balanceUcnt();
        assertThat(cost).as("1 MB for 10 days at the floor price of 100 ucnt/MD").isEqualTo(1000);
        assertThat(chain.ledger.state.globals().poolUcnt()).isEqualTo(cost);
        assertThat(chain.submit(owner, new TxPayload.RentVolume("b", 1, 10, NO_LIMIT))).isNull();
        assertThat(chain.ledger.state.volume(2).slices()).extracting(SliceRef::chunkId)
                .containsOnly(1L);
        assertCode(chain.submit(owner, new TxPayload.RentVolume("c", 1, 10, NO_LIMIT)), "no_space");
        assertCode(chain.submit(owner, new TxPayload.RentVolume("a", 1, 10, NO_LIMIT)),
                "name_taken");
    }

    @Test
    void rentRefusalsNameTheirReason() {
        TestChain chain = new TestChain(4, 2);
        chain.farmers(4, 4);
        KeyPair owner = chain.user(0);
        assertCode(chain.submit(owner, new TxPayload.RentVolume("", 1, 366, NO_LIMIT)),
                "lease_too_long");
        assertCode(chain.submit(owner, new TxPayload.RentVolume("", 1, 0, NO_LIMIT)), "invalid_days");
        assertCode(chain.submit(owner, new TxPayload.RentVolume("", 1, 30, 10)), "price_above_max");
        assertCode(chain.submit(owner, new TxPayload.RentVolume("bad name!", 1, 30, NO_LIMIT)),
                "invalid_name");
        assertThat(chain.submit(owner, new TxPayload.RentVolume("docs", 1, 30, NO_LIMIT))).isNull();
        assertCode(chain.submit(owner, new TxPayload.RentVolume("docs", 1, 30, NO_LIMIT)),
                "name_taken");
        assertCode(chain.submit(chain.user(1), new TxPayload.ExtendVolume(1, 1, NO_LIMIT)),
                "not_owner");
        assertCode(chain.submit(owner, new TxPayload.ExtendVolume(7, 1, NO_LIMIT)),
                "unknown_volume");
        assertCode(chain.submit(owner, new TxPayload.ExtendVolume(1, 340, NO_LIMIT)),
                "lease_too_long");
    }

    @Test
    void anExpiredLeaseLocksAndCanBeRenewedInsideTheGracePeriodPayingForTheGap() {
        TestChain chain = new TestChain(4, 1);
        chain.farmers(4, 1);
        KeyPair owner = chain.user(0);
        assertThat(chain.submit(owner, new TxPayload.RentVolume("v", 1, 1, NO_LIMIT))).isNull();
        long expiry = chain.ledger.state.volume(1).expirySec();
        chain.advance(DAY);
        assertThat(chain.ledger.state.volume(1).status()).isEqualTo(Volume.Status.LOCKED);
        assertThat(chain.lastFigures.leasedMb()).isZero();
        assertCode(chain.submit(owner, new TxPayload.ResizeVolume(1, 2, NO_LIMIT)),
                "volume_expired");
        long before = chain.account(owner).balanceUcnt();
        assertThat(chain.submit(owner, new TxPayload.ExtendVolume(1, 2, NO_LIMIT))).isNull();
        Volume renewed = chain.ledger.state.volume(1);
        assertThat(renewed.status()).isEqualTo(Volume.Status.ACTIVE);
        assertThat(renewed.expirySec()).as("renewal counts from the old expiry: the gap is paid")
                .isEqualTo(expiry + 2 * DAY);
        assertThat(before - chain.account(owner).balanceUcnt()).isEqualTo(200);
    }

    @Test
    void afterTheGracePeriodTheVolumeIsGoneAndItsSlicesAreReusedEarliestExpiredFirst() {
        TestChain chain = new TestChain(4, 1);
        chain.farmers(4, 2);
        KeyPair owner = chain.user(0);
        assertThat(chain.submit(owner, new TxPayload.RentVolume("late", 1, 3, NO_LIMIT))).isNull();
        assertThat(chain.submit(owner, new TxPayload.RentVolume("early", 1, 1, NO_LIMIT))).isNull();
        List<SliceRef> earlySlices = chain.ledger.state.volume(2).slices();
        chain.advance(5 * DAY);
        assertThat(chain.ledger.state.volumes()).isEmpty();
        assertCode(chain.submit(owner, new TxPayload.ExtendVolume(2, 1, NO_LIMIT)), "unknown_volume");
        assertThat(chain.ledger.allocator.freeSlices()).isEqualTo(8);
        assertThat(chain.submit(owner, new TxPayload.RentVolume("again", 1, 1, NO_LIMIT))).isNull();
        assertThat(chain.ledger.state.volume(3).slices())
                .as("all space has been used once, so the earliest-expired slices come first")
                .containsExactlyElementsOf(earlySlices);
    }

    @Test
    void resizeGrowsWithNewSlicesAndShrinksFromTheTail() {
        TestChain chain = new TestChain(4, 1);
        chain.farmers(4, 2);
        KeyPair owner = chain.user(0);
        assertThat(chain.submit(owner, new TxPayload.RentVolume("v", 1, 10, NO_LIMIT))).isNull();
        assertThat(chain.submit(owner, new TxPayload.ResizeVolume(1, 2, NO_LIMIT))).isNull();
        Volume grown = chain.ledger.state.volume(1);
        assertThat(grown.slices()).hasSize(8).doesNotHaveDuplicates();
        assertThat(chain.lastFigures.leasedMb()).isEqualTo(2);
        assertThat(chain.submit(owner, new TxPayload.ResizeVolume(1, 1, NO_LIMIT))).isNull();
        assertThat(chain.ledger.state.volume(1).slices()).containsExactlyElementsOf(
                grown.slices().subList(0, 4));
        assertThat(chain.ledger.allocator.freeSlices()).isEqualTo(4);
        assertCode(chain.submit(owner, new TxPayload.ResizeVolume(1, 1, NO_LIMIT)), "invalid_size");
    }

    @Test
    void eachBlockConsumesLeasedSpaceTimesElapsedTime() {
        TestChain chain = new TestChain(4, 1);
        chain.farmers(4, 4);
        assertThat(chain.submit(chain.user(0), new TxPayload.RentVolume("v", 3, 30, NO_LIMIT)))
                .isNull();
        long bought = chain.lastFigures.boughtMbSec();
        assertThat(bought).isEqualTo(3 * 30 * DAY);
        assertThat(chain.advance(100).consumedMbSec()).isEqualTo(300);
        assertThat(chain.lastFigures.boughtMbSec()).isEqualTo(bought - 300);
        chain.advance(30 * DAY);
        assertThat(chain.lastFigures.boughtMbSec()).isZero();
        assertThat(chain.lastFigures.consumedMbSec()).isEqualTo(bought - 300);
    }

    @Test
    void donationsGoToThePoolAndRaiseThePriceOnceDemandIsHigh() {
        TestChain chain = new TestChain(4, 1);
        chain.farmers(4, 1);
        assertThat(chain.submit(chain.user(0), new TxPayload.Donate(5_000))).isNull();
        assertThat(chain.ledger.state.globals().poolUcnt()).isEqualTo(5_000);
        assertCode(chain.submit(chain.user(0), new TxPayload.Donate(0)), "invalid_amount");
        Set<String> seen = new HashSet<>();
        seen.add(chain.ledger.stateRoot().hex());
        assertThat(seen).hasSize(1);
    }

    @Test
    void aClientReportsAMemberOfAChunkItRentsInAndNobodyElseDoes() {
        TestChain chain = new TestChain(4, 2);
        chain.farmers(4, 2);
        KeyPair owner = chain.user(0);
        assertThat(chain.submit(owner, new TxPayload.RentVolume("a", 1, 10, NO_LIMIT))).isNull();
        long chunk = chain.ledger.state.volume(1).slices().getFirst().chunkId();
        long member = chain.ledger.state.chunk(chunk).members().get(2);
        assertThat(chain.submit(owner, new TxPayload.ServiceReport(member, chunk, "bad_data")))
                .isNull();
        assertThat(chain.ledger.state.farmer(member).serviceReports()).isEqualTo(1);
        assertCode(chain.submit(chain.user(1), new TxPayload.ServiceReport(member, chunk,
                "bad_data")), "not_a_client");
        assertCode(chain.submit(owner, new TxPayload.ServiceReport(member, chunk + 1000,
                "bad_data")), "not_a_member");
        assertCode(chain.submit(owner, new TxPayload.ServiceReport(member, chunk, "ugly")),
                "invalid_report");
        assertThat(chain.ledger.state.farmer(member).serviceReports()).isEqualTo(1);
    }

    private static void assertCode(Rejection rejection, String code) {
        assertThat(rejection).as("expected a refusal with " + code).isNotNull();
        assertThat(rejection.code()).as(rejection.detail()).isEqualTo(code);
        assertThat(rejection.detail()).isNotBlank();
    }
}
