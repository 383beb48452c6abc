package org.cnt.chain.proof;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cnt.chain.crypto.Hash;

/**
 * One member's side of a proof round for one chunk, without I/O: its own answer, and the
 * verdict on each peer's answer, checked against this member's own copy of the peer's range.
 * What it vouches for at the end is the {@link ProofStatement} naming itself and every peer
 * whose answer matched. A peer that sent nothing, sent a wrong answer, or is not in the group
 * is not named.
 */
public final class ProofRound {
    /** Reads this member's copy of the chunk. */
    public interface Copy {
        void read(long offsetBytes, ByteBuffer into) throws IOException;
    }

    /** What an answer from a peer turned out to be. */
    public enum Verdict { AGREES, DISAGREES, NOT_A_MEMBER, ALREADY_ANSWERED }

    private final Hash seed;
    private final long roundHeight;
    private final long chunkId;
    private final long chunkSizeBytes;
    private final long self;
    private final List<Long> members;
    private final Copy copy;
    private final Map<Long, Boolean> verdicts = new TreeMap<>();

    public ProofRound(Hash seed, long roundHeight, long chunkId, long chunkSizeBytes, long self,
                      List<Long> members, Copy copy) {
        if (!members.contains(self)) {
            throw new IllegalArgumentException("farmer " + self + " is not in the group "
                    + members);
        }
        this.seed = seed;
        this.roundHeight = roundHeight;
        this.chunkId = chunkId;
        this.chunkSizeBytes = chunkSizeBytes;
        this.self = self;
        this.members = List.copyOf(members);
        this.copy = copy;
    }

    public Hash seed() {
        return seed;
    }

    public Challenge challengeOf(long farmer) {
        return Challenge.derive(seed, chunkId, farmer, chunkSizeBytes);
    }

    private ByteBuffer bytes(Challenge challenge) throws IOException {
        return read(copy, challenge);
    }

    /** A challenged range of a copy, ready to hash. */
    static ByteBuffer read(Copy copy, Challenge challenge) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(challenge.lengthBytes());
        copy.read(challenge.offsetBytes(), bytes);
        return bytes.flip();
    }

    /** This member's answer, to send to its peers (and to check against their copies). */
    public Hash ownAnswer() throws IOException {
        Challenge challenge = challengeOf(self);
        return Answer.compute(challenge, bytes(challenge));
    }

    /** Checks a peer's answer against this member's copy of the peer's range. */
    public Verdict onAnswer(long farmer, Hash answer) throws IOException {
        if (!members.contains(farmer) || farmer == self) {
            return Verdict.NOT_A_MEMBER;
        }
        if (verdicts.containsKey(farmer)) {
            return Verdict.ALREADY_ANSWERED;
        }
        Challenge challenge = challengeOf(farmer);
        boolean agrees = Answer.verify(challenge, answer, bytes(challenge));
        verdicts.put(farmer, agrees);
        return agrees ? Verdict.AGREES : Verdict.DISAGREES;
    }

    /** Whether every peer has answered (the round may end before, at its deadline). */
    public boolean complete() {
        return verdicts.size() == members.size() - 1;
    }

    /** What this member signs: itself and the peers whose answers matched its copy. */
    public ProofStatement statement() {
        long[] agreeing = verdicts.entrySet().stream().filter(Map.Entry::getValue)
                .mapToLong(Map.Entry::getKey).toArray();
        long[] withSelf = java.util.Arrays.copyOf(agreeing, agreeing.length + 1);
        withSelf[agreeing.length] = self;
        java.util.Arrays.sort(withSelf);
        return new ProofStatement(chunkId, roundHeight, seed, withSelf);
    }
}
