package org.cnt.node.internal;

import org.cnt.chain.codec.CanonicalReader;
import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.codec.Encodable;

/**
 * Chain-wide counters kept in the state (and so under the state root). {@code leaseSumMbSec}
 * is the sum of size times expiry over active leases, so the unconsumed space-time at any
 * instant t is {@code leaseSumMbSec - t * leasedMb} without visiting a lease.
 */
record Globals(long nextFarmerId, long nextChunkId, long nextVolumeId, long poolUcnt,
               long leaseSumMbSec, long leasedMb, long timeSec) implements Encodable {
    static final Globals GENESIS = new Globals(1, 0, 1, 0, 0, 0, 0);

    long boughtMbSec(long atSec) {
        return Math.subtractExact(leaseSumMbSec, Math.multiplyExact(atSec, leasedMb));
    }

    Globals withPool(long pool) {
        return new Globals(nextFarmerId, nextChunkId, nextVolumeId, pool, leaseSumMbSec, leasedMb,
                timeSec);
    }

    Globals withLeases(long sumMbSec, long leased) {
        return new Globals(nextFarmerId, nextChunkId, nextVolumeId, poolUcnt, sumMbSec, leased,
                timeSec);
    }

    Globals withTime(long sec) {
        return new Globals(nextFarmerId, nextChunkId, nextVolumeId, poolUcnt, leaseSumMbSec,
                leasedMb, sec);
    }

    Globals withNextIds(long farmer, long chunk, long volume) {
        return new Globals(farmer, chunk, volume, poolUcnt, leaseSumMbSec, leasedMb, timeSec);
    }

    @Override
    public void encode(CanonicalWriter out) {
        out.u64(nextFarmerId).u64(nextChunkId).u64(nextVolumeId).u64(poolUcnt).u64(leaseSumMbSec)
                .u64(leasedMb).u64(timeSec);
    }

    static Globals decode(CanonicalReader in) throws CodecException {
        return new Globals(in.u64("next farmer"), in.u64("next chunk"), in.u64("next volume"),
                in.u64("pool"), in.u64("lease sum"), in.u64("leased"), in.u64("time"));
    }
}
