package org.cnt.cli;

import java.util.concurrent.Callable;
import org.cnt.node.ChainBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cnt bench}: measured figures, each beside a baseline taken in the same run. */
@Command(name = "bench", description = "Benchmarks.", subcommands = {BenchCommand.Chain.class})
final class BenchCommand {

    /** Signed transfers through the real validation, transition and RocksDB commit. */
    @Command(name = "chain", description = "Main-chain throughput of signed transfers.")
    static final class Chain implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--txs", defaultValue = "100000")
        int txs;

        @Option(names = "--accounts", defaultValue = "2000")
        int accounts;

        @Option(names = "--tx-per-block", defaultValue = "10000")
        int txPerBlock;

        @Option(names = "--threads", description = "signature-verification threads "
                + "(default: the number of cores)")
        Integer threads;

        @Override
        public Integer call() throws Exception {
            if (txs < 1 || accounts < 2 || txPerBlock < 1) {
                throw new CliException("--txs, --accounts (at least 2) and --tx-per-block must be "
                        + "positive");
            }
            int verifyThreads = threads != null ? threads : Runtime.getRuntime().availableProcessors();
            ChainBenchmark.Result result = ChainBenchmark.run(accounts, txs, txPerBlock,
                    verifyThreads);
            return common.emit(result, out -> out.printf("%.0f tx/s (%d transfers in %d blocks, "
                    + "%.2f s; %.1f ms per block commit)%nbaseline: %.0f Ed25519 verifications/s "
                    + "on one thread%n", result.txPerS(), result.txs(), result.blocks(),
                    result.seconds(), result.blockCommitMsAvg(),
                    result.baselineVerifyPerSecOneThread()));
        }
    }
}
