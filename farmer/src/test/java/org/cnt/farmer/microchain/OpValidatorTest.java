package org.cnt.farmer.microchain;

import org.cnt.chain.micro.ChunkMeta;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.micro.ChunkOp;
import org.cnt.chain.micro.Wop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every validation rule, on a tiny chunk: 2-byte pages, 8-byte slices, 4 slices. */
class OpValidatorTest {
    static final ChunkGeometry TINY = new ChunkGeometry(2, 8, 32);
    static final KeyPair OWNER = KeyPair.fromLabel("owner");
    static final KeyPair STRANGER = KeyPair.fromLabel("stranger");
    static final Hash SESSION = Hash.sha256("s1".getBytes());
    static final Hash OTHER_SESSION = Hash.sha256("s2".getBytes());
    static final long CHUNK = 7;
    static final long VOLUME = 3;

    TestLeases leases;
    OpValidator validator;
    ChunkMeta open;

    @BeforeEach
    void setUp() {
        leases = new TestLeases()
                .lease(CHUNK, 0, new SliceLease(VOLUME, OWNER.address(), 5_000))
                .lease(CHUNK, 1, new SliceLease(VOLUME, OWNER.address(), 5_000))
                .lease(CHUNK, 2, new SliceLease(9, STRANGER.address(), 5_000));
        validator = new OpValidator(CHUNK, TINY, leases);
        open = validator.validate(ChunkOp.OpenSession.sign(OWNER, VOLUME, CHUNK, SESSION),
                ChunkMeta.empty(TINY.sliceCount())).after();
    }

    private ChunkOp.WopBatch batch(KeyPair key, Hash session, Wop... wops) {
        return ChunkOp.WopBatch.sign(key, VOLUME, CHUNK, session, List.of(wops));
    }

    private static Wop wop(int slice, long seq, int offset, int length) {
        return new Wop(slice, seq, offset, new byte[length]);
    }

    private void assertRefused(ChunkOp op, ChunkMeta meta, Refusal.Reason reason) {
        OpValidator.Outcome outcome = validator.validate(op, meta);
        assertThat(outcome.accepted()).as("expected %s", reason).isFalse();
        assertThat(outcome.refusal().reason()).as(outcome.refusal().detail()).isEqualTo(reason);
        assertThat(outcome.refusal().detail()).isNotBlank();
    }

    @Test
    void anOwnerWritesInsideItsSessionWithTheNextSequenceNumbers() {
        OpValidator.Outcome outcome = validator.validate(batch(OWNER, SESSION, wop(0, 1, 0, 8),
                wop(0, 2, 3, 2), wop(1, 1, 6, 2)), open);
        assertThat(outcome.accepted()).isTrue();
        assertThat(outcome.after().sliceSeqs()).containsExactly(2, 1, 0, 0);
        assertThat(open.sliceSeqs()).as("the input meta is untouched").containsExactly(0, 0, 0, 0);
    }

    @Test
    void aForgedSignatureIsRefused() {
        ChunkOp.WopBatch good = batch(OWNER, SESSION, wop(0, 1, 0, 2));
        ChunkOp.WopBatch forged = new ChunkOp.WopBatch(good.volumeId(), good.chunkId(),
                good.sessionId(), good.owner(), List.of(wop(0, 1, 0, 4)), good.signature());
        assertRefused(forged, open, Refusal.Reason.BAD_SIGNATURE);
    }

    @Test
    void aNonOwnerCannotWriteEvenWithItsOwnValidSignature() {
        assertRefused(ChunkOp.WopBatch.sign(STRANGER, VOLUME, CHUNK, SESSION,
                List.of(wop(0, 1, 0, 2))), open, Refusal.Reason.NOT_OWNER);
        ChunkMeta strangerSession = open.withSession(
                ChunkOp.OpenSession.sign(STRANGER, VOLUME, CHUNK, SESSION));
        assertRefused(ChunkOp.WopBatch.sign(STRANGER, VOLUME, CHUNK, SESSION,
                List.of(wop(0, 1, 0, 2))), strangerSession, Refusal.Reason.NOT_OWNER);
        assertRefused(batch(OWNER, SESSION, wop(2, 1, 0, 2)), open, Refusal.Reason.NOT_OWNER);
    }

    @Test
    void unleasedAndOutOfRangeSlicesAreRefused() {
        assertRefused(batch(OWNER, SESSION, wop(3, 1, 0, 2)), open, Refusal.Reason.NOT_LEASED);
        assertRefused(batch(OWNER, SESSION, wop(4, 1, 0, 2)), open,
                Refusal.Reason.SLICE_OUT_OF_RANGE);
    }

    @Test
    void anExpiredLeaseStopsWrites() {
        leases.nowSec = 5_000;
        assertRefused(batch(OWNER, SESSION, wop(0, 1, 0, 2)), open, Refusal.Reason.LEASE_EXPIRED);
    }

    @Test
    void sequenceNumbersMustBeExactlyTheNext() {
        assertRefused(batch(OWNER, SESSION, wop(0, 2, 0, 2)), open, Refusal.Reason.SEQUENCE_GAP);
        ChunkMeta afterOne = validator.validate(batch(OWNER, SESSION, wop(0, 1, 0, 2)), open)
                .after();
        assertRefused(batch(OWNER, SESSION, wop(0, 1, 0, 2)), afterOne,
                Refusal.Reason.SEQUENCE_REPLAY);
        assertRefused(batch(OWNER, SESSION, wop(1, 1, 0, 2), wop(1, 1, 2, 2)), open,
                Refusal.Reason.SEQUENCE_REPLAY);
    }

    @Test
    void writesStayInsideTheirSlice() {
        assertRefused(batch(OWNER, SESSION, wop(0, 1, 7, 2)), open, Refusal.Reason.OUT_OF_BOUNDS);
        assertThat(validator.validate(batch(OWNER, SESSION, wop(0, 1, 7, 1)), open).accepted())
                .isTrue();
    }

    @Test
    void writesNeedTheOpenSessionAndOneSessionExcludesAnother() {
        ChunkMeta none = ChunkMeta.empty(TINY.sliceCount());
        assertRefused(batch(OWNER, SESSION, wop(0, 1, 0, 2)), none, Refusal.Reason.NO_SESSION);
        assertThat(validator.validate(batch(OWNER, SESSION, wop(0, 1, 0, 2)), none).refusal()
                .transientRefusal()).as("the owner's write waits for its session").isTrue();
        assertRefused(ChunkOp.WopBatch.sign(STRANGER, VOLUME, CHUNK, SESSION,
                List.of(wop(0, 1, 0, 2))), none, Refusal.Reason.NOT_OWNER);
        assertRefused(batch(OWNER, OTHER_SESSION, wop(0, 1, 0, 2)), open,
                Refusal.Reason.WRONG_SESSION);
        assertRefused(ChunkOp.OpenSession.sign(OWNER, VOLUME, CHUNK, OTHER_SESSION), open,
                Refusal.Reason.SESSION_HELD);
        ChunkMeta closed = validator.validate(ChunkOp.CloseSession.sign(OWNER, VOLUME, CHUNK,
                SESSION), open).after();
        assertThat(closed.hasSession()).isFalse();
        assertThat(validator.validate(ChunkOp.OpenSession.sign(OWNER, VOLUME, CHUNK,
                OTHER_SESSION), closed).accepted()).isTrue();
    }

    @Test
    void aSessionLapsesWithItsVolumesLease() {
        leases.nowSec = 6_000;
        leases.lease(CHUNK, 3, new SliceLease(11, STRANGER.address(), 9_000));
        assertThat(validator.validate(ChunkOp.OpenSession.sign(STRANGER, 11, CHUNK,
                OTHER_SESSION), open).accepted()).isTrue();
    }

    /**
     * Slice 2 held volume 9's data; its lease ended and volume 3 rents it now. Volume 3 writes
     * there only after a session of its own claimed the slice (the claim erases it), and claims
     * only slices leased to it.
     */
    @Test
    void aSliceThatChangedHandsIsWrittenOnlyAfterItsNewOwnersSessionClaimsIt() {
        ChunkMeta held = ChunkMeta.empty(TINY.sliceCount());
        ChunkOp.WopBatch earlier = ChunkOp.WopBatch.sign(STRANGER, 9, CHUNK, OTHER_SESSION,
                List.of(wop(2, 1, 0, 8)));
        held = held.after(ChunkOp.OpenSession.sign(STRANGER, 9, CHUNK, OTHER_SESSION))
                .after(earlier);
        assertThat(held.sliceVolume(2)).isEqualTo(9);
        leases.lease(CHUNK, 2, new SliceLease(VOLUME, OWNER.address(), 5_000));

        ChunkMeta unclaimed = validator.validate(ChunkOp.OpenSession.sign(OWNER, VOLUME, CHUNK,
                SESSION), held).after();
        assertRefused(batch(OWNER, SESSION, wop(2, 2, 0, 2)), unclaimed,
                Refusal.Reason.SLICE_NOT_CLAIMED);
        assertThat(validator.validate(batch(OWNER, SESSION, wop(0, 1, 0, 2)), unclaimed)
                .accepted()).as("a slice that held nobody else's data").isTrue();

        ChunkMeta claimed = validator.validate(ChunkOp.OpenSession.sign(OWNER, VOLUME, CHUNK,
                SESSION, 0, "", List.of(0, 1, 2)), held).after();
        assertThat(claimed.sliceVolume(2)).isEqualTo(VOLUME);
        assertThat(validator.validate(batch(OWNER, SESSION, wop(2, 2, 0, 2)), claimed)
                .accepted()).isTrue();

        leases.lease(CHUNK, 3, new SliceLease(9, STRANGER.address(), 5_000));
        assertRefused(ChunkOp.OpenSession.sign(OWNER, VOLUME, CHUNK, SESSION, 0, "",
                List.of(0, 3)), held, Refusal.Reason.NOT_OWNER);
        assertRefused(ChunkOp.OpenSession.sign(OWNER, VOLUME, CHUNK, SESSION, 0, "",
                List.of(4)), held, Refusal.Reason.SLICE_OUT_OF_RANGE);
        leases.lease(CHUNK, 3, null);
        assertRefused(ChunkOp.OpenSession.sign(OWNER, VOLUME, CHUNK, SESSION, 0, "",
                List.of(3)), held, Refusal.Reason.NOT_LEASED);
    }

    @Test
    void aLeasedSessionExcludesOthersUntilItRunsOutAndIsRenewedByOpeningItAgain() {
        leases.nowSec = 1_000;
        ChunkMeta leased = validator.validate(ChunkOp.OpenSession.sign(OWNER, VOLUME, CHUNK,
                SESSION, 1_060, "laptop pid 42", List.of()), ChunkMeta.empty(TINY.sliceCount())).after();
        assertThat(leased.session().holder()).isEqualTo("laptop pid 42", List.of());
        Refusal held = validator.validate(ChunkOp.OpenSession.sign(OWNER, VOLUME, CHUNK,
                OTHER_SESSION, 1_060, "desktop", List.of()), leased).refusal();
        assertThat(held.reason()).isEqualTo(Refusal.Reason.SESSION_HELD);
        assertThat(held.detail()).contains("'laptop pid 42'").contains("1060");
        ChunkMeta renewed = validator.validate(ChunkOp.OpenSession.sign(OWNER, VOLUME, CHUNK,
                SESSION, 1_200, "laptop pid 42", List.of()), leased).after();
        assertThat(renewed.session().untilSec()).isEqualTo(1_200);
        leases.nowSec = 1_100;
        assertRefused(ChunkOp.OpenSession.sign(OWNER, VOLUME, CHUNK, OTHER_SESSION, 1_160,
                "desktop", List.of()), renewed, Refusal.Reason.SESSION_HELD);
        assertThat(validator.validate(ChunkOp.OpenSession.sign(OWNER, VOLUME, CHUNK,
                OTHER_SESSION, 1_160, "desktop", List.of()), leased).accepted())
                .as("the lease that was not renewed ran out at 1060").isTrue();
        assertRefused(ChunkOp.OpenSession.sign(OWNER, VOLUME, CHUNK, SESSION,
                1_100 + OpValidator.MAX_SESSION_LEASE_SEC + 1, "greedy", List.of()), leased,
                Refusal.Reason.BAD_SESSION_LEASE);
    }

    @Test
    void onlyAVolumeWithALiveSliceHereMayOpenASession() {
        assertRefused(ChunkOp.OpenSession.sign(STRANGER, VOLUME, CHUNK, OTHER_SESSION),
                ChunkMeta.empty(TINY.sliceCount()), Refusal.Reason.NOT_OWNER);
        assertRefused(ChunkOp.CloseSession.sign(OWNER, VOLUME, CHUNK, OTHER_SESSION), open,
                Refusal.Reason.WRONG_SESSION);
    }

    @Test
    void aSessionOnAVolumeWithNoSliceHereIsNotLeasedSoTheClientMayRetry() {
        assertRefused(ChunkOp.OpenSession.sign(OWNER, 77, CHUNK, OTHER_SESSION),
                ChunkMeta.empty(TINY.sliceCount()), Refusal.Reason.NOT_LEASED);
    }

    @Test
    void operationsForAnotherChunkAreRefused() {
        assertRefused(ChunkOp.WopBatch.sign(OWNER, VOLUME, CHUNK + 1, SESSION,
                List.of(wop(0, 1, 0, 2))), open, Refusal.Reason.WRONG_CHUNK);
    }
}
