package org.cnt.node.internal;

import org.cnt.chain.api.Views;
import org.cnt.chain.crypto.Hash;
import org.cnt.node.NodeException;
import org.cnt.node.Rejection;

/** Where a transaction stands: in a block, waiting, dropped (and why), or unknown. */
final class TxStatuses {
    private TxStatuses() {
    }

    static Views.TxStatus of(ChainCore core, Hash id) throws NodeException {
        Long height = core.txHeight(id);
        if (height != null) {
            return new Views.TxStatus(id, "included", height, null, null);
        }
        if (core.mempool.contains(id)) {
            return new Views.TxStatus(id, "pending", null, null, null);
        }
        Rejection dropped = core.tracker.droppedReason(id);
        if (dropped != null) {
            return new Views.TxStatus(id, "dropped", null, dropped.code(), dropped.detail());
        }
        return new Views.TxStatus(id, "unknown", null, null, null);
    }
}
