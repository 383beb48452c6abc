package org.cnt.blockdev;

import java.nio.file.Path;
import org.cnt.chain.crypto.KeyPair;

/**
 * How to open a volume as a block device.
 *
 * @param nodeUrl        the consensus node's API
 * @param owner          the volume owner's key: it signs the writes and derives the volume key
 * @param volumeId       the volume
 * @param cacheDir       this volume's cache directory ({@code $CNT_HOME/cache/<volume>})
 * @param cacheBytes     the write-back log's capacity on disk (writes wait when it is full)
 * @param readCacheBytes the in-memory cache of clean pages
 * @param force          take over a session whose holder vanished and whose lease ran out
 * @param holder         names this client to another that finds the volume in use
 */
public record VolumeConfig(String nodeUrl, KeyPair owner, long volumeId, Path cacheDir,
                           long cacheBytes, long readCacheBytes, boolean force, String holder) {
    public static final long DEFAULT_CACHE_BYTES = 1L << 30;
    public static final long DEFAULT_READ_CACHE_BYTES = 256L << 20;
    /** The smallest write-back log: two of its segments. */
    public static final long MIN_CACHE_BYTES = 32L << 20;

    public VolumeConfig {
        if (cacheBytes < MIN_CACHE_BYTES) {
            throw new IllegalArgumentException("the write-back cache needs at least "
                    + (MIN_CACHE_BYTES >> 20) + " MiB, not " + cacheBytes + " bytes");
        }
        if (readCacheBytes < 0) {
            throw new IllegalArgumentException("a negative read cache: " + readCacheBytes);
        }
    }

    /** This host and process, as another client is told who holds the volume. */
    public static String thisClient() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "unknown host";
        }
        return host + " pid " + ProcessHandle.current().pid();
    }
}
