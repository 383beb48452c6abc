package org.cnt.farmer.daemon;

import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.cnt.chain.api.NodeApiException;
import org.cnt.chain.api.NodeClient;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.proof.ProofCertificate;
import org.cnt.chain.types.Tx;
import org.cnt.chain.types.TxPayload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the space proofs this farmer's groups certified to the chain, off the replica threads
 * and without waiting for inclusion (a farmer of 100 chunks has 100 proofs a round): it counts
 * its nonces itself and asks the node again after a refusal. One member of a group, turn by
 * turn, sends at once; the others hold their proof a while and send it only if the chain has
 * none for the chunk by then, so a group does not send four proofs of which three are refused.
 */
final class ProofSubmitter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProofSubmitter.class);
    private final NodeClient node;
    private final KeyPair key;
    private final java.util.concurrent.ScheduledExecutorService sender =
            Executors.newSingleThreadScheduledExecutor(r ->
                    Thread.ofPlatform().name("proof-submitter").daemon().unstarted(r));
    private Hash chainId;
    private long nextNonce = -1;

    ProofSubmitter(NodeClient node, KeyPair key) {
        this.node = node;
        this.key = key;
    }

    /** Sends now, or after {@code fallbackMs} if the chain has no proof of the chunk then. */
    void submit(ProofCertificate certificate, boolean now, long fallbackMs) {
        if (now) {
            sender.execute(() -> send(certificate, true));
            return;
        }
        sender.schedule(() -> {
            try {
                if (node.chunk(certificate.statement().chunkId()).provenRound()
                        >= certificate.statement().roundHeight()) {
                    return;
                }
            } catch (NodeApiException | RuntimeException e) {
                log.debug("could not ask for chunk {}'s proof: {}",
                        certificate.statement().chunkId(), e.getMessage());
            }
            send(certificate, true);
        }, fallbackMs, TimeUnit.MILLISECONDS);
    }

    private void send(ProofCertificate certificate, boolean retry) {
        try {
            if (chainId == null) {
                chainId = node.status().chainId();
            }
            if (nextNonce < 0) {
                nextNonce = node.account(key.address()).nextNonce();
            }
            node.submit(Tx.sign(chainId, key, nextNonce, new TxPayload.SpaceProof(certificate)));
            nextNonce++;
            log.debug("submitted the proof of chunk {} for round {}",
                    certificate.statement().chunkId(), certificate.statement().roundHeight());
        } catch (NodeApiException e) {
            nextNonce = -1;
            if (retry && e.getMessage() != null && e.getMessage().contains("nonce")) {
                send(certificate, false);
                return;
            }
            log.info("the chain did not take the proof of chunk {} for round {}: {}",
                    certificate.statement().chunkId(), certificate.statement().roundHeight(),
                    e.getMessage());
        } catch (RuntimeException e) {
            log.warn("could not submit the proof of chunk {}: {}",
                    certificate.statement().chunkId(), e.getMessage());
        }
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
