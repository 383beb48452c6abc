package org.cnt.chain.proof;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.cnt.chain.crypto.Hash;

/**
 * What one member of a chunk's copy group must prove in one round: that it holds the bytes
 * {@code [offsetBytes, offsetBytes + lengthBytes)} of the chunk. The range follows from the
 * round's seed (a block hash), the chunk and the member, so nobody can predict it before the
 * block and every member can compute everyone's. Ranges are whole pages of
 * {@link #PAGE_BYTES} and at most {@link #MAX_PAGES} long, so a round for a farmer holding 100
 * chunks reads (its own range and its peers', to check their answers) a few MB, not the chunks.
 */
public record Challenge(Hash seed, long chunkId, long farmerId, long offsetBytes,
                        int lengthBytes) {
    public static final int PAGE_BYTES = 4096;
    public static final int MIN_PAGES = 2;
    public static final int MAX_PAGES = 4;
    private static final byte[] DOMAIN = "cnt-proof-challenge".getBytes(StandardCharsets.UTF_8);

    public Challenge {
        if (offsetBytes < 0 || offsetBytes % PAGE_BYTES != 0 || lengthBytes % PAGE_BYTES != 0
                || lengthBytes < MIN_PAGES * PAGE_BYTES || lengthBytes > MAX_PAGES * PAGE_BYTES) {
            throw new IllegalArgumentException("bad challenge range: " + lengthBytes
                    + " bytes at " + offsetBytes);
        }
    }

    /** The challenge of {@code farmerId} for {@code chunkId} in the round seeded by {@code seed}. */
    public static Challenge derive(Hash seed, long chunkId, long farmerId, long chunkSizeBytes) {
        long pages = chunkSizeBytes / PAGE_BYTES;
        if (chunkSizeBytes % PAGE_BYTES != 0 || pages < MAX_PAGES) {
            throw new IllegalArgumentException("a chunk of " + chunkSizeBytes + " bytes cannot "
                    + "be challenged in pages of " + PAGE_BYTES);
        }
        MessageDigest digest = Hash.threadDigest();
        digest.update(DOMAIN);
        digest.update(seed.toBytes());
        digest.update(ByteBuffer.allocate(16).putLong(chunkId).putLong(farmerId).array());
        ByteBuffer h = ByteBuffer.wrap(digest.digest());
        int lengthPages = MIN_PAGES + Math.floorMod(h.getInt(0), MAX_PAGES - MIN_PAGES + 1);
        // 2^64 against at most 2^40 pages: the modulo's bias is below 2^-24.
        long offsetPage = Long.remainderUnsigned(h.getLong(8), pages - lengthPages + 1);
        return new Challenge(seed, chunkId, farmerId, offsetPage * PAGE_BYTES,
                lengthPages * PAGE_BYTES);
    }
}
