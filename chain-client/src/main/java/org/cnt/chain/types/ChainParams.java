package org.cnt.chain.types;

import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.codec.Encodable;

/**
 * The chain's constants, fixed at genesis. Sizes are bytes; rent is counted in MB (2^20 bytes)
 * and MD (MB-days). A chunk is a whole number of MB and of slices; a slice divides one MB, so a
 * volume of s MB is exactly {@code s * slicesPerMb()} slices.
 */
public record ChainParams(long chunkSizeBytes, int sliceSizeBytes, int groupSize,
                          int blockTimeMs, int connectorWeightPpm, long minPriceUcntPerMd,
                          int proofIntervalBlocks, int maxLeaseDays, int graceDays,
                          int maxTxPerBlock, long miningUcntPerSec, long subsidyUcntPerSec,
                          int missesToReplace, int reportersToBlacklist) implements Encodable {
    public static final long MB = 1L << 20;
    public static final long SECONDS_PER_DAY = 86_400L;
    private static final long TWENTY_YEARS_SEC = 20 * 365 * SECONDS_PER_DAY;
    private static final long SUPPLY_UCNT = (1L << 30) * Amounts.UCNT_PER_CNT;
    /** DESIGN.md: storage mining emits 35% of the 2^30 CNT supply over 20 years. */
    public static final long MINING_UCNT_PER_SEC = SUPPLY_UCNT / 100 * 35 / TWENTY_YEARS_SEC;
    /**
     * Consecutive proof rounds a member may miss before the chain replaces it (0 replaces no one
     * for misses; they are still counted and unpaid). Three: a farmer restarted for an upgrade
     * misses a round, perhaps two; one that is gone for an hour (180 rounds of 20 s) is not
     * coming back soon, and each round without it is a round with one copy fewer.
     */
    public static final int DEFAULT_MISSES_TO_REPLACE = 3;
    /** Distinct clients whose bad-data reports blacklist a farmer. */
    public static final int DEFAULT_REPORTERS_TO_BLACKLIST = 3;

    /** DESIGN.md defaults: 64 MiB chunks, 1 MiB slices, groups of 4, 1 s blocks, c = 0.2. */
    public static ChainParams defaults() {
        return new ChainParams(64 * MB, (int) MB, 4, 1000, 200_000, 100, 20, 365, 7, 10_000);
    }

    /**
     * The shape and rent parameters, with the default emission and repair rules: storage mining
     * at its DESIGN.md rate, no subsidy stream (DESIGN.md names one but no rate: a genesis sets
     * it; every CNT of it raises the price, as the pool is the price's numerator).
     */
    public ChainParams(long chunkSizeBytes, int sliceSizeBytes, int groupSize, int blockTimeMs,
                       int connectorWeightPpm, long minPriceUcntPerMd, int proofIntervalBlocks,
                       int maxLeaseDays, int graceDays, int maxTxPerBlock) {
        this(chunkSizeBytes, sliceSizeBytes, groupSize, blockTimeMs, connectorWeightPpm,
                minPriceUcntPerMd, proofIntervalBlocks, maxLeaseDays, graceDays, maxTxPerBlock,
                MINING_UCNT_PER_SEC, 0, DEFAULT_MISSES_TO_REPLACE,
                DEFAULT_REPORTERS_TO_BLACKLIST);
    }

    /** The same chain with other emission rates (0 turns a stream off). */
    public ChainParams withEmission(long mining, long subsidy) {
        return new ChainParams(chunkSizeBytes, sliceSizeBytes, groupSize, blockTimeMs,
                connectorWeightPpm, minPriceUcntPerMd, proofIntervalBlocks, maxLeaseDays, graceDays,
                maxTxPerBlock, mining, subsidy, missesToReplace, reportersToBlacklist);
    }

    /** The same chain with other repair rules. */
    public ChainParams withRepair(int misses, int reporters) {
        return new ChainParams(chunkSizeBytes, sliceSizeBytes, groupSize, blockTimeMs,
                connectorWeightPpm, minPriceUcntPerMd, proofIntervalBlocks, maxLeaseDays, graceDays,
                maxTxPerBlock, miningUcntPerSec, subsidyUcntPerSec, misses, reporters);
    }

    /** Bugs in a genesis file surface here with the offending value. */
    public ChainParams {
        require(chunkSizeBytes >= MB && chunkSizeBytes % MB == 0 && chunkSizeBytes <= (1L << 40),
                "chunkSizeBytes must be a whole number of MiB between 1 MiB and 1 TiB: "
                        + chunkSizeBytes);
        require(sliceSizeBytes >= 4096 && Integer.bitCount(sliceSizeBytes) == 1
                && sliceSizeBytes <= MB, "sliceSizeBytes must be a power of two from 4 KiB to 1 MiB: "
                        + sliceSizeBytes);
        require(groupSize >= 1 && groupSize <= 64, "groupSize must be 1..64: " + groupSize);
        require(blockTimeMs >= 10 && blockTimeMs <= 600_000, "blockTimeMs must be 10..600000: "
                + blockTimeMs);
        require(connectorWeightPpm > 0 && connectorWeightPpm <= 1_000_000,
                "connectorWeightPpm must be 1..1000000: " + connectorWeightPpm);
        require(minPriceUcntPerMd > 0, "minPriceUcntPerMd must be positive: " + minPriceUcntPerMd);
        require(proofIntervalBlocks > 0, "proofIntervalBlocks must be positive: "
                + proofIntervalBlocks);
        require(maxLeaseDays > 0 && maxLeaseDays <= 365, "maxLeaseDays must be 1..365: "
                + maxLeaseDays);
        require(graceDays >= 0 && graceDays <= 365, "graceDays must be 0..365: " + graceDays);
        require(maxTxPerBlock > 0 && maxTxPerBlock <= 100_000, "maxTxPerBlock must be 1..100000: "
                + maxTxPerBlock);
        require(miningUcntPerSec >= 0 && miningUcntPerSec <= SUPPLY_UCNT / SECONDS_PER_DAY,
                "miningUcntPerSec must be 0.." + SUPPLY_UCNT / SECONDS_PER_DAY + ": "
                        + miningUcntPerSec);
        require(subsidyUcntPerSec >= 0 && subsidyUcntPerSec <= SUPPLY_UCNT / SECONDS_PER_DAY,
                "subsidyUcntPerSec must be 0.." + SUPPLY_UCNT / SECONDS_PER_DAY + ": "
                        + subsidyUcntPerSec);
        require(missesToReplace >= 0 && missesToReplace <= 1000,
                "missesToReplace must be 0..1000: " + missesToReplace);
        require(reportersToBlacklist >= 0 && reportersToBlacklist <= 1000,
                "reportersToBlacklist must be 0..1000: " + reportersToBlacklist);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    public int quorum() {
        return 2 * groupSize / 3 + 1;
    }

    public long chunkSizeMb() {
        return chunkSizeBytes / MB;
    }

    public int slicesPerMb() {
        return (int) (MB / sliceSizeBytes);
    }

    public int slicesPerChunk() {
        return (int) (chunkSizeBytes / sliceSizeBytes);
    }

    @Override
    public void encode(CanonicalWriter out) {
        out.u64(chunkSizeBytes).u32(sliceSizeBytes).u32(groupSize).u32(blockTimeMs)
                .u32(connectorWeightPpm).u64(minPriceUcntPerMd).u32(proofIntervalBlocks)
                .u32(maxLeaseDays).u32(graceDays).u32(maxTxPerBlock).u64(miningUcntPerSec)
                .u64(subsidyUcntPerSec).u32(missesToReplace).u32(reportersToBlacklist);
    }
}
