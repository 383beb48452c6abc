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
                          int maxTxPerBlock) implements Encodable {
    public static final long MB = 1L << 20;
    public static final long SECONDS_PER_DAY = 86_400L;

    /** DESIGN.md defaults: 64 MiB chunks, 1 MiB slices, groups of 4, 1 s blocks, c = 0.2. */
    public static ChainParams defaults() {
        return new ChainParams(64 * MB, (int) MB, 4, 1000, 200_000, 100, 20, 365, 7, 10_000);
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
                .u32(maxLeaseDays).u32(graceDays).u32(maxTxPerBlock);
    }
}
