package org.cnt.farmer;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.cnt.farmer.daemon.FarmerRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The farmer daemon: checks its pledge against its disk, opens its replica store, listens,
 * registers (or updates) itself on the main chain, then follows the chain and serves every
 * chunk the chain assigns it. {@link #close()} stops it in order; a crash instead loses nothing
 * committed (see the store).
 */
public final class FarmerDaemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FarmerDaemon.class);
    private static final Duration NODE_WAIT = Duration.ofSeconds(30);

    private final FarmerRuntime runtime;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private FarmerDaemon(FarmerRuntime runtime) {
        this.runtime = runtime;
    }

    public static FarmerDaemon start(FarmerConfig config) throws FarmerException {
        return new FarmerDaemon(FarmerRuntime.start(config, NODE_WAIT));
    }

    /** The port it listens on (useful with port 0). */
    public int port() {
        return runtime.port();
    }

    /** Chunk ids this farmer serves now. */
    public java.util.Set<Long> chunks() {
        return runtime.chunks();
    }

    /** The committed height of this farmer's replica of a chunk, or -1 if it has none. */
    public long committedHeight(long chunkId) {
        return runtime.committedHeight(chunkId);
    }

    /**
     * The newest height of a chunk whose pages are all in this farmer's replica file, or -1 (the
     * newest few stay in memory until the chunk idles).
     */
    public long fileHeight(long chunkId) {
        return runtime.fileHeight(chunkId);
    }

    /**
     * The membership epoch of the replica this farmer serves a chunk's clients from, or -1: during
     * a handover it moves to the new epoch once that replica is open.
     */
    public long servingEpoch(long chunkId) {
        return runtime.servingEpoch(chunkId);
    }

    /** Whether this farmer's replica of a chunk still waits for its epoch's starting state. */
    public boolean joining(long chunkId) {
        return runtime.joining(chunkId);
    }

    /** The main-chain height of the newest view this farmer acts on. */
    public long chainHeight() {
        return runtime.chainHeight();
    }

    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Stops serving and releases the directory; later calls do nothing. */
    @Override
    public void close() {
        if (stopped.getCount() == 0) {
            return;
        }
        runtime.close();
        stopped.countDown();
        log.info("farmer stopped");
    }
}
