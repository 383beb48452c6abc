package org.cnt.chain.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cnt.chain.api.NodeApiException;
import org.cnt.chain.api.NodeClient;
import org.cnt.chain.api.Views;
import org.cnt.chain.crypto.PublicKey;

/** Copy groups read from a consensus node's chunk map, cached until invalidated. */
public final class ChainCopyGroups implements CopyGroups {
    private final NodeClient node;
    private final Map<Long, CopyGroup> cache = new ConcurrentHashMap<>();

    public ChainCopyGroups(NodeClient node) {
        this.node = node;
    }

    @Override
    public CopyGroup group(long chunkId) throws ReplicationException {
        CopyGroup cached = cache.get(chunkId);
        if (cached != null) {
            return cached;
        }
        try {
            Map<Long, Views.Farmer> farmers = new java.util.HashMap<>();
            node.farmers().forEach(f -> farmers.put(f.id(), f));
            for (Views.Chunk chunk : node.chunks()) {
                if (chunk.members().isEmpty()) {
                    // A group that lost its members is not full, yet still serves with those
                    // left; one with none serves nothing.
                    continue;
                }
                List<PublicKey> keys = new ArrayList<>();
                List<String> endpoints = new ArrayList<>();
                for (long member : chunk.members()) {
                    Views.Farmer farmer = farmers.get(member);
                    keys.add(farmer.key());
                    endpoints.add(farmer.endpoint());
                }
                cache.put(chunk.id(), new CopyGroup(chunk.id(), chunk.epoch(), keys, endpoints));
            }
        } catch (NodeApiException e) {
            throw new ReplicationException("cannot read the chunk map from " + node.baseUrl()
                    + ": " + e.getMessage(), e);
        }
        CopyGroup group = cache.get(chunkId);
        if (group == null) {
            throw new ReplicationException("chunk " + chunkId + " has no copy group on "
                    + "the main chain");
        }
        return group;
    }

    @Override
    public void invalidate(long chunkId) {
        cache.remove(chunkId);
    }
}
