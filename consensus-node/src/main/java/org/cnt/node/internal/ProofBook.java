package org.cnt.node.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.PublicKey;
import org.cnt.chain.proof.ProofCertificate;
import org.cnt.chain.proof.ProofStatement;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.Chunk;
import org.cnt.chain.types.Farmer;
import org.cnt.node.Rejection;

/**
 * Proof rounds on the main chain (DESIGN.md "Space proofs"). The block at every multiple of
 * {@code proofIntervalBlocks} opens a round seeded by its hash; until the next round opens, each
 * chunk's group may submit one space proof for it. When the round closes, every member of every
 * chunk is counted: passed if the chunk's proof named it, missed otherwise (a chunk without a
 * proof misses for all). A group that changed during the round is not counted for it. A farmer
 * that misses in {@code missesToReplace} consecutive rounds is suspended: the chain takes it out
 * of its groups and assigns replacements, which catch up by state transfer.
 */
final class ProofBook {
    private final ChainState state;
    private final ChainParams params;
    private final ChunkAssigner assigner;

    ProofBook(ChainState state, ChunkAssigner assigner) {
        this.state = state;
        this.params = state.params;
        this.assigner = assigner;
    }

    /** Whether block {@code height} opens a round. */
    boolean opensRound(long height) {
        return height > 0 && height % params.proofIntervalBlocks() == 0;
    }

    /**
     * Called at the start of block {@code height}; its parent's hash is {@code parentHash}. If
     * the parent opened a round, the round before it closes and the parent's round opens.
     */
    void beginBlock(long height, Hash parentHash) {
        long parent = height - 1;
        if (!opensRound(parent)) {
            return;
        }
        long open = state.globals().roundHeight();
        if (open > 0) {
            close(open);
        }
        startRound();
        state.setGlobals(state.globals().withRound(parent, parentHash));
    }

    /** A space proof's rules; applies it when {@code apply}. Null when it is (or would be) taken. */
    Rejection submit(Long senderFarmer, ProofCertificate certificate, boolean apply) {
        ProofStatement statement = certificate.statement();
        Globals globals = state.globals();
        if (globals.roundHeight() == 0 || statement.roundHeight() != globals.roundHeight()) {
            return Rejection.of("stale_round", "proofs are taken for the open round (block "
                    + globals.roundHeight() + ") only; this one is for block "
                    + statement.roundHeight());
        }
        if (!statement.seed().equals(globals.roundSeed())) {
            return Rejection.of("wrong_seed", "round " + globals.roundHeight() + " is seeded by "
                    + globals.roundSeed() + ", not " + statement.seed());
        }
        Chunk chunk = state.chunk(statement.chunkId());
        if (chunk == null) {
            return Rejection.of("unknown_chunk", "no chunk " + statement.chunkId());
        }
        if (senderFarmer == null || !chunk.members().contains(senderFarmer)) {
            return Rejection.of("not_a_member", "only a member of chunk " + chunk.id()
                    + "'s group may submit its proof");
        }
        ChunkProof record = state.proof(chunk.id());
        if (record != null && record.provenRound() == statement.roundHeight()) {
            return Rejection.of("already_proven", "chunk " + chunk.id() + " already has a proof "
                    + "for round " + statement.roundHeight());
        }
        for (long named : statement.agreeing()) {
            if (!chunk.members().contains(named)) {
                return Rejection.of("not_a_member", "the proof names farmer " + named
                        + ", not a member of chunk " + chunk.id() + "'s group "
                        + chunk.members());
            }
        }
        Map<Long, PublicKey> group = new HashMap<>();
        for (long member : chunk.members()) {
            group.put(member, state.farmer(member).key());
        }
        int quorum = 2 * chunk.members().size() / 3 + 1;
        int signers = certificate.validSigners(group);
        if (signers < quorum) {
            return Rejection.of("invalid_proof", signers + " of the " + chunk.members().size()
                    + " members signed this statement validly; " + quorum + " must");
        }
        if (apply) {
            ChunkProof base = record != null ? record : ChunkProof.none(chunk.id(), chunk.epoch());
            state.putProof(base.proved(statement.roundHeight(), chunk.epoch(),
                    statement.agreeing()));
        }
        return null;
    }

    /**
     * The members a chunk's latest proof names if it still counts: from the open round or the
     * one before, for the group as it is now, and the group is full. Empty otherwise: the chain
     * pays nothing for an unproven or under-replicated chunk.
     */
    List<Long> provenMembers(Chunk chunk) {
        ChunkProof record = state.proof(chunk.id());
        long open = state.globals().roundHeight();
        if (record == null || record.provenRound() <= 0 || !chunk.isFull(params)
                || record.provenEpoch() != chunk.epoch()
                || record.provenRound() < open - params.proofIntervalBlocks()) {
            return List.of();
        }
        return chunk.members().stream().filter(record::names).toList();
    }

    private void close(long round) {
        // Per member: chunks passed, chunks missed, and of those the ones its group proved
        // without it (it was left out by a quorum, so caught, not merely in a group that could
        // not prove at all: a whole group busy or cut off says nothing of one member).
        Map<Long, long[]> tally = new TreeMap<>();
        for (Chunk chunk : state.chunks().values()) {
            ChunkProof record = state.proof(chunk.id());
            if (record == null || record.roundStartEpoch() != chunk.epoch()) {
                continue;
            }
            boolean proven = record.provenRound() == round && record.provenEpoch() == chunk.epoch();
            for (long member : chunk.members()) {
                long[] counts = tally.computeIfAbsent(member, m -> new long[3]);
                boolean named = proven && record.names(member);
                counts[named ? 0 : 1]++;
                if (proven && !named) {
                    counts[2]++;
                }
            }
        }
        for (Map.Entry<Long, long[]> entry : tally.entrySet()) {
            Farmer farmer = state.farmer(entry.getKey());
            long passed = entry.getValue()[0];
            long missed = entry.getValue()[1];
            long leftOut = entry.getValue()[2];
            int streak = farmer.standing().missStreak();
            Farmer.Standing standing = farmer.standing().passed(passed).missed(missed)
                    .withStreak(leftOut > 0 ? streak + 1 : missed > 0 ? streak : 0);
            state.putFarmer(farmer.withStanding(standing));
            // Replacing a member nobody can take the place of would only shrink its groups:
            // it stays, unpaid, until a farmer with room joins.
            if (params.missesToReplace() > 0 && standing.missStreak() >= params.missesToReplace()
                    && farmer.status() == Farmer.Status.ACTIVE
                    && assigner.canReplace(farmer.id())) {
                assigner.remove(farmer.id(), Farmer.Status.SUSPENDED);
            }
        }
    }

    /** Notes each group as the new round finds it: only the same group is counted at its end. */
    private void startRound() {
        for (Chunk chunk : state.chunks().values()) {
            ChunkProof record = state.proof(chunk.id());
            if (record == null) {
                state.putProof(ChunkProof.none(chunk.id(), chunk.epoch()));
            } else if (record.roundStartEpoch() != chunk.epoch()) {
                state.putProof(record.startingRound(chunk.epoch()));
            }
        }
    }
}
