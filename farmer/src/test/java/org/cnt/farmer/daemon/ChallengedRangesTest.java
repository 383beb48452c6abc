package org.cnt.farmer.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.micro.ChunkOp;
import org.cnt.chain.micro.Wop;
import org.cnt.chain.proof.Challenge;
import org.cnt.chain.proof.ProofRound;
import org.cnt.farmer.microchain.ChunkGeometry;
import org.cnt.farmer.microchain.ChunkState;
import org.junit.jupiter.api.Test;

class ChallengedRangesTest {
    private static final ChunkGeometry GEOMETRY = new ChunkGeometry(4096, 64 * 1024, 1 << 20);
    private static final KeyPair OWNER = KeyPair.fromLabel("owner");
    private static final Hash SESSION = Hash.sha256("s".getBytes());

    private static byte[] read(ProofRound.Copy copy, Challenge challenge) throws Exception {
        ByteBuffer bytes = ByteBuffer.allocate(challenge.lengthBytes());
        copy.read(challenge.offsetBytes(), bytes);
        return bytes.array();
    }

    private static void write(ChunkState state, Challenge challenge, long seq, byte value) {
        int slice = (int) (challenge.offsetBytes() / GEOMETRY.sliceSizeBytes());
        int within = (int) (challenge.offsetBytes() % GEOMETRY.sliceSizeBytes());
        byte[] data = new byte[16];
        java.util.Arrays.fill(data, value);
        state.applyBlock(state.height() + 1, List.of(ChunkOp.WopBatch.sign(OWNER, 1, 7, SESSION,
                List.of(new Wop(slice, seq, within, data)))));
    }

    /**
     * Every recorded height reads what the state held then, long after the state moved on; a
     * height committed while nothing was recorded reads as unknown, not as an older version.
     */
    @Test
    void eachHeightReadsWhatItHeldAndUnrecordedHeightsAreUnknown() throws Exception {
        ChunkState state = new ChunkState(GEOMETRY);
        state.applyBlock(1, List.of(ChunkOp.OpenSession.sign(OWNER, 1, 7, SESSION)));
        Challenge challenge = Challenge.derive(Hash.sha256("seed".getBytes()), 7, 3,
                GEOMETRY.chunkSizeBytes());
        ChallengedRanges ranges = new ChallengedRanges(List.of(challenge), () -> state);
        ranges.record();
        byte[] atStart = read(ranges.at(1), challenge);
        for (int seq = 1; seq <= 3; seq++) {
            write(state, challenge, seq, (byte) seq);
            ranges.record();
        }
        assertThat(ranges.at(0)).as("before the round's start").isNull();
        assertThat(read(ranges.at(1), challenge)).isEqualTo(atStart);
        assertThat(read(ranges.at(3), challenge)[0]).isEqualTo((byte) 2);
        assertThat(read(ranges.at(4), challenge)[0]).isEqualTo((byte) 3);
        assertThat(ranges.at(5)).isNull();
        assertThat(ranges.ahead(5)).isTrue();

        for (int seq = 4; seq <= 4 + ChunkState.READABLE_HEIGHTS + 2; seq++) {
            write(state, challenge, seq, (byte) seq);
        }
        ranges.record();
        long newest = state.height();
        assertThat(ranges.at(5)).as("committed, and gone from the state, while nothing "
                + "recorded").isNull();
        assertThat(ranges.at(newest - ChunkState.READABLE_HEIGHTS)).isNull();
        assertThat(read(ranges.at(newest), challenge)[0]).isEqualTo((byte) (newest - 1));
        assertThat(read(ranges.at(4), challenge)[0]).as("recorded before the gap")
                .isEqualTo((byte) 3);
    }
}
