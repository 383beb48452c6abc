package org.cnt.node.internal;

import java.math.BigInteger;
import java.math.RoundingMode;
import org.cnt.chain.types.ChainParams;

/**
 * The rent price of DESIGN.md: {@code p = max(pMin, M / (c * R))} per MD, with M the pool, R the
 * unsold space-time and c the connector weight. Costs are computed exactly in integers and
 * rounded up, so rounding never favours the renter over the pool. Pure functions.
 */
final class Pricing {
    /** What an unaffordable purchase costs: more than any balance. */
    static final long UNAFFORDABLE = Long.MAX_VALUE;
    private static final BigInteger PPM = BigInteger.valueOf(1_000_000);
    private static final BigInteger SECONDS_PER_DAY = BigInteger.valueOf(ChainParams.SECONDS_PER_DAY);

    private Pricing() {
    }

    /** The cost of {@code mbSec} MB-seconds when the pool holds M and R MB-seconds are unsold. */
    static long costUcnt(ChainParams params, long poolUcnt, long residualMbSec, long mbSec) {
        if (mbSec < 0 || poolUcnt < 0 || residualMbSec < 0) {
            throw new IllegalArgumentException("negative pricing input: mbSec=" + mbSec + " M="
                    + poolUcnt + " R=" + residualMbSec);
        }
        if (mbSec == 0) {
            return 0;
        }
        if (residualMbSec == 0 || mbSec > residualMbSec) {
            return UNAFFORDABLE;
        }
        BigInteger amount = BigInteger.valueOf(mbSec);
        BigInteger floor = ceilDiv(BigInteger.valueOf(params.minPriceUcntPerMd()).multiply(amount),
                SECONDS_PER_DAY);
        BigInteger curve = ceilDiv(BigInteger.valueOf(poolUcnt).multiply(amount).multiply(PPM),
                BigInteger.valueOf(params.connectorWeightPpm())
                        .multiply(BigInteger.valueOf(residualMbSec)));
        BigInteger cost = floor.max(curve);
        return cost.bitLength() < 63 ? cost.longValueExact() : UNAFFORDABLE;
    }

    /** The price per MD, for people; the chain itself only uses {@link #costUcnt}. */
    static double priceUcntPerMd(ChainParams params, long poolUcnt, long residualMbSec) {
        if (residualMbSec == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double curve = new java.math.BigDecimal(BigInteger.valueOf(poolUcnt).multiply(PPM)
                        .multiply(SECONDS_PER_DAY))
                .divide(new java.math.BigDecimal(BigInteger.valueOf(params.connectorWeightPpm())
                        .multiply(BigInteger.valueOf(residualMbSec))), 9, RoundingMode.HALF_UP)
                .doubleValue();
        return Math.max(params.minPriceUcntPerMd(), curve);
    }

    private static BigInteger ceilDiv(BigInteger a, BigInteger b) {
        BigInteger[] qr = a.divideAndRemainder(b);
        return qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
    }
}
