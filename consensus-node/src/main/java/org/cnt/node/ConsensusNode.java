package org.cnt.node;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cnt.chain.api.Json;
import org.cnt.chain.crypto.KeyFile;
import org.cnt.chain.crypto.KeyFileException;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.Genesis;
import org.cnt.node.internal.ApiServer;
import org.cnt.node.internal.ChainCore;
import org.cnt.node.internal.ChainReplayer;
import org.cnt.node.internal.ChainService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running consensus node: the chain, its block timer and the HTTP API. {@link #close()} stops
 * the API, lets the current block finish and closes the database; a node killed instead restarts
 * at its last committed block.
 */
public final class ConsensusNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsensusNode.class);

    private final ChainCore core;
    private final ChainService service;
    private final ApiServer api;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();

    private ConsensusNode(ChainCore core, ChainService service, ApiServer api) {
        this.core = core;
        this.service = service;
        this.api = api;
    }

    /** Opens (or creates) the chain in the data directory and starts producing and serving. */
    public static ConsensusNode start(NodeConfig config, Clock clock) throws NodeException {
        KeyPair key = producerKey(config);
        Genesis genesis = genesis(config);
        ChainCore core = ChainCore.open(config.chainDir(), genesis, key, config.mempoolCapacity());
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ConsensusNode[] self = new ConsensusNode[1];
        ChainService service = new ChainService(core, clock, metrics, () -> {
            if (self[0] != null) {
                self[0].stopped.countDown();
            }
        });
        ApiServer api;
        try {
            api = new ApiServer(config.listenHost(), config.listenPort(), service, metrics,
                    genesis.params().blockTimeMs());
        } catch (NodeException e) {
            service.close();
            core.close();
            throw e;
        }
        self[0] = new ConsensusNode(core, service, api);
        service.start(genesis.params().blockTimeMs());
        LOG.info("consensus node of {} serving http://{}:{} at height {}", genesis.network(),
                config.listenHost(), api.port(), core.head().height());
        return self[0];
    }

    /**
     * Writes a new chain's genesis into the data directory, naming this node's key (created if
     * missing) as the block producer. Refuses when the directory already has a genesis.
     */
    public static Genesis writeGenesis(NodeConfig config, String network, ChainParams params,
                                       List<Genesis.Allocation> allocations, long timestampMs)
            throws NodeException {
        if (Files.exists(config.storedGenesisFile())) {
            throw new NodeException(config.dataDir() + " already holds a chain ("
                    + config.storedGenesisFile() + ")");
        }
        Genesis genesis = new Genesis(network, params, producerKey(config).publicKey(),
                timestampMs, allocations);
        try {
            Files.write(config.storedGenesisFile(), Json.pretty().writeValueAsBytes(genesis));
        } catch (IOException e) {
            throw new NodeException("cannot write " + config.storedGenesisFile() + ": "
                    + e.getMessage(), e);
        }
        return genesis;
    }

    /**
     * Checks a stopped node's chain: the stored state against the head's root, then every block
     * re-executed from genesis. Returns null when all holds, else what differs first.
     */
    public static String verify(NodeConfig config) throws NodeException {
        Genesis genesis = readGenesis(config.storedGenesisFile());
        try (ChainCore core = ChainCore.open(config.chainDir(), genesis, producerKey(config), 1)) {
            ChainReplayer.Outcome outcome = core.replayFromGenesis();
            LOG.info("replayed {} blocks to state root {}", outcome.blocksChecked(),
                    outcome.stateRoot());
            return outcome.mismatch();
        }
    }

    private static KeyPair producerKey(NodeConfig config) throws NodeException {
        try {
            if (!Files.exists(config.producerKeyFile())) {
                KeyFile.write(config.producerKeyFile(), KeyPair.generate(), null, 0);
            }
            return KeyFile.read(config.producerKeyFile(), null);
        } catch (KeyFileException e) {
            throw new NodeException("producer key: " + e.getMessage(), e);
        }
    }

    /** The genesis given, or the one stored in the data directory when the chain exists. */
    private static Genesis genesis(NodeConfig config) throws NodeException {
        Path file = config.genesisFile() != null ? config.genesisFile()
                : config.storedGenesisFile();
        if (!Files.exists(file)) {
            throw new NodeException("no genesis: pass --genesis FILE for a new chain (no "
                    + config.storedGenesisFile() + " yet)");
        }
        Genesis genesis = readGenesis(file);
        try {
            if (!file.equals(config.storedGenesisFile())) {
                Files.createDirectories(config.dataDir());
                Files.write(config.storedGenesisFile(), Json.pretty().writeValueAsBytes(genesis));
            }
        } catch (IOException e) {
            throw new NodeException("cannot write " + config.storedGenesisFile() + ": "
                    + e.getMessage(), e);
        }
        return genesis;
    }

    public static Genesis readGenesis(Path file) throws NodeException {
        try {
            return Json.mapper().readValue(file.toFile(), Genesis.class);
        } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new NodeException("genesis " + file + " is invalid: " + cause.getMessage(), e);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new NodeException("genesis " + file + " is not valid: " + e.getOriginalMessage(),
                    e);
        } catch (IOException e) {
            throw new NodeException("cannot read genesis " + file + ": " + e.getMessage(), e);
        }
    }

    public String chainId() {
        return core.chainId().hex();
    }

    public int port() {
        return api.port();
    }

    public long height() {
        return service.headHeight();
    }

    /** Blocks until the node stops on a fatal error (a failing disk). */
    public void awaitFatal() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        api.close();
        service.close();
        core.close();
        stopped.countDown();
        LOG.info("consensus node stopped");
    }
}
