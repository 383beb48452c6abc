package org.cnt.chain.proof;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.crypto.PublicKey;
import org.junit.jupiter.api.Test;

/** A copy group of four runs a round: who is named, and what a quorum can and cannot sign. */
class ProofRoundTest {
    private static final long CHUNK_ID = 42;
    private static final int CHUNK = 1 << 20;
    private static final List<Long> MEMBERS = List.of(11L, 12L, 13L, 14L);
    private static final int QUORUM = 3;

    private static KeyPair key(long farmer) {
        return KeyPair.fromLabel("farmer-" + farmer);
    }

    private static Map<Long, PublicKey> group() {
        Map<Long, PublicKey> group = new HashMap<>();
        MEMBERS.forEach(m -> group.put(m, key(m).publicKey()));
        return group;
    }

    private static ProofRound round(Hash seed, long self, byte[] copy) {
        return new ProofRound(seed, 100, CHUNK_ID, CHUNK, self, MEMBERS,
                (offset, into) -> into.put(copy, (int) offset, into.remaining()));
    }

    /** Every member answers every other; returns each member's statement. */
    private static Map<Long, ProofStatement> run(Hash seed, Map<Long, byte[]> copies)
            throws Exception {
        Map<Long, ProofRound> rounds = new HashMap<>();
        MEMBERS.forEach(m -> rounds.put(m, round(seed, m, copies.get(m))));
        for (long from : MEMBERS) {
            Hash answer = rounds.get(from).ownAnswer();
            for (long to : MEMBERS) {
                if (to != from) {
                    rounds.get(to).onAnswer(from, answer);
                }
            }
        }
        Map<Long, ProofStatement> statements = new HashMap<>();
        rounds.forEach((m, r) -> {
            assertThat(r.complete()).isTrue();
            statements.put(m, r.statement());
        });
        return statements;
    }

    private static ProofCertificate certify(ProofStatement statement, long... signers) {
        Map<Long, byte[]> signatures = new HashMap<>();
        for (long signer : signers) {
            signatures.put(signer, key(signer).sign(statement.signingBytes()));
        }
        return new ProofCertificate(statement, signatures);
    }

    private static Map<Long, byte[]> honestCopies(long seed) {
        byte[] chunk = new byte[CHUNK];
        new Random(seed).nextBytes(chunk);
        // The second half was never written: it holds the chunk's padding.
        Padding.of(Hash.ZERO, CHUNK_ID).fill(CHUNK / 2, ByteBuffer.wrap(chunk, CHUNK / 2,
                CHUNK / 2));
        Map<Long, byte[]> copies = new HashMap<>();
        MEMBERS.forEach(m -> copies.put(m, chunk.clone()));
        return copies;
    }

    @Property(tries = 40)
    void honestGroupsNameEveryoneAndTheirCertificateHolds(@ForAll long round) throws Exception {
        Hash seed = Hash.sha256(java.nio.ByteBuffer.allocate(8).putLong(round).array());
        Map<Long, ProofStatement> statements = run(seed, honestCopies(round));
        ProofStatement all = new ProofStatement(CHUNK_ID, 100, seed, new long[] {11, 12, 13, 14});
        assertThat(statements.values()).containsOnly(all);
        assertThat(certify(all, 11, 12, 13, 14).holds(group(), QUORUM)).isTrue();
        assertThat(certify(all, 11, 12, 13).holds(group(), QUORUM)).isTrue();
        assertThat(certify(all, 11, 12).holds(group(), QUORUM)).isFalse();
    }

    @Property(tries = 40)
    void aMemberWithoutItsDataIsLeftOutAndOneAccompliceCannotCertifyIt(
            @ForAll long round, @ForAll @IntRange(min = 0, max = 3) int lostIndex,
            @ForAll @IntRange(min = 0, max = 2) int accompliceIndex) throws Exception {
        Hash seed = Hash.sha256(java.nio.ByteBuffer.allocate(8).putLong(round).array());
        long lost = MEMBERS.get(lostIndex);
        Map<Long, byte[]> copies = honestCopies(round);
        Challenge challenge = Challenge.derive(seed, CHUNK_ID, lost, CHUNK);
        // It dropped its data: what it holds in its challenged range is no longer the chunk.
        java.util.Arrays.fill(copies.get(lost), (int) challenge.offsetBytes(),
                (int) challenge.offsetBytes() + challenge.lengthBytes(), (byte) 0);
        Map<Long, ProofStatement> statements = run(seed, copies);
        long[] honest = MEMBERS.stream().filter(m -> m != lost).mapToLong(Long::longValue)
                .toArray();
        for (long m : honest) {
            assertThat(statements.get(m).names(lost)).as("honest %d names %d", m, lost)
                    .isFalse();
            assertThat(statements.get(m).agreeing()).containsExactly(honest);
        }
        assertThat(certify(statements.get(honest[0]), honest).holds(group(), QUORUM)).isTrue();
        long accomplice = honest[accompliceIndex];
        ProofStatement lie = new ProofStatement(CHUNK_ID, 100, seed,
                new long[] {11, 12, 13, 14});
        assertThat(certify(lie, lost, accomplice).holds(group(), QUORUM))
                .as("the lost member and one accomplice").isFalse();
    }

    @Test
    void wrongStrangeRepeatedAnswersAndForgedSignaturesCountForNothing() throws Exception {
        Hash seed = Hash.sha256(new byte[] {7});
        Map<Long, byte[]> copies = honestCopies(7);
        ProofRound round = round(seed, 11, copies.get(11L));
        Hash right = round(seed, 12, copies.get(12L)).ownAnswer();
        assertThat(round.onAnswer(12, Hash.sha256(new byte[] {1})))
                .isEqualTo(ProofRound.Verdict.DISAGREES);
        assertThat(round.onAnswer(12, right)).as("one answer per member per round")
                .isEqualTo(ProofRound.Verdict.ALREADY_ANSWERED);
        assertThat(round.onAnswer(99, right)).isEqualTo(ProofRound.Verdict.NOT_A_MEMBER);
        assertThat(round.onAnswer(13, round(seed, 13, copies.get(13L)).ownAnswer()))
                .isEqualTo(ProofRound.Verdict.AGREES);
        assertThat(round.complete()).isFalse();
        assertThat(round.statement().agreeing()).as("12 answered wrong, 14 not at all")
                .containsExactly(11, 13);

        ProofStatement statement = round.statement();
        Map<Long, byte[]> forged = new HashMap<>();
        forged.put(11L, key(11).sign(statement.signingBytes()));
        forged.put(12L, key(99).sign(statement.signingBytes()));
        byte[] tampered = key(13).sign(statement.signingBytes());
        tampered[0] ^= 1;
        forged.put(13L, tampered);
        forged.put(99L, key(99).sign(statement.signingBytes()));
        ProofCertificate certificate = new ProofCertificate(statement, forged);
        assertThat(certificate.validSigners(group())).isEqualTo(1);
        ProofStatement other = new ProofStatement(CHUNK_ID, 101, seed, new long[] {11, 13});
        assertThat(certify(statement, 11, 12, 13).statement()).isNotEqualTo(other);
        assertThat(new ProofCertificate(other, certify(statement, 11, 12, 13).signatures())
                .holds(group(), QUORUM)).as("signatures of another statement").isFalse();
    }
}
