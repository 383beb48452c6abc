package org.cnt.chain.types;

import org.cnt.chain.codec.CanonicalReader;
import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.codec.Encodable;
import org.cnt.chain.crypto.PublicKey;

/**
 * A farmer on the chain: its key (which signs its votes and proofs), where it serves, what it
 * pledged, how many chunk replicas the chain assigned to it, and how many service reports
 * clients filed against it (DESIGN.md: a client reports a member that served bad data).
 */
public record Farmer(long id, PublicKey key, String endpoint, long capacityBytes,
                     int assignedReplicas, Status status, long registeredHeight,
                     long serviceReports) implements Encodable {

    /** EXITED farmers keep their record so their id is never reused. */
    public enum Status { ACTIVE, EXITED }

    public int replicaSlots(ChainParams params) {
        return (int) Math.min(Integer.MAX_VALUE, capacityBytes / params.chunkSizeBytes());
    }

    public int freeReplicaSlots(ChainParams params) {
        return status == Status.ACTIVE ? replicaSlots(params) - assignedReplicas : 0;
    }

    public Farmer withAssigned(int replicas) {
        return new Farmer(id, key, endpoint, capacityBytes, replicas, status, registeredHeight,
                serviceReports);
    }

    public Farmer withPledge(String newEndpoint, long newCapacityBytes) {
        return new Farmer(id, key, newEndpoint, newCapacityBytes, assignedReplicas, status,
                registeredHeight, serviceReports);
    }

    public Farmer exited() {
        return new Farmer(id, key, endpoint, capacityBytes, 0, Status.EXITED, registeredHeight,
                serviceReports);
    }

    public Farmer reported() {
        return new Farmer(id, key, endpoint, capacityBytes, assignedReplicas, status,
                registeredHeight, serviceReports + 1);
    }

    @Override
    public void encode(CanonicalWriter out) {
        out.u64(id).fixed(key.toBytes()).string(endpoint).u64(capacityBytes).u32(assignedReplicas)
                .u8(status.ordinal()).u64(registeredHeight).u64(serviceReports);
    }

    public static Farmer decode(CanonicalReader in) throws CodecException {
        long id = in.u64Max("farmer id", Long.MAX_VALUE);
        PublicKey key = PublicKey.wrap(in.fixed(PublicKey.SIZE_BYTES, "farmer key"));
        String endpoint = in.string(TxPayload.MAX_ENDPOINT_BYTES, "endpoint");
        long capacity = in.u64Max("capacity", Long.MAX_VALUE);
        int assigned = in.u32("assigned");
        int status = in.u8("status");
        if (status >= Status.values().length) {
            throw new CodecException("unknown farmer status " + status);
        }
        return new Farmer(id, key, endpoint, capacity, assigned, Status.values()[status],
                in.u64Max("registered height", Long.MAX_VALUE),
                in.u64Max("service reports", Long.MAX_VALUE));
    }
}
