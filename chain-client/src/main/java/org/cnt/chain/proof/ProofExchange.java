package org.cnt.chain.proof;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.crypto.PublicKey;

/**
 * One member's side of a proof round for one chunk, as a state machine without I/O or clock:
 * the caller feeds it messages and ticks and carries out what it returns.
 *
 * <p>Every member broadcasts its answer (again on every tick, as messages may be lost) and
 * checks its peers' answers against its own copy of their ranges. Once every peer answered, or
 * at the answer deadline, each member proposes the statement naming itself and the peers whose
 * answers matched its copy. A member signs a peer's proposal only if every member it names gave
 * it a matching answer too, so a statement naming a member without its data gets no honest
 * signature: with at most {@code f} of {@code 3f + 1} members lying, it cannot reach the quorum
 * of {@code 2f + 1}. A member whose own proposal gathers a quorum hands it to the chain, which
 * takes the first proof of a round per chunk. No member leads: a faulty one cannot stop the
 * honest members' proof.
 *
 * <p>Answers are over the chunk as of a micro-chain height the answer names: members at
 * different heights check each other at the answerer's height while their state still holds
 * it, and an answer for a height not reached yet waits until it is.
 */
public final class ProofExchange {
    /** This member's copy of the chunk as of a height, or null if it cannot be read at it. */
    public interface Copies {
        ProofRound.Copy at(long height);

        /** Whether {@code height} is still ahead of this member (its answer check can wait). */
        boolean ahead(long height);
    }

    /** What members send each other about one chunk's round. */
    public sealed interface Message {
        long chunkId();

        long roundHeight();

        long from();
    }

    /**
     * A member's answer over the chunk as of micro-chain {@code height}, signed by it: the first
     * answer a member counts from a peer is the one it judges, so nobody else may send it.
     */
    public record Response(long chunkId, long roundHeight, long from, long height, Hash answer,
                           byte[] signature) implements Message {
        private static final byte[] DOMAIN = "cnt-proof-response".getBytes(
                java.nio.charset.StandardCharsets.UTF_8);

        public byte[] signingBytes() {
            return new org.cnt.chain.codec.CanonicalWriter(128).fixed(DOMAIN).u64(chunkId)
                    .u64(roundHeight).u64(from).u64(height).fixed(answer.toBytes()).toByteArray();
        }

        static Response signed(long chunkId, long roundHeight, long from, long height,
                               Hash answer, KeyPair key) {
            Response unsigned = new Response(chunkId, roundHeight, from, height, answer,
                    new byte[0]);
            return new Response(chunkId, roundHeight, from, height, answer,
                    key.sign(unsigned.signingBytes()));
        }
    }

    /** A member's statement with its own signature. */
    public record Proposal(long chunkId, long roundHeight, long from, ProofStatement statement,
                           byte[] signature) implements Message {
    }

    /** A member's signature on the statement {@code proposer} proposed. */
    public record Vote(long chunkId, long roundHeight, long from, long proposer, byte[] signature)
            implements Message {
    }

    /** What the caller must do. */
    public sealed interface Output {
    }

    public record Broadcast(Message message) implements Output {
    }

    public record Send(long to, Message message) implements Output {
    }

    public record Submit(ProofCertificate certificate) implements Output {
    }

    /** When answers stop counting and when the round gives up, in the caller's time units. */
    public record Deadlines(long answersBy, long votesBy) {
    }

    private final ProofRound round;
    private final long chunkId;
    private final long roundHeight;
    private final long self;
    private final List<Long> members;
    private final Map<Long, PublicKey> keys;
    private final KeyPair key;
    private final Copies copies;
    private final long height;
    private final Deadlines deadlines;
    private final int quorum;
    private final Map<Long, Boolean> verdicts = new TreeMap<>();
    /** The height each peer's verdict was judged at: only an answer at a newer one changes it. */
    private final Map<Long, Long> judgedAt = new TreeMap<>();
    private final Map<Long, Response> waiting = new TreeMap<>();
    /** The newest height a peer answered at above this member's own answer. */
    private long raiseTo = -1;
    private final Map<Long, Proposal> proposals = new TreeMap<>();
    private final Map<Long, Vote> votedFor = new TreeMap<>();
    private final Map<Long, byte[]> votes = new TreeMap<>();
    private Response own;
    private Proposal proposal;
    private boolean submitted;

    /**
     * {@code round} computes this member's answer over {@code copies.at(height)}; {@code
     * members} is the group, {@code keys} their keys.
     */
    public ProofExchange(ProofRound round, long chunkId, long roundHeight, long self,
                         List<Long> members, Map<Long, PublicKey> keys, KeyPair key,
                         Copies copies, long height, Deadlines deadlines) {
        if (!members.contains(self)) {
            throw new IllegalArgumentException("farmer " + self + " is not in the group "
                    + members);
        }
        this.round = round;
        this.chunkId = chunkId;
        this.roundHeight = roundHeight;
        this.self = self;
        this.members = List.copyOf(members);
        this.keys = Map.copyOf(keys);
        this.key = key;
        this.copies = copies;
        this.height = height;
        this.deadlines = deadlines;
        this.quorum = 2 * members.size() / 3 + 1;
    }

    public List<Output> start(long now) throws IOException {
        own = Response.signed(chunkId, roundHeight, self, height, round.ownAnswer(), key);
        return onTick(now);
    }

    public boolean submitted() {
        return submitted;
    }

    /** Where this member's side of the round stands, for a log line when it fails. */
    public String describe() {
        return "answered at height " + (own == null ? "-" : own.height()) + ", verdicts "
                + verdicts + " (judged at " + judgedAt + "), waiting for " + waiting.keySet()
                + ", proposal " + (proposal == null ? "none" : "naming " + java.util.Arrays
                .toString(proposal.statement().agreeing())) + " signed by " + votes.keySet()
                + " (" + quorum + " needed), proposals seen from " + proposals.keySet()
                + ", voted for " + votedFor.keySet();
    }

    /** Whether the round is over for this member (submitted, or past the vote deadline). */
    public boolean finished(long now) {
        return submitted || now >= deadlines.votesBy();
    }

    public List<Output> onMessage(Message message, long now) throws IOException {
        List<Output> out = new ArrayList<>();
        long from = message.from();
        if (message.chunkId() != chunkId || message.roundHeight() != roundHeight
                || !members.contains(from) || from == self || finished(now)) {
            return out;
        }
        switch (message) {
            case Response response -> {
                Response before = own;
                onResponse(response, now);
                raise(now);
                if (own != before) {
                    out.add(new Broadcast(own));
                }
            }
            case Proposal p -> onProposal(p);
            case Vote vote -> onVote(vote, out);
        }
        vote(out);
        return out;
    }

    /** Resends what may have been lost and acts on deadlines. */
    public List<Output> onTick(long now) throws IOException {
        List<Output> out = new ArrayList<>();
        if (finished(now) || own == null) {
            return out;
        }
        for (Response response : List.copyOf(waiting.values())) {
            onResponse(response, now);
        }
        raise(now);
        out.add(new Broadcast(own));
        if (proposal == null && (verdicts.size() == members.size() - 1
                || now >= deadlines.answersBy())) {
            ProofStatement statement = statement();
            byte[] signature = key.sign(statement.signingBytes());
            proposal = new Proposal(chunkId, roundHeight, self, statement, signature);
            votes.put(self, signature);
        }
        if (proposal != null) {
            out.add(new Broadcast(proposal));
            maybeSubmit(out);
        }
        for (Vote vote : votedFor.values()) {
            out.add(new Send(vote.proposer(), vote));
        }
        vote(out);
        return out;
    }

    /**
     * An answer after the deadline counts for nothing: a member must answer in time. Members
     * start a round at the heights they are at when they learn of it, which differ under writes
     * by more than a copy keeps: an answer at a height this member has no record of yet waits
     * for it; one older than this member's record is not judged, as its sender answers again
     * at this member's height once it sees that (every member moves its answer up to the
     * newest height a peer answered at), and that answer can be checked.
     */
    private void onResponse(Response response, long now) throws IOException {
        long from = response.from();
        PublicKey sender = keys.get(from);
        Long judged = judgedAt.get(from);
        if (Boolean.TRUE.equals(verdicts.get(from)) || now > deadlines.answersBy()
                || sender == null || judged != null && response.height() <= judged
                || waiting.get(from) != response
                && !sender.verify(response.signingBytes(), response.signature())) {
            return;
        }
        raiseTo = Math.max(raiseTo, response.height());
        ProofRound.Copy copy = copies.at(response.height());
        if (copy == null) {
            if (copies.ahead(response.height())) {
                waiting.put(from, response);
            } else {
                waiting.remove(from);
            }
            return;
        }
        waiting.remove(from);
        Challenge challenge = round.challengeOf(from);
        verdicts.put(from, Answer.verify(challenge, response.answer(),
                ProofRound.read(copy, challenge)));
        judgedAt.put(from, response.height());
    }

    /** Answers again at the newest height a peer answered at, once this member has it. */
    private void raise(long now) throws IOException {
        if (own == null || raiseTo <= own.height() || now > deadlines.answersBy()) {
            return;
        }
        ProofRound.Copy copy = copies.at(raiseTo);
        if (copy == null) {
            return;
        }
        Challenge challenge = round.challengeOf(self);
        own = Response.signed(chunkId, roundHeight, self, raiseTo,
                Answer.compute(challenge, ProofRound.read(copy, challenge)), key);
    }

    private ProofStatement statement() {
        List<Long> agreeing = new ArrayList<>();
        agreeing.add(self);
        verdicts.forEach((farmer, agrees) -> {
            if (agrees) {
                agreeing.add(farmer);
            }
        });
        return new ProofStatement(chunkId, roundHeight, round.seed(),
                agreeing.stream().sorted().mapToLong(Long::longValue).toArray());
    }

    private void onProposal(Proposal p) {
        PublicKey proposer = keys.get(p.from());
        ProofStatement s = p.statement();
        if (proposals.containsKey(p.from()) || s.chunkId() != chunkId
                || s.roundHeight() != roundHeight || !s.seed().equals(round.seed())
                || proposer == null || !proposer.verify(s.signingBytes(), p.signature())) {
            return;
        }
        proposals.put(p.from(), p);
    }

    /**
     * Signs each peer's proposal once every member it names matched this member's copy (and
     * resends the vote every tick, as it may be lost).
     */
    private void vote(List<Output> out) {
        for (Proposal p : proposals.values()) {
            if (votedFor.containsKey(p.from()) || !vouchesFor(p.statement())) {
                continue;
            }
            Vote vote = new Vote(chunkId, roundHeight, self, p.from(),
                    key.sign(p.statement().signingBytes()));
            votedFor.put(p.from(), vote);
            out.add(new Send(p.from(), vote));
        }
    }

    private boolean vouchesFor(ProofStatement statement) {
        for (long named : statement.agreeing()) {
            if (named != self && !Boolean.TRUE.equals(verdicts.get(named))) {
                return false;
            }
        }
        return true;
    }

    private void onVote(Vote vote, List<Output> out) {
        PublicKey voter = keys.get(vote.from());
        if (proposal == null || vote.proposer() != self || voter == null
                || votes.containsKey(vote.from())
                || !voter.verify(proposal.statement().signingBytes(), vote.signature())) {
            return;
        }
        votes.put(vote.from(), vote.signature());
        maybeSubmit(out);
    }

    private void maybeSubmit(List<Output> out) {
        if (!submitted && votes.size() >= quorum) {
            submitted = true;
            out.add(new Submit(new ProofCertificate(proposal.statement(), votes)));
        }
    }
}
