package org.cnt.blockdev.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.cnt.chain.api.NodeApiException;
import org.cnt.chain.api.NodeClient;
import org.cnt.chain.api.TxSender;
import org.cnt.chain.api.Views;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.types.TxPayload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files a service report on the main chain against a member that served a chunk's bytes that
 * did not verify, once per member and chunk while the volume is open, off the read path (a
 * report waits for a block).
 */
final class ServiceReporter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServiceReporter.class);
    private final NodeClient node;
    private final KeyPair owner;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r ->
            Thread.ofPlatform().name("service-reports").daemon().unstarted(r));

    ServiceReporter(NodeClient node, KeyPair owner) {
        this.node = node;
        this.owner = owner;
    }

    void badData(long chunkId, String endpoint) {
        if (reported.add(chunkId + "@" + endpoint)) {
            sender.execute(() -> report(chunkId, endpoint));
        }
    }

    private void report(long chunkId, String endpoint) {
        try {
            Views.Farmer farmer = node.farmers().stream().filter(f -> f.endpoint().equals(endpoint))
                    .findFirst().orElse(null);
            if (farmer == null) {
                log.warn("no farmer serves at {} any more; nothing to report", endpoint);
                return;
            }
            TxSender.send(node, owner, new TxPayload.ServiceReport(farmer.id(), chunkId,
                    "bad_data"));
            log.warn("reported farmer {} ({}) on the main chain: it served chunk {} data that "
                    + "does not verify", farmer.id(), endpoint, chunkId);
        } catch (NodeApiException | RuntimeException e) {
            log.warn("could not report farmer at {} for chunk {}: {}", endpoint, chunkId,
                    e.getMessage());
        }
    }

    /** Waits a little for reports on their way. */
    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
