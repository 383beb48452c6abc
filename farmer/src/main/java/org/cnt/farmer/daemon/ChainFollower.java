package org.cnt.farmer.daemon;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.cnt.chain.api.NodeApiException;
import org.cnt.chain.api.NodeClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the main chain's head every poll and, when it moved, the farmers and chunk map; publishes
 * the snapshot and hands it to the daemon to (re)assign replicas. An unreachable node is logged once per outage;
 * the farmer keeps serving on its last view.
 */
final class ChainFollower implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChainFollower.class);
    private final NodeClient node;
    private final AtomicReference<ChainView> view;
    private final Consumer<ChainView> onView;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("chain-follower").daemon().unstarted(r));
    private boolean reachable = true;

    ChainFollower(NodeClient node, AtomicReference<ChainView> view, Consumer<ChainView> onView) {
        this.node = node;
        this.view = view;
        this.onView = onView;
    }

    static ChainView fetch(NodeClient node) throws NodeApiException {
        return ChainView.of(node.status(), node.farmers(), node.chunks());
    }

    void start(long pollMs) {
        timer.scheduleWithFixedDelay(this::poll, pollMs, pollMs, TimeUnit.MILLISECONDS);
    }

    private void poll() {
        try {
            ChainView previous = view.get();
            // The head alone first: the farmers and the chunk map are large and change only
            // with a new block.
            var status = node.status();
            if (previous != null && reachable && previous.height() == status.height()) {
                return;
            }
            ChainView next = ChainView.of(status, node.farmers(), node.chunks());
            if (!reachable) {
                log.info("consensus node {} reachable again at height {}", node.baseUrl(),
                        next.height());
                reachable = true;
            }
            view.set(next);
            if (previous == null || previous.height() != next.height()) {
                onView.accept(next);
            }
        } catch (NodeApiException e) {
            if (reachable) {
                log.warn("consensus node {} unreachable, serving on the last chain view: {}",
                        node.baseUrl(), e.getMessage());
                reachable = false;
            }
        } catch (RuntimeException e) {
            log.error("following the chain failed", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
