package org.cnt.chain.proof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.cnt.chain.crypto.Hash;
import org.junit.jupiter.api.Test;

class ProofTest {
    private static final long CHUNK = 64L << 20;

    private static Hash seed(long n) {
        return Hash.sha256(ByteBuffer.allocate(8).putLong(n).array());
    }

    @Property(tries = 500)
    void aChallengeIsDeterministicInsideTheChunkAndSmall(@ForAll long seed,
            @ForAll @LongRange(min = 0, max = 1 << 20) long chunk,
            @ForAll @LongRange(min = 1, max = 1 << 20) long farmer,
            @ForAll @IntRange(min = 4, max = 16_384) int pages) {
        long size = (long) pages * Challenge.PAGE_BYTES;
        Challenge challenge = Challenge.derive(seed(seed), chunk, farmer, size);
        assertThat(Challenge.derive(seed(seed), chunk, farmer, size)).isEqualTo(challenge);
        assertThat(challenge.offsetBytes() % Challenge.PAGE_BYTES).isZero();
        assertThat(challenge.offsetBytes() + challenge.lengthBytes()).isLessThanOrEqualTo(size);
        assertThat(challenge.lengthBytes()).isBetween(2 * 4096, 4 * 4096);
    }

    @Test
    void rangesDifferAcrossMembersAndRoundsAndCoverTheChunk() {
        Set<Long> offsets = new HashSet<>();
        for (long round = 0; round < 200; round++) {
            for (long farmer = 1; farmer <= 4; farmer++) {
                offsets.add(Challenge.derive(seed(round), 9, farmer, CHUNK).offsetBytes());
            }
        }
        assertThat(offsets).as("800 challenges of a 16,384-page chunk").hasSizeGreaterThan(780);
        long lowHalf = offsets.stream().filter(o -> o < CHUNK / 2).count();
        assertThat(lowHalf).isBetween(offsets.size() / 2L - 80, offsets.size() / 2L + 80);
        // A round for 100 chunks reads, with the peers' ranges, a few MB.
        long bytes = 0;
        for (long chunk = 0; chunk < 100; chunk++) {
            for (long farmer = 1; farmer <= 4; farmer++) {
                bytes += Challenge.derive(seed(1), chunk, farmer, CHUNK).lengthBytes();
            }
        }
        assertThat(bytes).isLessThan(7L << 20);
    }

    @Test
    void anAnswerIsTheMembersOwnAndCatchesAnyChangedByte() {
        Challenge mine = Challenge.derive(seed(3), 5, 1, CHUNK);
        byte[] copy = new byte[mine.lengthBytes()];
        Padding.of(seed(100), 5).fill(mine.offsetBytes(), ByteBuffer.wrap(copy));
        Hash answer = Answer.compute(mine, ByteBuffer.wrap(copy));
        assertThat(Answer.verify(mine, answer, ByteBuffer.wrap(copy.clone()))).isTrue();
        Challenge othersWithSameRange = new Challenge(mine.seed(), 5, 2, mine.offsetBytes(),
                mine.lengthBytes());
        assertThat(Answer.compute(othersWithSameRange, ByteBuffer.wrap(copy)))
                .as("another member cannot reuse the answer").isNotEqualTo(answer);
        for (int at : new int[] {0, copy.length / 2, copy.length - 1}) {
            byte[] wrong = copy.clone();
            wrong[at] ^= 1;
            assertThat(Answer.verify(mine, answer, ByteBuffer.wrap(wrong))).isFalse();
        }
        assertThat(Answer.compute(Challenge.derive(seed(4), 5, 1, CHUNK),
                ByteBuffer.wrap(new byte[Challenge.derive(seed(4), 5, 1, CHUNK).lengthBytes()])))
                .as("a new round, a new answer").isNotEqualTo(answer);
        assertThatThrownBy(() -> Answer.compute(mine, ByteBuffer.allocate(10)))
                .hasMessageContaining("covers");
    }

    @Property(tries = 60)
    void paddingDependsOnlyOnTheNetworkChunkAndOffset(
            @ForAll @IntRange(min = 0, max = 40_000) int offset,
            @ForAll @IntRange(min = 1, max = 20_000) int length) {
        Padding padding = Padding.of(seed(1), 77);
        byte[] whole = new byte[60_000];
        padding.fill(0, ByteBuffer.wrap(whole));
        byte[] part = new byte[length];
        padding.fill(offset, ByteBuffer.wrap(part));
        assertThat(part).isEqualTo(java.util.Arrays.copyOfRange(whole, offset, offset + length));
    }

    @Test
    void paddingDiffersByChunkAndNetworkAndLooksRandom() {
        byte[] a = new byte[8192];
        byte[] b = new byte[8192];
        byte[] c = new byte[8192];
        Padding.of(seed(1), 1).fill(0, ByteBuffer.wrap(a));
        Padding.of(seed(1), 2).fill(0, ByteBuffer.wrap(b));
        Padding.of(seed(2), 1).fill(0, ByteBuffer.wrap(c));
        assertThat(a).isNotEqualTo(b).isNotEqualTo(c);
        int ones = 0;
        for (byte x : a) {
            ones += Integer.bitCount(x & 0xFF);
        }
        assertThat(ones).isBetween(8192 * 4 - 600, 8192 * 4 + 600);
        byte[] pageOne = java.util.Arrays.copyOfRange(a, 0, 4096);
        byte[] pageTwo = java.util.Arrays.copyOfRange(a, 4096, 8192);
        assertThat(pageOne).isNotEqualTo(pageTwo);
    }
}
