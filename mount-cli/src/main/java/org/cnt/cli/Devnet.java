package org.cnt.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import org.cnt.chain.api.Json;
import org.cnt.chain.crypto.Address;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.Genesis;
import org.cnt.farmer.FarmerException;
import org.cnt.node.NodeException;

/**
 * The embedded devnet under {@code HOME/devnet}: one consensus node and N farmers on loopback,
 * as one process, its chain and replicas kept between runs. {@code devnet.json} records the
 * shape and ports chosen the first time, {@code devnet.pid} the process while it runs, and
 * {@code node.url} where other commands find the node.
 */
final class Devnet {
    static final String NETWORK = "devnet";
    static final long DEFAULT_FUNDS_UCNT = 1_000_000L * 1_000_000L;

    /** What the first {@code up} chose; later runs start the same network. */
    record Shape(int farmers, long farmerCapacityBytes, int nodePort, List<Integer> farmerPorts,
                 long chunkSizeBytes) {
    }

    private final Path root;

    Devnet(Path home) {
        this.root = home.resolve("devnet");
    }

    Path root() {
        return root;
    }

    Path logFile() {
        return root.resolve("devnet.log");
    }

    Shape shape() throws IOException {
        Path file = root.resolve("devnet.json");
        return Files.exists(file) ? Json.mapper().readValue(file.toFile(), Shape.class) : null;
    }

    private void saveShape(Shape shape) throws IOException {
        Files.createDirectories(root);
        Path temp = root.resolve("devnet.json.tmp");
        Json.pretty().writeValue(temp.toFile(), shape);
        Files.move(temp, root.resolve("devnet.json"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** The pid of the running devnet, if one runs. */
    java.util.OptionalLong runningPid() {
        return PidFile.live(root.resolve("devnet.pid"));
    }

    /** The node's URL while the devnet runs (what commands use when no --node is given). */
    static String nodeUrl(Path home) {
        Devnet devnet = new Devnet(home);
        if (devnet.runningPid().isEmpty()) {
            return null;
        }
        try {
            return Files.readString(devnet.root.resolve("node.url")).trim();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Starts the network in this process. On first use it writes a genesis funding
     * {@code wallet}; {@code wanted} then fixes the shape for good.
     */
    LocalNetwork start(Shape wanted, Address wallet) throws IOException, NodeException,
            FarmerException {
        Shape shape = shape();
        if (shape == null) {
            shape = wanted;
        } else if (wanted.farmers() > shape.farmers()) {
            shape = new Shape(wanted.farmers(), shape.farmerCapacityBytes(), shape.nodePort(),
                    shape.farmerPorts(), shape.chunkSizeBytes());
        }
        ChainParams d = ChainParams.defaults();
        ChainParams params = new ChainParams(shape.chunkSizeBytes(), d.sliceSizeBytes(),
                d.groupSize(), d.blockTimeMs(), d.connectorWeightPpm(), d.minPriceUcntPerMd(),
                d.proofIntervalBlocks(), d.maxLeaseDays(), d.graceDays(), d.maxTxPerBlock());
        LocalNetwork net = LocalNetwork.open(root, NETWORK, params,
                List.of(new Genesis.Allocation(wallet, DEFAULT_FUNDS_UCNT)), shape.farmers(),
                shape.farmerCapacityBytes(), Clock.systemUTC(), null, shape.nodePort(),
                shape.farmerPorts());
        try {
            saveShape(new Shape(shape.farmers(), shape.farmerCapacityBytes(), net.nodePort(),
                    net.farmerPorts(), shape.chunkSizeBytes()));
            Files.writeString(root.resolve("node.url"), net.nodeUrl() + "\n");
            PidFile.write(root.resolve("devnet.pid"), ProcessHandle.current().pid(), "");
        } catch (IOException | RuntimeException e) {
            net.close();
            throw e;
        }
        return net;
    }

    /** After a clean stop: no pid file claims a process. */
    void stopped() {
        PidFile.remove(root.resolve("devnet.pid"));
    }
}
