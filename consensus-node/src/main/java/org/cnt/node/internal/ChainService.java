package org.cnt.node.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.cnt.chain.types.Block;
import org.cnt.chain.types.Tx;
import org.cnt.node.NodeException;
import org.cnt.node.Rejection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link ChainCore} on its own single thread: blocks every block time, queries and
 * admissions queued behind them, so the core never sees two callers at once. Signatures are
 * checked on virtual threads before a transaction reaches the chain thread.
 */
public final class ChainService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChainService.class);

    /** A query of the chain state, run on the chain thread. */
    @FunctionalInterface
    public interface Query<T> {
        T run(ChainCore core, ViewMapper views) throws NodeException;
    }

    private final ChainCore core;
    private final ViewMapper views;
    private final Clock clock;
    private final ScheduledExecutorService chainThread;
    private final ExecutorService verifiers = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Consumer<Block>> headListeners = new CopyOnWriteArrayList<>();
    private final Runnable onFatal;
    private final MeterRegistry metrics;
    private final Timer blockTimer;
    private final Counter included;
    private volatile long headHeight;
    private volatile long headProducedAtMs;

    public ChainService(ChainCore core, Clock clock, MeterRegistry metrics, Runnable onFatal) {
        this.core = core;
        this.views = new ViewMapper(core);
        this.clock = clock;
        this.onFatal = onFatal;
        this.metrics = metrics;
        this.chainThread = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("chain").daemon(true).factory());
        this.headHeight = core.head().height();
        this.headProducedAtMs = clock.millis();
        this.blockTimer = Timer.builder("cnt_block_produce").description("time to build, sign "
                + "and commit a block").publishPercentileHistogram().register(metrics);
        this.included = Counter.builder("cnt_txs_included").register(metrics);
        Gauge.builder("cnt_chain_height", this, service -> service.headHeight).register(metrics);
        Gauge.builder("cnt_mempool_size", core, ChainCore::mempoolSize).register(metrics);
    }

    public void start(long blockTimeMs) {
        chainThread.scheduleAtFixedRate(this::produce, blockTimeMs, blockTimeMs,
                TimeUnit.MILLISECONDS);
    }

    public void onNewHead(Consumer<Block> listener) {
        headListeners.add(listener);
    }

    public long headHeight() {
        return headHeight;
    }

    public long headAgeMs() {
        return clock.millis() - headProducedAtMs;
    }

    private void produce() {
        Block block;
        try {
            block = blockTimer.recordCallable(() -> core.produceBlock(clock.millis()));
        } catch (Exception e) {
            LOG.error("cannot commit block {}; stopping the node so it restarts from its last "
                    + "committed block: {}", core.head().height() + 1, e.getMessage(), e);
            chainThread.shutdown();
            onFatal.run();
            return;
        }
        headHeight = block.height();
        headProducedAtMs = clock.millis();
        included.increment(block.txs().size());
        for (Consumer<Block> listener : headListeners) {
            try {
                listener.accept(block);
            } catch (RuntimeException e) {
                LOG.warn("a new-head listener failed: {}", e.toString());
            }
        }
    }

    /** Verifies the signature, then admits; completes with null when the transaction is pooled. */
    public CompletableFuture<Rejection> submit(Tx tx) {
        return CompletableFuture.supplyAsync(tx::signatureValid, verifiers)
                .thenApplyAsync(valid -> valid ? admit(tx) : Rejection.of("bad_signature",
                        "the signature does not match the transaction and its sender's key"),
                        chainThread)
                .whenComplete((rejection, error) -> {
                    if (rejection != null) {
                        metrics.counter("cnt_txs_rejected", "code", rejection.code()).increment();
                    }
                });
    }

    private Rejection admit(Tx tx) {
        try {
            return core.admit(tx);
        } catch (NodeException e) {
            throw new CompletionException(e);
        }
    }

    public <T> CompletableFuture<T> query(Query<T> query) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return query.run(core, views);
            } catch (NodeException e) {
                throw new CompletionException(e);
            }
        }, chainThread);
    }

    /** Runs on the chain thread; for waiting on transactions without polling. */
    public java.util.concurrent.Executor chainExecutor() {
        return chainThread;
    }

    @Override
    public void close() {
        chainThread.shutdown();
        try {
            if (!chainThread.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("the chain thread did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        verifiers.shutdown();
    }
}
