package org.cnt.farmer.daemon;

import org.cnt.chain.micro.MicroMessage;
import org.cnt.chain.wire.WireMessage;

/** Where a replica's messages leave the process: to a member of its group (by key: an epoch being handed over has
 * other members than the chain lists now), or to a client. */
interface Outbox {
    /** Best effort: the protocol resends what matters, so a full or broken link may drop it. */
    void toPeer(org.cnt.chain.crypto.PublicKey member, MicroMessage message);

    void toClient(int clientId, WireMessage message);
}
