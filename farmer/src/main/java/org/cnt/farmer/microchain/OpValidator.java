package org.cnt.farmer.microchain;

import org.cnt.chain.micro.ChunkMeta;
import org.cnt.chain.crypto.Address;
import org.cnt.chain.micro.ChunkOp;
import org.cnt.chain.micro.Wop;

/**
 * The rules every member applies to every operation before voting (DESIGN.md, "Writes, sessions
 * and ordering"): the owner's signature; each slice in range, leased to the signer's volume, not
 * expired; the open session; the exact next sequence number per slice; bounds inside the slice.
 * Pure: it takes the metadata the operation would apply on and returns the metadata after it.
 */
public final class OpValidator {

    /** The metadata after the operation, or why it is refused. */
    public record Outcome(ChunkMeta after, Refusal refusal) {
        public boolean accepted() {
            return refusal == null;
        }
    }

    private static final int VERIFIED_SIGNATURES = 8192;
    /**
     * How far ahead a session lease may run: a client that crashed holds its volume this long at
     * most, and a member whose clock view lags stays within it.
     */
    public static final long MAX_SESSION_LEASE_SEC = 600;
    private final long chunkId;
    private final ChunkGeometry geometry;
    private final LeaseView leases;
    private final long epoch;
    private final java.util.List<org.cnt.chain.crypto.PublicKey> members;
    /** Set when the main chain moved the chunk to a new group: only then may a seal pass. */
    private boolean sealDue;
    /**
     * Operations whose signature already verified, by digest, with the signature that did: an
     * operation is validated again at each proposal and vote, and Ed25519 is the dearest step.
     */
    private final java.util.LinkedHashMap<org.cnt.chain.crypto.Hash, byte[]> verified =
            new java.util.LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(
                        java.util.Map.Entry<org.cnt.chain.crypto.Hash, byte[]> eldest) {
                    return size() > VERIFIED_SIGNATURES;
                }
            };

    public OpValidator(long chunkId, ChunkGeometry geometry, LeaseView leases) {
        this(chunkId, 0, java.util.List.of(), geometry, leases);
    }

    /** A validator of one epoch's group, which may seal that epoch once told it is due. */
    public OpValidator(long chunkId, long epoch, java.util.List<org.cnt.chain.crypto.PublicKey>
            members, ChunkGeometry geometry, LeaseView leases) {
        this.chunkId = chunkId;
        this.epoch = epoch;
        this.members = java.util.List.copyOf(members);
        this.geometry = geometry;
        this.leases = leases;
    }

    /** The main chain gave the chunk to a new group (or epoch): a member's seal may now pass. */
    public void sealDue() {
        sealDue = true;
    }

    public Outcome validate(ChunkOp op, ChunkMeta before) {
        if (op.chunkId() != chunkId) {
            return refuse(Refusal.Reason.WRONG_CHUNK, "operation is for chunk " + op.chunkId()
                    + ", this is chunk " + chunkId);
        }
        if (!signatureValid(op)) {
            return refuse(Refusal.Reason.BAD_SIGNATURE, "the owner signature does not verify");
        }
        if (before.sealed()) {
            return refuse(Refusal.Reason.EPOCH_SEALED, "epoch " + epoch + " of chunk " + chunkId
                    + " is sealed; its next copy group takes the writes");
        }
        return switch (op) {
            case ChunkOp.Seal seal -> seal(seal, before);
            case ChunkOp.OpenSession open -> open(open, before);
            case ChunkOp.CloseSession close -> close(close, before);
            case ChunkOp.WopBatch batch -> batch(batch, before);
        };
    }

    /** Whether the owner signed the operation; each (digest, signature) pair verified once. */
    public boolean signatureValid(ChunkOp op) {
        byte[] known = verified.get(op.digest());
        if (known != null && java.util.Arrays.equals(known, op.signature())) {
            return true;
        }
        if (!op.signatureValid()) {
            return false;
        }
        verified.put(op.digest(), op.signature().clone());
        return true;
    }

    private Outcome open(ChunkOp.OpenSession open, ChunkMeta before) {
        boolean owns = false;
        boolean volumeHere = false;
        for (int slice = 0; slice < geometry.sliceCount() && !owns; slice++) {
            SliceLease lease = leases.lease(chunkId, slice);
            owns = ownedBy(lease, open);
            volumeHere |= lease != null && lease.volumeId() == open.volumeId();
        }
        if (!owns && !volumeHere) {
            // A volume rented a moment ago may not have reached this member's chain view yet.
            return refuse(Refusal.Reason.NOT_LEASED, "volume " + open.volumeId()
                    + " holds no slice of chunk " + chunkId);
        }
        if (!owns) {
            return refuse(Refusal.Reason.NOT_OWNER, "volume " + open.volumeId() + " of "
                    + open.owner().address() + " holds no live slice of chunk " + chunkId);
        }
        for (int slice : open.slices()) {
            if (slice >= geometry.sliceCount()) {
                return refuse(Refusal.Reason.SLICE_OUT_OF_RANGE, "slice " + slice
                        + " of a chunk of " + geometry.sliceCount());
            }
            SliceLease lease = leases.lease(chunkId, slice);
            if (lease == null) {
                return refuse(Refusal.Reason.NOT_LEASED, "slice " + slice + " of chunk "
                        + chunkId + " is not leased (yet)");
            }
            if (!ownedBy(lease, open)) {
                return refuse(Refusal.Reason.NOT_OWNER, "slice " + slice + " of chunk "
                        + chunkId + " belongs to volume " + lease.volumeId());
            }
        }
        if (open.untilSec() != 0 && open.untilSec() > leases.nowSec() + MAX_SESSION_LEASE_SEC) {
            return refuse(Refusal.Reason.BAD_SESSION_LEASE, "a session lease runs at most "
                    + MAX_SESSION_LEASE_SEC + " s ahead; renew it instead");
        }
        ChunkMeta.Session held = before.session();
        if (held != null && !held.id().equals(open.sessionId()) && sessionLive(before)) {
            return refuse(Refusal.Reason.SESSION_HELD, "session " + held.id() + " of volume "
                    + held.volumeId() + " is held by " + describe(held) + "; close it first");
        }
        return accept(before.withSession(open));
    }

    private static String describe(ChunkMeta.Session session) {
        return (session.holder().isEmpty() ? "an unnamed client" : "'" + session.holder() + "'")
                + (session.untilSec() == 0 ? " until it is closed"
                        : " until " + session.untilSec() + " (unix s)");
    }

    private Outcome seal(ChunkOp.Seal seal, ChunkMeta before) {
        if (seal.epoch() != epoch || !members.contains(seal.owner())) {
            return refuse(Refusal.Reason.BAD_SEAL, "a seal of epoch " + seal.epoch()
                    + " by a key outside the group of epoch " + epoch);
        }
        if (!sealDue) {
            return refuse(Refusal.Reason.BAD_SEAL, "this member has not seen epoch " + epoch
                    + " end on the main chain");
        }
        return accept(before.after(seal));
    }

    private Outcome close(ChunkOp.CloseSession close, ChunkMeta before) {
        if (!before.hasSession() || !before.sessionId().equals(close.sessionId())) {
            return refuse(Refusal.Reason.WRONG_SESSION, "session " + close.sessionId()
                    + " is not the open one");
        }
        if (!before.sessionOwner().equals(close.owner())) {
            return refuse(Refusal.Reason.NOT_OWNER, "only the session's owner may close it");
        }
        return accept(before.withoutSession());
    }

    /**
     * A session excludes others while its own lease runs; one whose volume no longer leases any
     * slice here has lapsed with the volume's lease.
     */
    private boolean sessionLive(ChunkMeta meta) {
        if (!meta.session().leasedAt(leases.nowSec())) {
            return false;
        }
        for (int slice = 0; slice < geometry.sliceCount(); slice++) {
            SliceLease lease = leases.lease(chunkId, slice);
            if (lease != null && lease.volumeId() == meta.sessionVolume()
                    && lease.expirySec() > leases.nowSec()) {
                return true;
            }
        }
        return false;
    }

    /**
     * What can never pass is checked first (slice, lease, owner, bounds), so a forged or stray
     * write is refused for good and not kept waiting as if a session might yet open for it.
     */
    private Outcome batch(ChunkOp.WopBatch batch, ChunkMeta before) {
        for (Wop wop : batch.wops()) {
            Refusal refused = checkPlacement(batch, wop);
            if (refused != null) {
                return new Outcome(null, refused);
            }
        }
        if (!before.hasSession()) {
            return refuse(Refusal.Reason.NO_SESSION, "no session is open on chunk " + chunkId);
        }
        if (!before.sessionId().equals(batch.sessionId())
                || !before.sessionOwner().equals(batch.owner())) {
            return refuse(Refusal.Reason.WRONG_SESSION, "writes belong to session "
                    + batch.sessionId() + " but session " + before.sessionId() + " is open");
        }
        ChunkMeta meta = before;
        for (Wop wop : batch.wops()) {
            if (before.holdsOthers(wop.sliceIndex(), batch.volumeId())) {
                return refuse(Refusal.Reason.SLICE_NOT_CLAIMED, "slice " + wop.sliceIndex()
                        + " still holds the data of volume " + before.sliceVolume(wop.sliceIndex())
                        + "; open the session claiming it first, which erases it");
            }
            Refusal refused = checkSequence(wop, meta);
            if (refused != null) {
                return new Outcome(null, refused);
            }
            meta = meta.withSeq(wop.sliceIndex(), wop.sliceSeq());
        }
        return accept(meta);
    }

    private Refusal checkPlacement(ChunkOp.WopBatch batch, Wop wop) {
        int slice = wop.sliceIndex();
        if (slice >= geometry.sliceCount()) {
            return Refusal.of(Refusal.Reason.SLICE_OUT_OF_RANGE, "slice " + slice + " of a chunk "
                    + "of " + geometry.sliceCount());
        }
        SliceLease lease = leases.lease(chunkId, slice);
        if (lease == null) {
            return Refusal.of(Refusal.Reason.NOT_LEASED, "slice " + slice + " is not leased");
        }
        if (lease.volumeId() != batch.volumeId() || !lease.owner().equals(batch.owner().address())) {
            return Refusal.of(Refusal.Reason.NOT_OWNER, "slice " + slice + " belongs to volume "
                    + lease.volumeId() + " of " + lease.owner());
        }
        if (lease.expirySec() <= leases.nowSec()) {
            return Refusal.of(Refusal.Reason.LEASE_EXPIRED, "the lease of volume "
                    + lease.volumeId() + " expired; extend it to write again");
        }
        if (wop.endBytes() > geometry.sliceSizeBytes()) {
            return Refusal.of(Refusal.Reason.OUT_OF_BOUNDS, "write of " + wop.dataLength()
                    + " bytes at " + wop.offsetBytes() + " runs past the "
                    + geometry.sliceSizeBytes() + "-byte slice");
        }
        return null;
    }

    private static Refusal checkSequence(Wop wop, ChunkMeta meta) {
        int slice = wop.sliceIndex();
        long expected = meta.sliceSeqs()[slice] + 1;
        if (wop.sliceSeq() == expected) {
            return null;
        }
        return wop.sliceSeq() < expected
                ? Refusal.of(Refusal.Reason.SEQUENCE_REPLAY, "slice " + slice + " expects "
                        + "sequence " + expected + ", got " + wop.sliceSeq() + " (replayed write)")
                : Refusal.of(Refusal.Reason.SEQUENCE_GAP, "slice " + slice + " expects "
                        + "sequence " + expected + ", got " + wop.sliceSeq()
                        + " (an earlier write is missing)");
    }

    private static boolean ownedBy(SliceLease lease, ChunkOp op) {
        Address owner = op.owner().address();
        return lease != null && lease.volumeId() == op.volumeId() && lease.owner().equals(owner);
    }

    private static Outcome accept(ChunkMeta after) {
        return new Outcome(after, null);
    }

    private static Outcome refuse(Refusal.Reason reason, String detail) {
        return new Outcome(null, Refusal.of(reason, detail));
    }
}
