package org.cnt.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.cnt.chain.api.NodeClient;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.Genesis;
import org.cnt.farmer.FarmerConfig;
import org.cnt.farmer.FarmerDaemon;
import org.cnt.farmer.FarmerException;
import org.cnt.node.ConsensusNode;
import org.cnt.node.NodeConfig;
import org.cnt.node.NodeException;

/**
 * A consensus node and farmers in this process, on loopback sockets and their own directories
 * under one root: what benchmarks and the embedded devnet run on. Farmers keep their ports
 * across restarts, so peers need not learn new endpoints.
 */
final class LocalNetwork implements AutoCloseable {
    private final ConsensusNode node;
    private final String nodeUrl;
    private final List<FarmerConfig> farmerConfigs = new ArrayList<>();
    private final List<FarmerDaemon> farmers = new ArrayList<>();

    /** Farmer timing: protocol tick, leader timeout in ticks, chain poll. */
    record Timing(long tickMs, int leaderTimeoutTicks, long chainPollMs) {
    }

    private LocalNetwork(ConsensusNode node) {
        this.node = node;
        this.nodeUrl = "http://127.0.0.1:" + node.port();
    }

    static LocalNetwork start(Path root, String network, ChainParams params,
                              List<Genesis.Allocation> allocations, int farmerCount,
                              long farmerCapacityBytes, Clock clock, Timing timing)
            throws NodeException, FarmerException {
        return open(root, network, params, allocations, farmerCount, farmerCapacityBytes, clock,
                timing, 0, List.of());
    }

    /**
     * Starts the network kept under {@code root}, creating its chain on first use (later runs
     * keep their state and ignore {@code params} and {@code allocations}). Ports: 0 and missing
     * farmer ports pick free ones; {@link #farmerPorts()} tells which, to ask for next time.
     * {@code timing} null: the farmers' production timing.
     */
    static LocalNetwork open(Path root, String network, ChainParams params,
                             List<Genesis.Allocation> allocations, int farmerCount,
                             long farmerCapacityBytes, Clock clock, Timing timing, int nodePort,
                             List<Integer> farmerPorts) throws NodeException, FarmerException {
        NodeConfig config = new NodeConfig(root.resolve("node"), "127.0.0.1", nodePort, null,
                10_000);
        if (!java.nio.file.Files.exists(config.storedGenesisFile())) {
            ConsensusNode.writeGenesis(config, network, params, allocations, clock.millis());
        }
        LocalNetwork net = new LocalNetwork(ConsensusNode.start(config, clock));
        try {
            for (int i = 0; i < farmerCount; i++) {
                FarmerConfig first = FarmerConfig.of(root.resolve("farmer" + i),
                        farmerCapacityBytes, "127.0.0.1",
                        i < farmerPorts.size() ? farmerPorts.get(i) : 0, null, net.nodeUrl,
                        KeyPair.fromLabel(network + "-farmer-" + i));
                if (timing != null) {
                    first = first.withTiming(timing.tickMs(), timing.leaderTimeoutTicks(),
                            timing.chainPollMs());
                }
                FarmerDaemon farmer = FarmerDaemon.start(first);
                net.farmers.add(farmer);
                net.farmerConfigs.add(new FarmerConfig(first.dir(), first.capacityBytes(),
                        first.listenHost(), farmer.port(), first.endpoint(), first.nodeUrl(),
                        first.key(), first.tickMs(), first.leaderTimeoutTicks(),
                        first.chainPollMs(), first.replicaThreads(), first.maxFrameBytes()));
            }
            return net;
        } catch (FarmerException | RuntimeException e) {
            net.close();
            throw e;
        }
    }

    int nodePort() {
        return node.port();
    }

    List<Integer> farmerPorts() {
        return farmerConfigs.stream().map(FarmerConfig::listenPort).toList();
    }

    String nodeUrl() {
        return nodeUrl;
    }

    NodeClient client() {
        return new NodeClient(nodeUrl);
    }

    List<FarmerDaemon> farmers() {
        return farmers;
    }

    FarmerDaemon farmer(int index) {
        return farmers.get(index);
    }

    /** Stops a farmer (its state stays on disk). */
    void stopFarmer(int index) {
        farmers.get(index).close();
    }

    /** Starts a stopped farmer again on its directory, key and port. */
    FarmerDaemon restartFarmer(int index) throws FarmerException {
        FarmerDaemon farmer = FarmerDaemon.start(farmerConfigs.get(index));
        farmers.set(index, farmer);
        return farmer;
    }

    @Override
    public void close() {
        farmers.forEach(FarmerDaemon::close);
        node.close();
    }
}
