package org.cnt.node;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.types.Amounts;
import org.cnt.chain.types.Block;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.Genesis;
import org.cnt.chain.types.Tx;
import org.cnt.chain.types.TxPayload;
import org.cnt.node.internal.ChainCore;

/**
 * {@code cnt bench chain}: signed transfers through the real admission (signature check in
 * parallel, nonce and balance checks), state transition, block signing and synced RocksDB commit.
 * Signing is done before the clock starts: clients sign, the chain only verifies. The baseline
 * printed beside it is this machine's single-thread Ed25519 verification rate in the same run.
 */
public final class ChainBenchmark {

    /** The figures the command prints as JSON (snake_case, as report scripts expect). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Result(double txPerS, long txs, long blocks, double seconds, int accounts,
                         int verifyThreads, double baselineVerifyPerSecOneThread,
                         double blockCommitMsAvg) {
    }

    private ChainBenchmark() {
    }

    public static Result run(int accounts, int txCount, int txPerBlock, int verifyThreads)
            throws NodeException, IOException, InterruptedException {
        Path dir = Files.createTempDirectory("cnt-bench-chain");
        try {
            return runIn(dir, accounts, txCount, txPerBlock, verifyThreads);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static Result runIn(Path dir, int accounts, int txCount, int txPerBlock,
                                int verifyThreads)
            throws NodeException, InterruptedException {
        KeyPair producer = KeyPair.fromLabel("bench-producer");
        List<KeyPair> keys = new ArrayList<>();
        List<Genesis.Allocation> allocations = new ArrayList<>();
        for (int i = 0; i < accounts; i++) {
            KeyPair key = KeyPair.fromLabel("bench-" + i);
            keys.add(key);
            allocations.add(new Genesis.Allocation(key.address(), 1_000_000 * Amounts.UCNT_PER_CNT));
        }
        ChainParams d = ChainParams.defaults();
        ChainParams params = new ChainParams(d.chunkSizeBytes(), d.sliceSizeBytes(), d.groupSize(),
                d.blockTimeMs(), d.connectorWeightPpm(), d.minPriceUcntPerMd(),
                d.proofIntervalBlocks(), d.maxLeaseDays(), d.graceDays(), txPerBlock);
        Genesis genesis = new Genesis("bench", params, producer.publicKey(), 0, allocations);
        List<Tx> txs = new ArrayList<>(txCount);
        for (int i = 0; i < txCount; i++) {
            KeyPair from = keys.get(i % accounts);
            KeyPair to = keys.get((i + 1) % accounts);
            txs.add(Tx.sign(genesis.chainId(), from, i / accounts,
                    new TxPayload.Transfer(to.address(), 1 + i % 1000)));
        }
        double baseline = verifyRate(txs.subList(0, Math.min(2000, txs.size())));
        ExecutorService verifiers = Executors.newFixedThreadPool(verifyThreads);
        try (ChainCore core = ChainCore.open(dir, genesis, producer, txCount + 1)) {
            long included = 0;
            long blocks = 0;
            long commitNanos = 0;
            long start = System.nanoTime();
            for (int from = 0; from < txs.size(); from += txPerBlock) {
                List<Tx> batch = txs.subList(from, Math.min(txs.size(), from + txPerBlock));
                for (Tx tx : verified(batch, verifiers, verifyThreads)) {
                    Rejection refused = core.admit(tx);
                    if (refused != null) {
                        throw new IllegalStateException("benchmark tx refused: " + refused);
                    }
                }
                long blockStart = System.nanoTime();
                Block block = core.produceBlock(blocks + 1);
                commitNanos += System.nanoTime() - blockStart;
                included += block.txs().size();
                blocks++;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (included != txs.size()) {
                throw new IllegalStateException("only " + included + " of " + txs.size()
                        + " transfers were included");
            }
            return new Result(included / seconds, included, blocks, seconds, accounts,
                    verifyThreads, baseline, commitNanos / 1e6 / blocks);
        } finally {
            verifiers.shutdownNow();
        }
    }

    private static List<Tx> verified(List<Tx> batch, ExecutorService pool, int threads)
            throws InterruptedException {
        List<Future<Boolean>> parts = new ArrayList<>();
        int per = Math.ceilDiv(batch.size(), threads);
        for (int t = 0; t < threads; t++) {
            List<Tx> part = batch.subList(Math.min(batch.size(), t * per),
                    Math.min(batch.size(), (t + 1) * per));
            parts.add(pool.submit(() -> part.stream().allMatch(Tx::signatureValid)));
        }
        for (Future<Boolean> part : parts) {
            try {
                if (!part.get()) {
                    throw new IllegalStateException("a benchmark signature did not verify");
                }
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        return batch;
    }

    private static double verifyRate(List<Tx> sample) {
        long start = System.nanoTime();
        for (Tx tx : sample) {
            if (!tx.signatureValid()) {
                throw new IllegalStateException("a benchmark signature did not verify");
            }
        }
        return sample.size() / ((System.nanoTime() - start) / 1e9);
    }
}
