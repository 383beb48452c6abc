package org.cnt.farmer.daemon;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.crypto.PublicKey;
import org.cnt.chain.micro.MicroMessage;
import org.cnt.chain.proof.Challenge;
import org.cnt.chain.proof.ProofCertificate;
import org.cnt.chain.proof.ProofExchange;
import org.cnt.chain.proof.ProofRound;
import org.cnt.farmer.microchain.Replica;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a chunk's proof rounds for its replica: one {@link ProofExchange} per round, over the
 * replica's state as of its committed height when the round starts. Used on the replica's
 * thread only, like the replica.
 */
final class ProofDriver {
    private static final Logger log = LoggerFactory.getLogger(ProofDriver.class);

    /**
     * A round as the main chain opened it, and the group as the chain has it; the {@code
     * designated} member sends the group's proof at once, the others only as a fallback.
     */
    record Round(long height, Hash seed, long self, List<Long> members,
                 Map<Long, PublicKey> keys, long chunkSizeBytes, long lengthMs,
                 boolean designated) {
    }

    /** Sends a certified proof: at once, or after {@code fallbackMs} if still needed. */
    interface Submitter {
        void submit(ProofCertificate certificate, boolean now, long fallbackMs);
    }

    private final long chunkId;
    private final KeyPair key;
    private final Outbox outbox;
    private final Submitter submit;
    private ProofExchange exchange;
    private ChallengedRanges ranges;
    private Round round;
    private long lastResendMs;

    ProofDriver(long chunkId, KeyPair key, Outbox outbox, Submitter submit) {
        this.chunkId = chunkId;
        this.key = key;
        this.outbox = outbox;
        this.submit = submit;
    }

    /** Starts {@code next} unless it is the round already running (or an older one). */
    void start(Round next, Replica replica, long nowMs) {
        if (round != null && next.height() <= round.height()) {
            return;
        }
        round = next;
        List<Challenge> challenges = new ArrayList<>();
        for (long member : next.members()) {
            challenges.add(Challenge.derive(next.seed(), chunkId, member, next.chunkSizeBytes()));
        }
        ranges = new ChallengedRanges(challenges, replica::state);
        ranges.record();
        long height = replica.state().height();
        ChallengedRanges copies = ranges;
        ProofRound proofRound = new ProofRound(next.seed(), next.height(), chunkId,
                next.chunkSizeBytes(), next.self(), next.members(), copies.at(height));
        // Answers count for the first 30% of the round, signatures until 70%: the proof must
        // reach the chain before the next round opens.
        exchange = new ProofExchange(proofRound, chunkId, next.height(), next.self(),
                next.members(), next.keys(), key, copies, height, new ProofExchange.Deadlines(
                        nowMs + next.lengthMs() * 3 / 10, nowMs + next.lengthMs() * 7 / 10));
        lastResendMs = nowMs;
        try {
            carryOut(exchange.start(nowMs));
        } catch (IOException | RuntimeException e) {
            log.warn("chunk {}: cannot answer proof round {}: {}", chunkId, next.height(),
                    e.getMessage());
            exchange = null;
        }
    }

    void onMessage(ProofExchange.Message message, long nowMs) {
        if (exchange == null || message.roundHeight() != round.height()) {
            return;
        }
        try {
            carryOut(exchange.onMessage(message, nowMs));
        } catch (IOException | RuntimeException e) {
            log.warn("chunk {}: proof round {}: {}", chunkId, round.height(), e.getMessage());
        }
    }

    /** After blocks commit: the round's ranges as of each new height, while answers count. */
    void observe(long nowMs) {
        if (exchange != null && !exchange.finished(nowMs)) {
            ranges.record();
        }
    }

    /** Resends twenty times a round at most: the replica ticks far more often. */
    void tick(long nowMs) {
        if (exchange != null && exchange.finished(nowMs)) {
            if (!exchange.submitted()) {
                // Usual when a peer's statement got its quorum first (members stop signing
                // once they have sent a proof); the chain's record says whether the group's did.
                log.debug("chunk {}: proof round {} ended without a quorum for this member's "
                        + "statement; {}", chunkId, round.height(), exchange.describe());
            }
            exchange = null;
        }
        if (exchange == null || nowMs - lastResendMs < Math.max(50, round.lengthMs() / 20)) {
            return;
        }
        lastResendMs = nowMs;
        try {
            carryOut(exchange.onTick(nowMs));
        } catch (IOException | RuntimeException e) {
            log.warn("chunk {}: proof round {}: {}", chunkId, round.height(), e.getMessage());
        }
    }

    private void carryOut(List<ProofExchange.Output> outputs) {
        for (ProofExchange.Output output : outputs) {
            switch (output) {
                case ProofExchange.Broadcast b -> {
                    List<PublicKey> peers = new ArrayList<>();
                    for (long member : round.members()) {
                        if (member != round.self()) {
                            peers.add(round.keys().get(member));
                        }
                    }
                    outbox.toPeers(peers, new MicroMessage.ProofMsg(chunkId, b.message()));
                }
                case ProofExchange.Send s -> outbox.toPeers(List.of(round.keys().get(s.to())),
                        new MicroMessage.ProofMsg(chunkId, s.message()));
                case ProofExchange.Submit s -> submit.submit(s.certificate(), round.designated(),
                        round.lengthMs() / 5);
            }
        }
    }
}
