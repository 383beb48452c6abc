package org.cnt.farmer.microchain;

/**
 * Why a member refuses a chunk operation. Every refusal names its rule, so a client or an operator
 * can tell a forged write from an expired lease from a lost sequence number.
 */
public record Refusal(Reason reason, String detail) {

    /** The validation rules of DESIGN.md, one per way an operation can be wrong. */
    public enum Reason {
        BAD_SIGNATURE, WRONG_CHUNK, SLICE_OUT_OF_RANGE, NOT_LEASED, NOT_OWNER, LEASE_EXPIRED,
        NO_SESSION, SESSION_HELD, WRONG_SESSION, SEQUENCE_REPLAY, SEQUENCE_GAP, OUT_OF_BOUNDS
    }

    /** Refusals that may pass later, once an earlier operation of the client is ordered. */
    public boolean transientRefusal() {
        return reason == Reason.SEQUENCE_GAP || reason == Reason.NO_SESSION;
    }

    static Refusal of(Reason reason, String detail) {
        return new Refusal(reason, detail);
    }

    @Override
    public String toString() {
        return reason.name().toLowerCase() + ": " + detail;
    }
}
