package org.cnt.node;

import java.nio.file.Path;

/**
 * How to run a consensus node: its data directory (chain database and producer key), where the
 * API listens, and the genesis file for a new chain (ignored, but checked, once the chain exists).
 */
public record NodeConfig(Path dataDir, String listenHost, int listenPort, Path genesisFile,
                         int mempoolCapacity) {
    public static final int DEFAULT_PORT = 7070;
    public static final int DEFAULT_MEMPOOL_CAPACITY = 50_000;

    public NodeConfig {
        if (listenPort < 0 || listenPort > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + listenPort);
        }
        if (mempoolCapacity < 1) {
            throw new IllegalArgumentException("mempool capacity must be positive: "
                    + mempoolCapacity);
        }
    }

    public Path producerKeyFile() {
        return dataDir.resolve("producer.key");
    }

    public Path chainDir() {
        return dataDir.resolve("chain");
    }

    public Path storedGenesisFile() {
        return dataDir.resolve("genesis.json");
    }
}
