package org.cnt.cli;

import java.util.concurrent.Callable;
import org.cnt.node.ChainBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cnt bench}: measured figures, each beside a baseline taken in the same run. */
@Command(name = "bench", description = "Benchmarks.", subcommands = {BenchCommand.Chain.class,
    BenchCommand.Microchain.class})
final class BenchCommand {

    /** Replicated writes through a node and four farmers on loopback. */
    @Command(name = "microchain", description = "Committed Wops/s and MiB/s through four "
            + "farmers on loopback, beside this disk's sequential write speed.")
    static final class Microchain implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--volume", defaultValue = "512", paramLabel = "MIB",
                description = "MiB written in each phase; phases of a few seconds average out "
                        + "this machine's noise (default: ${DEFAULT-VALUE})")
        int volumeMib;

        @Option(names = "--chunk", defaultValue = "16", paramLabel = "MIB",
                description = "chunk size of the bench chain (default: ${DEFAULT-VALUE})")
        int chunkMib;

        @Option(names = "--batch-4k", defaultValue = "64",
                description = "4 KiB Wops per signed batch (default: ${DEFAULT-VALUE})")
        int batch4k;

        @Option(names = "--batch-128k", defaultValue = "8",
                description = "128 KiB Wops per signed batch, at most a slice's worth (the "
                        + "bench chain's slices are 1 MiB) (default: ${DEFAULT-VALUE})")
        int batch128k;

        @Option(names = "--warmup", defaultValue = "10", paramLabel = "SECONDS",
                description = "seconds of writing at each Wop size before measuring (passes "
                        + "over the volume), so the JIT has compiled the hot paths and the heap "
                        + "is warm, as in a farmer that has run for a while; on two cores the "
                        + "compiler is still busy after a few seconds (default: ${DEFAULT-VALUE})")
        int warmupSeconds;

        @Option(names = "--in-flight", defaultValue = "32",
                description = "batches awaiting commit at once (default: ${DEFAULT-VALUE})")
        int inFlight;

        @Override
        public Integer call() throws Exception {
            if (volumeMib < 1 || chunkMib < 1 || batch4k < 1 || batch128k < 1 || inFlight < 1
                    || warmupSeconds < 0) {
                throw new CliException("every bench option must be positive");
            }
            MicrochainBenchmark.Result r = MicrochainBenchmark.run(volumeMib, chunkMib, batch4k,
                    batch128k, inFlight, warmupSeconds);
            return common.emit(r, out -> out.printf("%.0f committed 4 KiB Wops/s (%d per batch),"
                    + " %.1f MiB/s with 128 KiB Wops (%d per batch)%ncommit latency p50 %.1f ms,"
                    + " p99 %.1f ms%nCPU per MiB written (%d cores, node, four farmers and client):"
                    + " %.0f ms with 4 KiB Wops, %.0f ms with 128 KiB%n"
                    + "baseline: this disk writes %.0f MiB/s sequentially%n",
                    r.wopsPerS4k(), r.wopsPerBatch4k(), r.mibPerS128k(), r.wopsPerBatch128k(),
                    r.commitP50Ms(), r.commitP99Ms(), r.cpus(), r.cpuMsPerMib4k(),
                    r.cpuMsPerMib128k(), r.diskSeqWriteMibPerS()));
        }
    }

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
