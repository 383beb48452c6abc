package org.cnt.chain.api;

import java.time.Clock;
import java.time.Duration;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.types.Tx;
import org.cnt.chain.types.TxPayload;

/** Signs a payload with the next nonce, submits it, and waits until a block includes it. */
public final class TxSender {
    private static final Duration INCLUSION_TIMEOUT = Duration.ofSeconds(60);

    private TxSender() {
    }

    /** The included transaction's status: its id and block height. */
    public static Views.TxStatus send(NodeClient node, KeyPair key, TxPayload payload)
            throws NodeApiException {
        Hash chainId = node.status().chainId();
        long nonce = node.account(key.address()).nextNonce();
        Hash id = node.submit(Tx.sign(chainId, key, nonce, payload));
        return node.awaitInclusion(id, INCLUSION_TIMEOUT, Clock.systemUTC());
    }
}
