package org.cnt.chain.types;

import org.cnt.chain.codec.CanonicalReader;
import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.codec.Encodable;

/**
 * The rent figures of DESIGN.md after a block: world disk W (MB), space-time bought and not yet
 * consumed B, the pool M, leased L, and what this block consumed. Space-time is kept in
 * MB-seconds so that per-block consumption is exact; one MD is 86,400 MB-seconds.
 */
public record Figures(long worldMb, long boughtMbSec, long poolUcnt, long leasedMb,
                      long consumedMbSec) implements Encodable {
    public static final Figures EMPTY = new Figures(0, 0, 0, 0, 0);

    /** T: the space-time that can be sold within the maximum lease. */
    public long sellableMbSec(int maxLeaseDays) {
        return Math.multiplyExact(worldMb, maxLeaseDays * ChainParams.SECONDS_PER_DAY);
    }

    /** R = T - B. Never negative: B only holds leases inside the world disk and the lease limit. */
    public long residualMbSec(int maxLeaseDays) {
        return Math.max(0, sellableMbSec(maxLeaseDays) - boughtMbSec);
    }

    @Override
    public void encode(CanonicalWriter out) {
        out.u64(worldMb).u64(boughtMbSec).u64(poolUcnt).u64(leasedMb).u64(consumedMbSec);
    }

    public static Figures decode(CanonicalReader in) throws CodecException {
        return new Figures(in.u64Max("world", Long.MAX_VALUE), in.u64Max("bought", Long.MAX_VALUE),
                in.u64Max("pool", Long.MAX_VALUE), in.u64Max("leased", Long.MAX_VALUE),
                in.u64Max("consumed", Long.MAX_VALUE));
    }
}
