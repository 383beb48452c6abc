package org.cnt.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.Genesis;

/** The small in-process networks tests run on. */
final class TestNetworks {
    private TestNetworks() {
    }

    /**
     * A node with 100 ms blocks and four farmers of 8 MiB each, holding 4 MiB chunks of 256 KiB
     * slices, and {@code owner} funded to rent.
     */
    static LocalNetwork fourFarmers(Path dir, String network, KeyPair owner) throws Exception {
        return fourFarmers(dir, network, owner, Clock.systemUTC());
    }

    /** The same network on a clock of the test's (block times, so lease expiry, follow it). */
    static LocalNetwork fourFarmers(Path dir, String network, KeyPair owner, Clock clock)
            throws Exception {
        return fourFarmers(dir, network, owner, clock, params());
    }

    /** The network's chain parameters, for a test that changes some. */
    static ChainParams params() {
        ChainParams d = ChainParams.defaults();
        return new ChainParams(4 * ChainParams.MB, 256 * 1024, 4, 100, d.connectorWeightPpm(),
                d.minPriceUcntPerMd(), 20, 365, 7, 1000);
    }

    static LocalNetwork fourFarmers(Path dir, String network, KeyPair owner, Clock clock,
                                    ChainParams params) throws Exception {
        return LocalNetwork.start(dir, network, params,
                List.of(new Genesis.Allocation(owner.address(), 1_000_000_000)), 4,
                8 * ChainParams.MB, clock, new LocalNetwork.Timing(20, 10, 100));
    }
}
