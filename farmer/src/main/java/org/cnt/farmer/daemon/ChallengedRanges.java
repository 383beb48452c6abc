package org.cnt.farmer.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.cnt.chain.proof.Challenge;
import org.cnt.chain.proof.ProofExchange;
import org.cnt.chain.proof.ProofRound;
import org.cnt.farmer.microchain.ChunkState;

/**
 * One proof round's challenged ranges (every member's) as this replica held them at each height
 * from the round's start: the state keeps whole versions for a few heights only, and under
 * writes the group's members start a round heights apart, so an answer is checked against the
 * record of its height. The ranges are a few pages each and rarely change, so only the heights
 * where one did are kept.
 */
final class ChallengedRanges implements ProofExchange.Copies {
    private final List<Challenge> challenges;
    /** The replica's state: a snapshot it installs replaces it. */
    private final Supplier<ChunkState> state;
    /**
     * The ranges from each height on where they changed; null from a height committed while no
     * record was taken (the state no longer held it), whose bytes are unknown until the next.
     */
    private final NavigableMap<Long, byte[][]> versions = new TreeMap<>();
    private long recordedThrough = -1;

    ChallengedRanges(List<Challenge> challenges, Supplier<ChunkState> state) {
        this.challenges = List.copyOf(challenges);
        this.state = state;
    }

    /** Records every height committed since the last call. */
    void record() {
        ChunkState state = this.state.get();
        long newest = state.height();
        for (long height = recordedThrough < 0 ? newest : recordedThrough + 1; height <= newest;
             height++) {
            byte[][] ranges = state.readable(height) ? read(state, height) : null;
            Map.Entry<Long, byte[][]> before = versions.lastEntry();
            if (before == null || !same(before.getValue(), ranges)) {
                versions.put(height, ranges);
            }
            recordedThrough = height;
        }
    }

    private static boolean same(byte[][] version, byte[][] ranges) {
        return version == null ? ranges == null : Arrays.deepEquals(version, ranges);
    }

    private byte[][] read(ChunkState state, long height) {
        byte[][] ranges = new byte[challenges.size()][];
        for (int i = 0; i < challenges.size(); i++) {
            Challenge challenge = challenges.get(i);
            ByteBuffer bytes = ByteBuffer.allocate(challenge.lengthBytes());
            state.readAt(height, challenge.offsetBytes(), bytes);
            ranges[i] = bytes.array();
        }
        return ranges;
    }

    @Override
    public ProofRound.Copy at(long height) {
        Map.Entry<Long, byte[][]> version = height > recordedThrough ? null
                : versions.floorEntry(height);
        if (version == null || version.getValue() == null) {
            return null;
        }
        byte[][] ranges = version.getValue();
        return (offset, into) -> {
            for (int i = 0; i < challenges.size(); i++) {
                Challenge challenge = challenges.get(i);
                if (challenge.offsetBytes() == offset
                        && challenge.lengthBytes() == into.remaining()) {
                    into.put(into.position(), ranges[i]);
                    into.position(into.position() + ranges[i].length);
                    return;
                }
            }
            throw new IOException("bytes at " + offset + " are no challenged range of the round");
        };
    }

    @Override
    public boolean ahead(long height) {
        return height > recordedThrough;
    }
}
