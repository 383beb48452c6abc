package org.cnt.node.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.Farmer;
import org.cnt.chain.types.Figures;
import org.cnt.chain.types.TxPayload;

/**
 * The rent economics over whole leases (DESIGN.md "Rent"): the pool never goes negative, what
 * leaves it goes to proven members only, and over a lease's life the farmers are paid what the
 * renters paid, up to rounding; the price rises as the world disk fills.
 */
class EconomicsPropertiesTest {
    private static final int USERS = 3;
    private static final int GROUP = 4;
    private static final int CHUNKS_PER_FARMER = 6;

    /** A rental: who, how many MB, how many days, and how long after the previous one. */
    record Rental(int user, int sizeMb, int days, int afterSec) {
    }

    @Provide
    Arbitrary<List<Rental>> rentals() {
        return Combinators.combine(Arbitraries.integers().between(0, USERS - 1),
                Arbitraries.integers().between(1, 2), Arbitraries.integers().between(1, 3),
                Arbitraries.integers().between(1, 40_000)).as(Rental::new).list().ofMinSize(1)
                .ofMaxSize(5);
    }

    @Property(tries = 40)
    void payoutsOverTheLeasesEqualWhatWasPaidAndThePoolNeverGoesNegative(
            @ForAll("rentals") List<Rental> rentals, @ForAll @IntRange(min = 60, max = 3600) int gap,
            @ForAll boolean oneMemberLostItsData) {
        TestChain chain = new TestChain(TestChain.tinyParams(GROUP), USERS);
        List<KeyPair> farmers = chain.farmers(GROUP, CHUNKS_PER_FARMER);
        long lost = oneMemberLostItsData ? chain.ledger.state.chunk(0).members().get(3) : -1;
        long open = ProofBookTest.nextRound(chain);
        ProofBookTest.proveAll(chain, farmers, open, lost);
        long paid = 0;
        long lastExpiry = 0;
        for (Rental rental : rentals) {
            chain.nowMs += rental.afterSec() * 1000L;
            long balance = balance(chain, chain.user(rental.user()));
            if (chain.submit(chain.user(rental.user()), new TxPayload.RentVolume("", rental.sizeMb(),
                    rental.days(), Long.MAX_VALUE)) == null) {
                paid += balance - balance(chain, chain.user(rental.user()));
                lastExpiry = Math.max(lastExpiry,
                        chain.nowSec() + rental.days() * ChainParams.SECONDS_PER_DAY);
            }
            open = keepProving(chain, farmers, open, lost);
        }
        while (chain.nowSec() <= lastExpiry) {
            chain.nowMs += (gap - 1) * 1000L;
            chain.advance(1);
            assertThat(chain.lastFigures.poolUcnt()).as("the pool").isNotNegative();
            open = keepProving(chain, farmers, open, lost);
        }
        long earned = 0;
        for (Farmer farmer : chain.ledger.state.farmers().values()) {
            earned += farmer.standing().earnedUcnt();
            if (farmer.id() == lost) {
                assertThat(farmer.standing().earnedUcnt()).as("the member that lost its data")
                        .isZero();
            }
        }
        long pool = chain.ledger.state.globals().poolUcnt();
        assertThat(earned + pool).as("paid out plus what stayed in the pool").isEqualTo(paid);
        long chunks = chain.ledger.state.chunks().size();
        assertThat(pool).as("left in the pool once every lease ended (rounding only)")
                .isLessThanOrEqualTo(chunks * GROUP);
        assertThat(chain.lastFigures.boughtMbSec()).isZero();
    }

    /** Proves every chunk as soon as a round opens (one block per proof, a second apart). */
    private static long keepProving(TestChain chain, List<KeyPair> farmers, long open, long lost) {
        long round = chain.ledger.state.globals().roundHeight();
        if (round != open) {
            ProofBookTest.proveAll(chain, farmers, round, lost);
        }
        return round;
    }

    @Property(tries = 40)
    void thePriceRisesAsTheWorldDiskFills(@ForAll @IntRange(min = 1, max = 3) int sizeMb,
                                         @ForAll @IntRange(min = 90, max = 365) int days) {
        TestChain chain = new TestChain(TestChain.tinyParams(GROUP), USERS);
        chain.farmers(GROUP, CHUNKS_PER_FARMER);
        ChainParams params = chain.genesis.params();
        double before = price(chain, params);
        int rented = 0;
        while (chain.submit(chain.user(rented % USERS), new TxPayload.RentVolume("", sizeMb, days,
                Long.MAX_VALUE)) == null) {
            double after = price(chain, params);
            assertThat(after).as("price after renting " + (rented + 1) + " volumes")
                    .isGreaterThanOrEqualTo(before);
            before = after;
            rented++;
        }
        assertThat(rented).isPositive();
        // The disk fills in MB-days (365 days of it can be sold): leases of a quarter year or
        // more on all of it lift the price off the floor.
        assertThat(before).as("a full disk costs more than an empty one")
                .isGreaterThan((double) params.minPriceUcntPerMd());
    }

    private static double price(TestChain chain, ChainParams params) {
        Figures figures = chain.lastFigures;
        return Pricing.priceUcntPerMd(params, figures.poolUcnt(),
                figures.residualMbSec(params.maxLeaseDays()));
    }

    private static long balance(TestChain chain, KeyPair key) {
        return chain.ledger.state.account(key.address()).balanceUcnt();
    }
}
