package org.cnt.farmer.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
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
    private final java.util.function.Supplier<ChunkState> state;
    private final NavigableMap<Long, byte[][]> versions = new TreeMap<>();
    /** Heights committed while no record was taken (many at once): their bytes are unknown. */
    private final java.util.NavigableSet<Long> unknown = new java.util.TreeSet<>();
    private long recordedThrough = -1;

    ChallengedRanges(List<Challenge> challenges,
                     java.util.function.Supplier<ChunkState> state) {
        this.challenges = List.copyOf(challenges);
        this.state = state;
    }

    /** Records every height committed since the last call that the state can still read. */
    void record() {
        ChunkState state = this.state.get();
        long newest = state.height();
        long from = recordedThrough < 0 ? newest : recordedThrough + 1;
        for (long height = from; height <= newest; height++) {
            if (!state.readable(height)) {
                unknown.add(height);
                recordedThrough = height;
                continue;
            }
            byte[][] ranges = new byte[challenges.size()][];
            for (int i = 0; i < challenges.size(); i++) {
                Challenge challenge = challenges.get(i);
                ByteBuffer bytes = ByteBuffer.allocate(challenge.lengthBytes());
                state.readAt(height, challenge.offsetBytes(), bytes);
                ranges[i] = bytes.array();
            }
            Map.Entry<Long, byte[][]> before = versions.lastEntry();
            boolean afterGap = before != null && !unknown.isEmpty()
                    && unknown.last() > before.getKey();
            if (before == null || afterGap || !Arrays.deepEquals(before.getValue(), ranges)) {
                versions.put(height, ranges);
            }
            recordedThrough = height;
        }
    }

    long firstHeight() {
        return versions.isEmpty() ? -1 : versions.firstKey();
    }

    @Override
    public ProofRound.Copy at(long height) {
        if (versions.isEmpty() || height < versions.firstKey() || height > recordedThrough
                || unknown.contains(height)) {
            return null;
        }
        // The version in force at the height: the newest change at or below it, unless a
        // height between them went unrecorded (a change may hide there).
        Map.Entry<Long, byte[][]> version = versions.floorEntry(height);
        Long gap = unknown.lower(height);
        if (gap != null && gap > version.getKey()) {
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
