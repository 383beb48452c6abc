package org.cnt.farmer.microchain;

/**
 * Why a member refuses a chunk operation. Every refusal names its rule, so a client or an operator
 * can tell a forged write from an expired lease from a lost sequence number.
 */
public record Refusal(Reason reason, String detail) {

    /** The validation rules of DESIGN.md, one per way an operation can be wrong. */
    public enum Reason {
        BAD_SIGNATURE, WRONG_CHUNK, SLICE_OUT_OF_RANGE, NOT_LEASED, NOT_OWNER, LEASE_EXPIRED,
        NO_SESSION, SESSION_HELD, BAD_SESSION_LEASE, WRONG_SESSION, SEQUENCE_REPLAY,
        SEQUENCE_GAP, OUT_OF_BOUNDS,
        /** The epoch is sealed (or a seal is on its way): the chunk's next group takes writes. */
        EPOCH_SEALED,
        /** A seal signed by someone not in the group, for another epoch, or not yet due. */
        BAD_SEAL,
        /** A write to a slice that holds an earlier lease's data its new session did not claim. */
        SLICE_NOT_CLAIMED
    }

    /**
     * Refusals that may pass later: once an earlier operation of the client is ordered, or (a
     * seal) once this member learns from the main chain that the epoch is over. A write refused
     * because a seal is pending is not refused for good either: the seal may yet be abandoned by
     * a view change; only a committed seal ends the epoch, and the replica says so then.
     */
    public boolean transientRefusal() {
        return reason == Reason.SEQUENCE_GAP || reason == Reason.NO_SESSION
                || reason == Reason.EPOCH_SEALED || reason == Reason.BAD_SEAL;
    }

    static Refusal of(Reason reason, String detail) {
        return new Refusal(reason, detail);
    }

    @Override
    public String toString() {
        return reason.name().toLowerCase() + ": " + detail;
    }
}
