package org.cnt.node.internal;

import org.cnt.chain.codec.CanonicalReader;
import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.codec.Encodable;
import org.cnt.chain.crypto.Hash;

/**
 * Chain-wide counters kept in the state (and so under the state root). {@code leaseSumMbSec}
 * is the sum of size times expiry over active leases, so the unconsumed space-time at any
 * instant t is {@code leaseSumMbSec - t * leasedMb} without visiting a lease. {@code roundHeight}
 * and {@code roundSeed} are the open proof round (0 and zero before the first);
 * {@code mintedUcnt} is all that storage mining and the subsidy stream created.
 */
record Globals(long nextFarmerId, long nextChunkId, long nextVolumeId, long poolUcnt,
               long leaseSumMbSec, long leasedMb, long timeSec, long roundHeight, Hash roundSeed,
               long mintedUcnt) implements Encodable {
    static final Globals GENESIS = new Globals(1, 0, 1, 0, 0, 0, 0, 0, Hash.ZERO, 0);

    long boughtMbSec(long atSec) {
        return Math.subtractExact(leaseSumMbSec, Math.multiplyExact(atSec, leasedMb));
    }

    Globals withPool(long pool) {
        return new Globals(nextFarmerId, nextChunkId, nextVolumeId, pool, leaseSumMbSec, leasedMb,
                timeSec, roundHeight, roundSeed, mintedUcnt);
    }

    Globals withLeases(long sumMbSec, long leased) {
        return new Globals(nextFarmerId, nextChunkId, nextVolumeId, poolUcnt, sumMbSec, leased,
                timeSec, roundHeight, roundSeed, mintedUcnt);
    }

    Globals withTime(long sec) {
        return new Globals(nextFarmerId, nextChunkId, nextVolumeId, poolUcnt, leaseSumMbSec,
                leasedMb, sec, roundHeight, roundSeed, mintedUcnt);
    }

    Globals withNextIds(long farmer, long chunk, long volume) {
        return new Globals(farmer, chunk, volume, poolUcnt, leaseSumMbSec, leasedMb, timeSec,
                roundHeight, roundSeed, mintedUcnt);
    }

    Globals withRound(long height, Hash seed) {
        return new Globals(nextFarmerId, nextChunkId, nextVolumeId, poolUcnt, leaseSumMbSec,
                leasedMb, timeSec, height, seed, mintedUcnt);
    }

    Globals minted(long ucnt) {
        return new Globals(nextFarmerId, nextChunkId, nextVolumeId, poolUcnt, leaseSumMbSec,
                leasedMb, timeSec, roundHeight, roundSeed, Math.addExact(mintedUcnt, ucnt));
    }

    @Override
    public void encode(CanonicalWriter out) {
        out.u64(nextFarmerId).u64(nextChunkId).u64(nextVolumeId).u64(poolUcnt).u64(leaseSumMbSec)
                .u64(leasedMb).u64(timeSec).u64(roundHeight).fixed(roundSeed.toBytes())
                .u64(mintedUcnt);
    }

    static Globals decode(CanonicalReader in) throws CodecException {
        return new Globals(in.u64("next farmer"), in.u64("next chunk"), in.u64("next volume"),
                in.u64("pool"), in.u64("lease sum"), in.u64("leased"), in.u64("time"),
                in.u64("round height"), Hash.wrap(in.fixed(Hash.SIZE_BYTES, "round seed")),
                in.u64("minted"));
    }
}
