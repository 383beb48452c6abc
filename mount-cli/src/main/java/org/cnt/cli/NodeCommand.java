package org.cnt.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.cnt.chain.crypto.Address;
import org.cnt.chain.crypto.KeyFile;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.types.Amounts;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.Genesis;
import org.cnt.node.ConsensusNode;
import org.cnt.node.NodeConfig;
import org.cnt.node.NodeException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cnt node}: the consensus node. */
@Command(name = "node", description = "Run the consensus node that keeps the main chain.",
        subcommands = {NodeCommand.Run.class, NodeCommand.Verify.class})
final class NodeCommand {

    /** Re-executes a stopped node's chain from genesis. */
    @Command(name = "verify", description = {"Check a stopped node's chain database: replay "
        + "every block from genesis and compare each header's state root."})
    static final class Verify implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "default: HOME/node")
        Path dataDir;

        @Override
        public Integer call() throws Exception {
            Path dir = dataDir != null ? dataDir : common.context().home().resolve("node");
            NodeConfig config = new NodeConfig(dir, "127.0.0.1", 0, null, 1);
            if (!Files.exists(config.storedGenesisFile())) {
                throw new CliException("no chain in " + dir);
            }
            String mismatch;
            try {
                mismatch = ConsensusNode.verify(config);
            } catch (NodeException e) {
                throw new CliException(e.getMessage(), e);
            }
            if (mismatch != null) {
                throw new CliException("the chain in " + dir + " does not replay: " + mismatch);
            }
            common.out().println("every block replays from genesis to the same state root");
            return 0;
        }
    }

    /** Runs a node in the foreground until SIGTERM or Ctrl-C. */
    @Command(name = "run", description = {"Run a consensus node in the foreground.",
        "With an empty data directory and no --genesis it starts a devnet whose genesis funds "
            + "the wallet (created if missing)."})
    static final class Run implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "default: HOME/node")
        Path dataDir;

        @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:7070",
                description = "API address (default: ${DEFAULT-VALUE}; port 0 picks a free one)")
        String listen;

        @Option(names = "--genesis", paramLabel = "FILE", description = "genesis of a new chain")
        Path genesis;

        @Option(names = "--block-time", paramLabel = "DURATION",
                description = "block time of a new devnet, e.g. 1s or 200ms (default 1s)")
        String blockTime;

        @Option(names = "--devnet-funds", paramLabel = "CNT", defaultValue = "1000000",
                description = "what a new devnet gives the wallet (default: ${DEFAULT-VALUE})")
        String devnetFunds;

        @Option(names = "--chunk-size", paramLabel = "SIZE",
                description = "chunk size of a new devnet (default 64MiB)")
        String chunkSize;

        @Option(names = "--misses-to-replace", paramLabel = "ROUNDS",
                description = "proof rounds in a row a farmer of a new devnet may miss before "
                        + "the chain replaces it; 0 never does (default "
                        + ChainParams.DEFAULT_MISSES_TO_REPLACE + ")")
        Integer missesToReplace;

        @Override
        public Integer call() throws Exception {
            Context context = common.context();
            Path dir = dataDir != null ? dataDir : context.home().resolve("node");
            HostPort address = HostPort.parse(listen, "--listen");
            NodeConfig config = new NodeConfig(dir, address.host(), address.port(), genesis,
                    NodeConfig.DEFAULT_MEMPOOL_CAPACITY);
            if (genesis == null && !Files.exists(config.storedGenesisFile())) {
                createDevnet(context, config);
            } else {
                requireMatchingGenesis(config);
            }
            ConsensusNode node = ConsensusNode.start(config, Clock.systemUTC());
            Runtime.getRuntime().addShutdownHook(new Thread(node::close, "node-shutdown"));
            common.out().println("consensus node serving http://" + config.listenHost() + ":"
                    + node.port() + " (chain " + node.chainId() + ", height " + node.height()
                    + ")");
            common.out().flush();
            node.awaitFatal();
            return 1;
        }

        /** Repeating a new devnet's flags is fine; asking for other values is a mistake. */
        private void requireMatchingGenesis(NodeConfig config) throws CliException {
            if (blockTime == null && chunkSize == null && missesToReplace == null) {
                return;
            }
            ChainParams params;
            try {
                params = ConsensusNode.readGenesis(genesis != null ? genesis
                        : config.storedGenesisFile()).params();
            } catch (NodeException e) {
                throw new CliException(e.getMessage(), e);
            }
            if (blockTime != null && durationMs(blockTime) != params.blockTimeMs()) {
                throw new CliException("this chain's block time is " + params.blockTimeMs()
                        + " ms, fixed in its genesis; --block-time only applies to a new devnet");
            }
            if (chunkSize != null && Sizes.parseBytes(chunkSize, ChainParams.MB)
                    != params.chunkSizeBytes()) {
                throw new CliException("this chain's chunk size is " + params.chunkSizeMb()
                        + " MiB, fixed in its genesis; --chunk-size only applies to a new devnet");
            }
            if (missesToReplace != null && missesToReplace != params.missesToReplace()) {
                throw new CliException("this chain replaces a farmer after "
                        + params.missesToReplace() + " missed proof rounds, fixed in its "
                        + "genesis; --misses-to-replace only applies to a new devnet");
            }
        }

        private void createDevnet(Context context, NodeConfig config) throws Exception {
            Path walletFile = context.walletFile();
            if (!Files.exists(walletFile)) {
                KeyFile.write(walletFile, KeyPair.generate(), null, 0);
                common.out().println("created wallet '" + context.walletName() + "' in "
                        + walletFile);
            }
            Address funded = KeyFile.address(walletFile);
            ChainParams d = ChainParams.defaults();
            int blockTimeMs = blockTime == null ? d.blockTimeMs() : durationMs(blockTime);
            if (missesToReplace != null && (missesToReplace < 0 || missesToReplace > 1000)) {
                throw new CliException("--misses-to-replace must be 0..1000: " + missesToReplace);
            }
            long chunkBytes = chunkSize == null ? d.chunkSizeBytes()
                    : Sizes.parseBytes(chunkSize, ChainParams.MB);
            ChainParams params = new ChainParams(chunkBytes, d.sliceSizeBytes(), d.groupSize(),
                    blockTimeMs, d.connectorWeightPpm(), d.minPriceUcntPerMd(),
                    d.proofIntervalBlocks(), d.maxLeaseDays(), d.graceDays(), d.maxTxPerBlock())
                    .withRepair(missesToReplace == null ? d.missesToReplace() : missesToReplace,
                            d.reportersToBlacklist());
            long funds = Amounts.parse(devnetFunds);
            try {
                ConsensusNode.writeGenesis(config, "devnet", params,
                        List.of(new Genesis.Allocation(funded, funds)), Clock.systemUTC().millis());
            } catch (NodeException e) {
                throw new CliException(e.getMessage(), e);
            }
            common.out().println("new devnet in " + config.dataDir() + "; genesis gives "
                    + Amounts.format(funds) + " CNT to " + funded);
        }

        private static int durationMs(String text) throws CliException {
            String t = text.trim().toLowerCase();
            try {
                Duration duration = t.endsWith("ms") ? Duration.ofMillis(Long.parseLong(
                        t.substring(0, t.length() - 2))) : t.endsWith("s")
                        ? Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)))
                        : Duration.ofMillis(Long.parseLong(t));
                return Math.toIntExact(duration.toMillis());
            } catch (NumberFormatException | ArithmeticException e) {
                throw new CliException("not a duration: '" + text + "' (try 1s or 200ms)");
            }
        }
    }
}
