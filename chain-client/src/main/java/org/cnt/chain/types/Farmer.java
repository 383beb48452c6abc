package org.cnt.chain.types;

import org.cnt.chain.codec.CanonicalReader;
import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.codec.Encodable;
import org.cnt.chain.crypto.PublicKey;

/**
 * A farmer on the chain: its key (which signs its votes and proofs), where it serves, what it
 * pledged, how many chunk replicas the chain assigned to it, how many service reports clients
 * filed against it (DESIGN.md: a client reports a member that served bad data), and its
 * {@link Standing}: proofs passed and missed, and what it earned.
 */
public record Farmer(long id, PublicKey key, String endpoint, long capacityBytes,
                     int assignedReplicas, Status status, long registeredHeight,
                     long serviceReports, Standing standing) implements Encodable {

    /**
     * EXITED farmers keep their record so their id is never reused. SUSPENDED ones missed too
     * many proofs in a row: they lost their replicas and get none until they update their pledge
     * (they are back). BLACKLISTED ones were reported for bad data by too many clients: for good.
     */
    public enum Status { ACTIVE, EXITED, SUSPENDED, BLACKLISTED }

    /**
     * Per replica and proof round: {@code proofsPassed} and {@code proofsMissed}; {@code
     * missStreak} counts the consecutive rounds in which it missed any; {@code earnedUcnt} is
     * rent and mining paid to it; {@code badDataReporters} the distinct clients that reported it
     * for bad data.
     */
    public record Standing(long proofsPassed, long proofsMissed, int missStreak, long earnedUcnt,
                           int badDataReporters) {
        public static final Standing NEW = new Standing(0, 0, 0, 0, 0);

        public Standing passed(long rounds) {
            return new Standing(proofsPassed + rounds, proofsMissed, missStreak, earnedUcnt,
                    badDataReporters);
        }

        public Standing missed(long rounds) {
            return new Standing(proofsPassed, proofsMissed + rounds, missStreak, earnedUcnt,
                    badDataReporters);
        }

        public Standing withStreak(int streak) {
            return new Standing(proofsPassed, proofsMissed, streak, earnedUcnt, badDataReporters);
        }

        public Standing earned(long ucnt) {
            return new Standing(proofsPassed, proofsMissed, missStreak,
                    Math.addExact(earnedUcnt, ucnt), badDataReporters);
        }

        public Standing reportedBy(int reporters) {
            return new Standing(proofsPassed, proofsMissed, missStreak, earnedUcnt, reporters);
        }
    }

    public int replicaSlots(ChainParams params) {
        return (int) Math.min(Integer.MAX_VALUE, capacityBytes / params.chunkSizeBytes());
    }

    public int freeReplicaSlots(ChainParams params) {
        return status == Status.ACTIVE ? replicaSlots(params) - assignedReplicas : 0;
    }

    public Farmer withAssigned(int replicas) {
        return new Farmer(id, key, endpoint, capacityBytes, replicas, status, registeredHeight,
                serviceReports, standing);
    }

    public Farmer withPledge(String newEndpoint, long newCapacityBytes) {
        return new Farmer(id, key, newEndpoint, newCapacityBytes, assignedReplicas, status,
                registeredHeight, serviceReports, standing);
    }

    /** Out of every group, with {@code why} as its status. */
    public Farmer removed(Status why) {
        return new Farmer(id, key, endpoint, capacityBytes, 0, why, registeredHeight,
                serviceReports, standing);
    }

    public Farmer exited() {
        return removed(Status.EXITED);
    }

    /** A suspended farmer that updated its pledge: it may be assigned replicas again. */
    public Farmer resumed() {
        return new Farmer(id, key, endpoint, capacityBytes, assignedReplicas, Status.ACTIVE,
                registeredHeight, serviceReports, standing.withStreak(0));
    }

    public Farmer reported() {
        return new Farmer(id, key, endpoint, capacityBytes, assignedReplicas, status,
                registeredHeight, serviceReports + 1, standing);
    }

    public Farmer withStanding(Standing updated) {
        return new Farmer(id, key, endpoint, capacityBytes, assignedReplicas, status,
                registeredHeight, serviceReports, updated);
    }

    @Override
    public void encode(CanonicalWriter out) {
        out.u64(id).fixed(key.toBytes()).string(endpoint).u64(capacityBytes).u32(assignedReplicas)
                .u8(status.ordinal()).u64(registeredHeight).u64(serviceReports)
                .u64(standing.proofsPassed()).u64(standing.proofsMissed())
                .u32(standing.missStreak()).u64(standing.earnedUcnt())
                .u32(standing.badDataReporters());
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
        long registered = in.u64Max("registered height", Long.MAX_VALUE);
        long reports = in.u64Max("service reports", Long.MAX_VALUE);
        Standing standing = new Standing(in.u64Max("proofs passed", Long.MAX_VALUE),
                in.u64Max("proofs missed", Long.MAX_VALUE), in.u32("miss streak"),
                in.u64Max("earned", Long.MAX_VALUE), in.u32("bad data reporters"));
        return new Farmer(id, key, endpoint, capacity, assigned, Status.values()[status],
                registered, reports, standing);
    }
}
