package org.cnt.chain.types;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * CNT amounts. The chain counts in micro-CNT (ucnt, 10^-6 CNT) as a long, so arithmetic is exact
 * and the whole 2^30 CNT supply fits with room to spare; people read and type decimal CNT.
 */
public final class Amounts {
    public static final long UCNT_PER_CNT = 1_000_000L;
    private static final int DECIMALS = 6;

    private Amounts() {
    }

    public static String format(long ucnt) {
        return BigDecimal.valueOf(ucnt, DECIMALS).stripTrailingZeros().toPlainString();
    }

    /** Parses "12", "12.5" or "0.000001" CNT; refuses negatives, more than 6 decimals, overflow. */
    public static long parse(String cnt) {
        BigDecimal value;
        try {
            value = new BigDecimal(cnt.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an amount of CNT: '" + cnt + "'");
        }
        if (value.signum() < 0) {
            throw new IllegalArgumentException("amount must not be negative: " + cnt);
        }
        BigDecimal units = value.movePointRight(DECIMALS);
        if (units.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("CNT has at most 6 decimals: " + cnt);
        }
        try {
            return units.setScale(0, RoundingMode.UNNECESSARY).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("amount too large: " + cnt);
        }
    }
}
