package org.cnt.farmer.daemon;

import java.util.List;
import org.cnt.chain.crypto.PublicKey;
import org.cnt.chain.micro.MicroMessage;
import org.cnt.chain.wire.WireMessage;

/** Where a replica's messages leave the process: to members of its group, or to a client. */
interface Outbox {
    /**
     * One message to each of {@code members} (by key: an epoch being handed over has other
     * members than the chain lists now). Best effort: the protocol resends what matters, so a
     * full or broken link may drop it.
     */
    void toPeers(List<PublicKey> members, MicroMessage message);

    void toClient(int clientId, WireMessage message);
}
