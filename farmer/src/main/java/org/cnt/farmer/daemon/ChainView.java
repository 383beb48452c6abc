package org.cnt.farmer.daemon;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cnt.chain.api.Views;
import org.cnt.chain.crypto.PublicKey;
import org.cnt.chain.types.ChainParams;
import org.cnt.farmer.microchain.SliceLease;

/** What the farmer last read from the main chain: one consistent, immutable snapshot. */
record ChainView(long height, long nowSec, ChainParams params, Map<Long, Views.Farmer> farmers,
                 Map<Long, Views.Chunk> chunks, Map<Long, Map<Integer, SliceLease>> leases,
                 Map<PublicKey, String> endpoints, long proofRoundHeight,
                 org.cnt.chain.crypto.Hash proofRoundSeed) {

    static ChainView of(Views.Status status, List<Views.Farmer> farmers,
                        List<Views.Chunk> chunks) {
        Map<Long, Views.Farmer> byId = new HashMap<>();
        Map<PublicKey, String> endpoints = new HashMap<>();
        farmers.forEach(f -> {
            byId.put(f.id(), f);
            endpoints.put(f.key(), f.endpoint());
        });
        Map<Long, Views.Chunk> chunkById = new HashMap<>();
        Map<Long, Map<Integer, SliceLease>> leases = new HashMap<>();
        for (Views.Chunk chunk : chunks) {
            chunkById.put(chunk.id(), chunk);
            Map<Integer, SliceLease> slices = new HashMap<>();
            for (Views.SliceLease lease : chunk.leases()) {
                slices.put(lease.slice(), new SliceLease(lease.volumeId(), lease.owner(),
                        lease.expirySec()));
            }
            leases.put(chunk.id(), Map.copyOf(slices));
        }
        return new ChainView(status.height(), status.timestampMs() / 1000, status.params(),
                Map.copyOf(byId), Map.copyOf(chunkById), Map.copyOf(leases),
                Map.copyOf(endpoints), status.proofRoundHeight(), status.proofRoundSeed());
    }

    /** This key's farmer id, or null while it is not registered (or has exited). */
    Long farmerId(PublicKey key) {
        for (Views.Farmer farmer : farmers.values()) {
            if (farmer.key().equals(key) && !"exited".equals(farmer.status())) {
                return farmer.id();
            }
        }
        return null;
    }

    /** The members' keys of a chunk, in member order; null if one is unknown. */
    List<PublicKey> memberKeys(Views.Chunk chunk) {
        List<PublicKey> keys = new java.util.ArrayList<>();
        for (long id : chunk.members()) {
            Views.Farmer farmer = farmers.get(id);
            if (farmer == null) {
                return null;
            }
            keys.add(farmer.key());
        }
        return keys;
    }

    /** Where the farmer with this key listens (an exited one too, while it hands over), or null. */
    String endpoint(PublicKey key) {
        return endpoints.get(key);
    }

}
