package org.cnt.cli;

import java.util.HashSet;
import java.util.Set;
import org.cnt.chain.api.NodeClient;
import org.cnt.chain.api.Views;
import org.cnt.chain.crypto.KeyPair;

/** Which of an in-process network's farmer daemons a chain's farmer id is, and group checks. */
final class NetworkFarmers {
    private final LocalNetwork net;
    private final String network;
    private final NodeClient chain;

    NetworkFarmers(LocalNetwork net, String network, NodeClient chain) {
        this.net = net;
        this.network = network;
        this.chain = chain;
    }

    /** The farmer's key, as the network derived it for daemon {@code index}. */
    KeyPair key(int index) {
        return KeyPair.fromLabel(network + "-farmer-" + index);
    }

    int index(long farmerId) throws Exception {
        Views.Farmer farmer = chain.farmer(farmerId);
        for (int i = 0; i < net.farmers().size(); i++) {
            if (key(i).publicKey().equals(farmer.key())) {
                return i;
            }
        }
        throw new AssertionError("farmer " + farmerId + " is none of the test's");
    }

    /** Waits until every member of the group has committed the same height; returns it. */
    long awaitSameHeight(Views.Chunk chunk) throws Exception {
        long[] agreed = {0};
        Eventually.await(() -> {
            Set<Long> heights = new HashSet<>();
            for (long member : chunk.members()) {
                heights.add(net.farmer(index(member)).committedHeight(chunk.id()));
            }
            agreed[0] = heights.size() == 1 ? heights.iterator().next() : 0;
            return agreed[0] > 0;
        }, "members of chunk " + chunk.id() + " commit the same height", 60_000);
        return agreed[0];
    }
}
