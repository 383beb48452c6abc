package org.cnt.node.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.cnt.chain.types.ChainParams;

class PricingPropertiesTest {
    private static final ChainParams PARAMS = ChainParams.defaults();
    private static final long DAY = ChainParams.SECONDS_PER_DAY;

    @Property
    void neverBelowTheFloorPrice(@ForAll @LongRange(min = 0, max = 1L << 40) long pool,
                                 @ForAll @LongRange(min = 1, max = 1L << 40) long residual,
                                 @ForAll @LongRange(min = 1, max = 1L << 20) long mbSec) {
        long cost = Pricing.costUcnt(PARAMS, pool, Math.max(residual, mbSec), mbSec);
        assertThat(BigInteger.valueOf(cost).multiply(BigInteger.valueOf(DAY)))
                .isGreaterThanOrEqualTo(BigInteger.valueOf(PARAMS.minPriceUcntPerMd())
                        .multiply(BigInteger.valueOf(mbSec)));
    }

    @Property
    void monotoneInDemand(@ForAll @LongRange(min = 0, max = 1L << 40) long pool,
                          @ForAll @LongRange(min = 2, max = 1L << 40) long residual,
                          @ForAll @LongRange(min = 1, max = 1L << 20) long mbSec,
                          @ForAll @LongRange(min = 1, max = 1L << 40) long sold) {
        long high = Math.max(residual, mbSec + 1);
        long low = Math.max(mbSec, high - Math.min(sold, high - 1));
        assertThat(Pricing.costUcnt(PARAMS, pool, low, mbSec))
                .as("less unsold space-time never makes space cheaper")
                .isGreaterThanOrEqualTo(Pricing.costUcnt(PARAMS, pool, high, mbSec));
    }

    @Property
    void monotoneInThePool(@ForAll @LongRange(min = 0, max = 1L << 40) long pool,
                           @ForAll @LongRange(min = 0, max = 1L << 40) long more,
                           @ForAll @LongRange(min = 1, max = 1L << 40) long residual) {
        long mbSec = Math.min(residual, DAY);
        assertThat(Pricing.costUcnt(PARAMS, pool + more, residual, mbSec))
                .isGreaterThanOrEqualTo(Pricing.costUcnt(PARAMS, pool, residual, mbSec));
    }

    @Property
    void unboundedAsTheResidualVanishes(@ForAll @LongRange(min = 1, max = 1L << 30) long pool,
                                        @ForAll @LongRange(min = 1, max = 1L << 50) long bound) {
        long residual = 1L << 40;
        while (residual > 1 && Pricing.costUcnt(PARAMS, pool, residual, 1) <= bound) {
            residual /= 2;
        }
        long price = Pricing.costUcnt(PARAMS, pool, residual, 1);
        boolean cannotExceed = BigInteger.valueOf(pool).multiply(BigInteger.valueOf(1_000_000))
                .compareTo(BigInteger.valueOf(bound).multiply(BigInteger.valueOf(
                        PARAMS.connectorWeightPpm()))) <= 0;
        assertThat(price > bound || cannotExceed)
                .as("at R=1 one MB-second costs M/c, the most the curve can ask").isTrue();
        assertThat(Pricing.costUcnt(PARAMS, pool, 0, 1)).isEqualTo(Pricing.UNAFFORDABLE);
    }

    @Property
    void roundsUpSoThePoolNeverLosesToRounding(
            @ForAll @LongRange(min = 0, max = 1L << 40) long pool,
            @ForAll @LongRange(min = 1, max = 1L << 40) long residual,
            @ForAll @LongRange(min = 1, max = 1L << 20) long mbSec) {
        long r = Math.max(residual, mbSec);
        long cost = Pricing.costUcnt(PARAMS, pool, r, mbSec);
        BigInteger paid = BigInteger.valueOf(cost).multiply(BigInteger.valueOf(
                PARAMS.connectorWeightPpm())).multiply(BigInteger.valueOf(r));
        BigInteger exact = BigInteger.valueOf(pool).multiply(BigInteger.valueOf(mbSec))
                .multiply(BigInteger.valueOf(1_000_000));
        assertThat(paid).isGreaterThanOrEqualTo(exact);
    }
}
