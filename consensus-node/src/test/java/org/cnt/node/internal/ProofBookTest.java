package org.cnt.node.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.proof.ProofCertificate;
import org.cnt.chain.proof.ProofStatement;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.Chunk;
import org.cnt.chain.types.Farmer;
import org.cnt.chain.types.TxPayload;
import org.cnt.node.Rejection;
import org.junit.jupiter.api.Test;

/** Space proofs on the ledger: what the chain takes, what it counts, whom it replaces. */
class ProofBookTest {
    private static final int INTERVAL = 20;

    /** Advances block by block until a round is open; returns its height. */
    static long nextRound(TestChain chain) {
        do {
            chain.advance(1);
        } while ((chain.height - 1) % INTERVAL != 0);
        return chain.height - 1;
    }

    static KeyPair keyOf(TestChain chain, List<KeyPair> farmers, long id) {
        return farmers.stream().filter(k -> chain.ledger.state.farmerIdOf(k.publicKey()) == id)
                .findFirst().orElseThrow();
    }

    static ProofCertificate certificate(TestChain chain, List<KeyPair> farmers, long chunk,
                                        long round, Hash seed, List<Long> named,
                                        List<Long> signers) {
        ProofStatement statement = new ProofStatement(chunk, round, seed,
                named.stream().sorted().mapToLong(Long::longValue).toArray());
        Map<Long, byte[]> signatures = new TreeMap<>();
        for (long signer : signers) {
            signatures.put(signer, keyOf(chain, farmers, signer).sign(statement.signingBytes()));
        }
        return new ProofCertificate(statement, signatures);
    }

    /** Every group proves every member except {@code without} (its data is gone). */
    static void proveAll(TestChain chain, List<KeyPair> farmers, long round, long without) {
        for (Chunk chunk : List.copyOf(chain.ledger.state.chunks().values())) {
            List<Long> honest = chunk.members().stream().filter(m -> m != without).toList();
            ProofCertificate proof = certificate(chain, farmers, chunk.id(), round,
                    TestChain.hashOf(round), honest, honest);
            Rejection refused = chain.submit(keyOf(chain, farmers, honest.getFirst()),
                    new TxPayload.SpaceProof(proof));
            assertThat(refused).as("proof of chunk " + chunk.id()).isNull();
        }
    }

    private static Farmer farmer(TestChain chain, long id) {
        return chain.ledger.state.farmer(id);
    }

    @Test
    void anHonestGroupPassesEveryRoundAndAMemberLeftOutMisses() {
        TestChain chain = new TestChain(4, 1);
        List<KeyPair> farmers = chain.farmers(4, 1);
        List<Long> members = chain.ledger.state.chunk(0).members();
        long round = nextRound(chain);
        proveAll(chain, farmers, round, -1);
        round = nextRound(chain);
        for (long member : members) {
            assertThat(farmer(chain, member).standing().proofsPassed()).isEqualTo(1);
            assertThat(farmer(chain, member).standing().proofsMissed()).isZero();
        }
        long lost = members.get(2);
        proveAll(chain, farmers, round, lost);
        nextRound(chain);
        assertThat(farmer(chain, lost).standing().proofsMissed()).isEqualTo(1);
        assertThat(farmer(chain, lost).standing().missStreak()).isEqualTo(1);
        assertThat(farmer(chain, members.get(0)).standing().proofsPassed()).isEqualTo(2);
        assertThat(farmer(chain, members.get(0)).standing().missStreak()).isZero();
    }

    @Test
    void aRoundWithoutAProofIsMissedByTheWholeGroup() {
        TestChain chain = new TestChain(4, 1);
        chain.farmers(4, 1);
        nextRound(chain);
        nextRound(chain);
        for (long member : chain.ledger.state.chunk(0).members()) {
            assertThat(farmer(chain, member).standing().proofsMissed()).isEqualTo(1);
        }
    }

    @Test
    void theChainTakesOnlyAQuorumsProofForTheOpenRoundFromAMember() {
        TestChain chain = new TestChain(4, 2);
        List<KeyPair> farmers = chain.farmers(4, 1);
        List<Long> members = chain.ledger.state.chunk(0).members();
        KeyPair submitter = keyOf(chain, farmers, members.getFirst());
        assertCode(chain.submit(submitter, new TxPayload.SpaceProof(certificate(chain, farmers, 0,
                0, Hash.ZERO, members, members))), "stale_round");
        long round = nextRound(chain);
        Hash seed = TestChain.hashOf(round);
        assertCode(chain.submit(submitter, new TxPayload.SpaceProof(certificate(chain, farmers, 0,
                round, TestChain.hashOf(round + 1), members, members))), "wrong_seed");
        assertCode(chain.submit(submitter, new TxPayload.SpaceProof(certificate(chain, farmers, 0,
                round - INTERVAL, seed, members, members))), "stale_round");
        assertCode(chain.submit(submitter, new TxPayload.SpaceProof(certificate(chain, farmers, 7,
                round, seed, members, members))), "unknown_chunk");
        assertCode(chain.submit(chain.user(0), new TxPayload.SpaceProof(certificate(chain,
                farmers, 0, round, seed, members, members))), "not_a_member");
        // The member without its data and one accomplice: f + 1 = 2 signatures, not a quorum.
        List<Long> colluders = members.subList(0, 2);
        assertCode(chain.submit(submitter, new TxPayload.SpaceProof(certificate(chain, farmers, 0,
                round, seed, members, colluders))), "invalid_proof");
        ProofCertificate honest = certificate(chain, farmers, 0, round, seed, members, members);
        Map<Long, byte[]> forged = new TreeMap<>(honest.signatures());
        forged.put(members.get(3), forged.get(members.get(2)));
        forged.put(members.get(2), forged.get(members.get(1)));
        assertCode(chain.submit(submitter, new TxPayload.SpaceProof(new ProofCertificate(
                honest.statement(), forged))), "invalid_proof");
        List<Long> withStranger = new ArrayList<>(members);
        withStranger.add(99L);
        assertCode(chain.submit(submitter, new TxPayload.SpaceProof(certificate(chain, farmers, 0,
                round, seed, withStranger, members))), "not_a_member");
        assertThat(chain.submit(submitter, new TxPayload.SpaceProof(honest))).isNull();
        assertCode(chain.submit(submitter, new TxPayload.SpaceProof(honest)), "already_proven");
    }

    @Test
    void aMemberThatKeepsMissingIsReplacedByAFarmerWithRoomAndCanComeBack() {
        TestChain chain = new TestChain(TestChain.tinyParams(4).withRepair(2, 0), 1);
        List<KeyPair> farmers = chain.farmers(5, 3);
        long lost = chain.ledger.state.chunk(0).members().get(1);
        List<Long> lostChunks = List.copyOf(chain.ledger.state.chunksOf(lost));
        long round = nextRound(chain);
        proveAll(chain, farmers, round, lost);
        round = nextRound(chain);
        assertThat(farmer(chain, lost).status()).isEqualTo(Farmer.Status.ACTIVE);
        proveAll(chain, farmers, round, lost);
        nextRound(chain);
        assertThat(farmer(chain, lost).status()).isEqualTo(Farmer.Status.SUSPENDED);
        assertThat(farmer(chain, lost).assignedReplicas()).isZero();
        assertThat(chain.ledger.state.chunksOf(lost)).isEmpty();
        for (long chunkId : lostChunks) {
            Chunk chunk = chain.ledger.state.chunk(chunkId);
            assertThat(chunk.isFull(chain.genesis.params())).as("chunk " + chunkId + " repaired")
                    .isTrue();
            assertThat(new HashSet<>(chunk.members())).hasSize(chunk.members().size());
        }
        for (Farmer f : chain.ledger.state.farmers().values()) {
            assertThat(f.assignedReplicas()).isLessThanOrEqualTo(f.replicaSlots(
                    chain.genesis.params()));
            assertThat(chain.ledger.state.chunksOf(f.id())).hasSize(f.assignedReplicas());
        }
        assertThat(chain.submit(keyOf(chain, farmers, lost), new TxPayload.UpdateFarmer(
                "127.0.0.1:9100", 3 * chain.genesis.params().chunkSizeBytes()))).isNull();
        assertThat(farmer(chain, lost).status()).isEqualTo(Farmer.Status.ACTIVE);
        assertThat(farmer(chain, lost).standing().missStreak()).isZero();
    }

    /**
     * Four farmers, no room anywhere: a member its groups prove without is counted and unpaid
     * but kept (taking it out would only shrink them), rounds nobody proves do not count
     * against anyone, and once a farmer with room registers the missing member is replaced.
     */
    @Test
    void aMissingMemberIsReplacedOnlyWhenAFarmerWithRoomCanTakeItsPlace() {
        TestChain chain = new TestChain(TestChain.tinyParams(4).withRepair(2, 0), 1);
        List<KeyPair> farmers = new ArrayList<>(chain.farmers(4, 2));
        long lost = chain.ledger.state.chunk(0).members().get(1);
        for (int i = 0; i < 3; i++) {
            long round = nextRound(chain);
            proveAll(chain, farmers, round, lost);
        }
        nextRound(chain);
        assertThat(farmer(chain, lost).status()).as("no farmer could take its place")
                .isEqualTo(Farmer.Status.ACTIVE);
        int streak = farmer(chain, lost).standing().missStreak();
        assertThat(streak).isGreaterThanOrEqualTo(3);
        for (long other : chain.ledger.state.chunk(0).members()) {
            if (other != lost) {
                assertThat(farmer(chain, other).standing().missStreak()).isZero();
            }
        }

        long round = nextRound(chain);
        nextRound(chain);
        assertThat(farmer(chain, lost).standing().missStreak())
                .as("a round no group proved says nothing of one member").isEqualTo(streak);
        for (long other : chain.ledger.state.chunk(0).members()) {
            assertThat(farmer(chain, other).status()).isEqualTo(Farmer.Status.ACTIVE);
        }

        farmers.addAll(chain.farmers(1, 2));
        round = nextRound(chain);
        proveAll(chain, farmers, round, lost);
        nextRound(chain);
        assertThat(farmer(chain, lost).status()).isEqualTo(Farmer.Status.SUSPENDED);
        for (Chunk chunk : chain.ledger.state.chunks().values()) {
            assertThat(chunk.members()).doesNotContain(lost).hasSize(4).doesNotHaveDuplicates();
        }
    }

    @Test
    void badDataReportsFromEnoughDistinctClientsBlacklistAFarmer() {
        // 4 MiB chunks: two 1 MB volumes share the first chunk.
        TestChain chain = new TestChain(new ChainParams(4 * ChainParams.MB, 256 * 1024, 4, 1000,
                200_000, 100, INTERVAL, 365, 1, 1000).withEmission(0, 0).withRepair(0, 2), 3);
        List<KeyPair> farmers = chain.farmers(5, 2);
        for (int user = 0; user < 3; user++) {
            assertThat(chain.submit(chain.user(user), new TxPayload.RentVolume("v", 1, 10,
                    Long.MAX_VALUE))).isNull();
        }
        long chunk = chain.ledger.state.volumesOf(chain.user(0).address()).getFirst().slices()
                .getFirst().chunkId();
        long bad = chain.ledger.state.chunk(chunk).members().getFirst();
        KeyPair second = null;
        for (int user = 1; user < 3 && second == null; user++) {
            long theirs = chain.ledger.state.volumesOf(chain.user(user).address()).getFirst()
                    .slices().getFirst().chunkId();
            if (theirs == chunk) {
                second = chain.user(user);
            }
        }
        assertThat(second).as("two clients share the first chunk").isNotNull();
        TxPayload report = new TxPayload.ServiceReport(bad, chunk, "bad_data");
        assertThat(chain.submit(chain.user(0), report)).isNull();
        assertThat(chain.submit(chain.user(0), report)).as("a repeat counts once").isNull();
        assertThat(farmer(chain, bad).status()).isEqualTo(Farmer.Status.ACTIVE);
        assertThat(farmer(chain, bad).standing().badDataReporters()).isEqualTo(1);
        assertThat(chain.submit(second, report)).isNull();
        assertThat(farmer(chain, bad).status()).isEqualTo(Farmer.Status.BLACKLISTED);
        assertThat(chain.ledger.state.chunksOf(bad)).isEmpty();
        assertCode(chain.submit(keyOf(chain, farmers, bad), new TxPayload.UpdateFarmer(
                "127.0.0.1:9100", chain.genesis.params().chunkSizeBytes())), "unknown_farmer");
    }

    @Test
    void miningPaysProvenReplicasOnlyAndTheSubsidyFeedsThePool() {
        TestChain chain = new TestChain(TestChain.tinyParams(4).withEmission(1000, 10), 1);
        List<KeyPair> farmers = chain.farmers(4, 1);
        List<Long> members = chain.ledger.state.chunk(0).members();
        long lost = members.get(0);
        long round = nextRound(chain);
        proveAll(chain, farmers, round, lost);
        long poolBefore = chain.ledger.state.globals().poolUcnt();
        long mintedBefore = chain.ledger.state.globals().mintedUcnt();
        long earnedBefore = farmer(chain, members.get(1)).standing().earnedUcnt();
        chain.nowMs += 9_000;
        chain.advance(1);
        assertThat(farmer(chain, members.get(1)).standing().earnedUcnt() - earnedBefore)
                .as("10 s of 1000 ucnt/s over three proven replicas").isEqualTo(3333);
        assertThat(chain.ledger.state.account(keyOf(chain, farmers, members.get(1)).address())
                .balanceUcnt()).isEqualTo(farmer(chain, members.get(1)).standing().earnedUcnt());
        assertThat(farmer(chain, lost).standing().earnedUcnt()).isZero();
        assertThat(chain.ledger.state.globals().poolUcnt() - poolBefore).isEqualTo(100);
        assertThat(chain.ledger.state.globals().mintedUcnt() - mintedBefore)
                .isEqualTo(3 * 3333 + 100);
    }

    @Test
    void anUnderReplicatedChunkEarnsNothingUntilItIsRepaired() {
        TestChain chain = new TestChain(TestChain.tinyParams(4).withEmission(1000, 0), 1);
        List<KeyPair> farmers = chain.farmers(4, 1);
        long leaving = chain.ledger.state.chunk(0).members().get(3);
        assertThat(chain.submit(keyOf(chain, farmers, leaving), new TxPayload.ExitFarmer()))
                .isNull();
        assertThat(chain.ledger.state.chunk(0).isFull(chain.genesis.params())).isFalse();
        long round = nextRound(chain);
        proveAll(chain, farmers, round, -1);
        chain.nowMs += 9_000;
        chain.advance(1);
        for (Farmer f : chain.ledger.state.farmers().values()) {
            assertThat(f.standing().earnedUcnt()).as("farmer " + f.id()).isZero();
        }
        List<KeyPair> spare = chain.farmers(1, 1);
        assertThat(chain.ledger.state.chunk(0).isFull(chain.genesis.params())).isTrue();
        assertThat(chain.ledger.state.chunk(0).members())
                .contains(chain.ledger.state.farmerIdOf(spare.getFirst().publicKey()));
    }

    static void assertCode(Rejection rejection, String code) {
        assertThat(rejection).as("expected a refusal with " + code).isNotNull();
        assertThat(rejection.code()).isEqualTo(code);
    }
}
