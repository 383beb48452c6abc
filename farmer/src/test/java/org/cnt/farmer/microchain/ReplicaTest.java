package org.cnt.farmer.microchain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.crypto.PublicKey;
import org.cnt.chain.micro.ChunkOp;
import org.cnt.chain.micro.MicroBlock;
import org.cnt.chain.micro.MicroMessage;
import org.cnt.chain.micro.QuorumCert;
import org.cnt.chain.micro.Vote;
import org.cnt.chain.micro.Wop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each message handler of the replica, driven by hand: a group of four on a synchronous queue
 * whose disks complete at once unless a test holds them, on a tiny chunk.
 */
class ReplicaTest {
    static final long CHUNK = 7;
    static final int CLIENT = 9;
    static final ChunkGeometry TINY = new ChunkGeometry(2, 8, 32);
    static final KeyPair OWNER = KeyPair.fromLabel("owner");
    static final Hash SESSION = Hash.sha256("s".getBytes());

    final List<KeyPair> keys = new ArrayList<>();
    final List<PublicKey> members = new ArrayList<>();
    final List<ReplicaConfig> configs = new ArrayList<>();
    final List<Replica> replicas = new ArrayList<>();
    final List<List<WalEntry>> wals = new ArrayList<>();
    final ArrayDeque<Object[]> queue = new ArrayDeque<>();
    final List<MicroMessage> toClient = new ArrayList<>();
    final List<MicroMessage> sent = new ArrayList<>();
    BiPredicate<Integer, Object[]> dropIf = (from, packet) -> false;
    long seq;

    @BeforeEach
    void setUp() {
        build(256);
    }

    TestLeases leases;

    void build(int retainBlocks) {
        keys.clear();
        members.clear();
        configs.clear();
        replicas.clear();
        wals.clear();
        leases = new TestLeases()
                .lease(CHUNK, 0, new SliceLease(1, OWNER.address(), 9_999))
                .lease(CHUNK, 1, new SliceLease(1, OWNER.address(), 9_999));
        for (int i = 0; i < 4; i++) {
            keys.add(KeyPair.fromLabel("member-" + i));
            members.add(keys.get(i).publicKey());
        }
        for (int i = 0; i < 4; i++) {
            ReplicaConfig config = new ReplicaConfig(CHUNK, 1, members, i, keys.get(i), TINY,
                    leases, 5, 0, 8, 64, retainBlocks, false);
            configs.add(config);
            replicas.add(new Replica(config));
            wals.add(new ArrayList<>());
        }
    }

    int leader(long view) {
        return configs.get(0).leader(view);
    }

    void handle(int member, List<ReplicaOutput> outputs) {
        for (ReplicaOutput output : outputs) {
            switch (output) {
                case ReplicaOutput.Send send -> {
                    sent.add(send.message());
                    if (send.to() == CLIENT) {
                        toClient.add(send.message());
                    } else if (!dropIf.test(member, new Object[] {send.to(), send.message()})) {
                        queue.add(new Object[] {member, send.to(), send.message()});
                    }
                }
                case ReplicaOutput.Persist persist -> {
                    wals.get(member).add(persist.entry());
                    handle(member, replicas.get(member).onPersisted(persist.token()));
                }
                case ReplicaOutput.ServeLogged serve -> {
                    servedFromLog++;
                    MicroMessage reply = serve.reply(hash -> loggedBlock(member, hash));
                    if (reply != null && !dropIf.test(member, new Object[] {serve.to(), reply})) {
                        sent.add(reply);
                        queue.add(new Object[] {member, serve.to(), reply});
                    }
                }
                case ReplicaOutput.Commit commit -> { }
            }
        }
    }

    int servedFromLog;

    WalEntry.BlockEntry loggedBlock(int member, Hash hash) {
        return wals.get(member).stream().filter(WalEntry.BlockEntry.class::isInstance)
                .map(WalEntry.BlockEntry.class::cast)
                .filter(entry -> entry.block().hash().equals(hash)).findFirst().orElse(null);
    }

    void deliverAll() {
        int guard = 0;
        while (!queue.isEmpty() && guard++ < 10_000) {
            Object[] packet = queue.poll();
            int to = (int) packet[1];
            handle(to, replicas.get(to).onMessage((int) packet[0], (MicroMessage) packet[2]));
        }
    }

    void tickAll(int times) {
        for (int t = 0; t < times; t++) {
            for (int i = 0; i < 4; i++) {
                handle(i, replicas.get(i).onTick());
            }
            deliverAll();
        }
    }

    void submit(int to, ChunkOp op) {
        handle(to, replicas.get(to).onMessage(CLIENT, new MicroMessage.Submit(CHUNK, op)));
        deliverAll();
    }

    ChunkOp open() {
        return ChunkOp.OpenSession.sign(OWNER, 1, CHUNK, SESSION);
    }

    ChunkOp write(int slice, long sliceSeq, byte value) {
        return ChunkOp.WopBatch.sign(OWNER, 1, CHUNK, SESSION,
                List.of(new Wop(slice, sliceSeq, 0, new byte[] {value, value})));
    }

    @Test
    void aSubmittedWriteIsOrderedCommittedEverywhereAndAcknowledgedWithAProof() {
        int leader = leader(0);
        submit(leader, open());
        submit(leader, write(0, 1, (byte) 5));
        tickAll(3);
        for (Replica replica : replicas) {
            assertThat(replica.state().read(0, 2)).containsExactly(5, 5);
            assertThat(replica.committedHashes()).isEqualTo(replicas.get(leader).committedHashes());
        }
        List<MicroMessage.Committed> acks = toClient.stream()
                .filter(MicroMessage.Committed.class::isInstance)
                .map(MicroMessage.Committed.class::cast).toList();
        assertThat(acks).hasSize(2).allMatch(ack -> ack.proves(members, 3));
    }

    /**
     * Reopening a session changes nothing once the first copy of it is ordered, so a leader that
     * ordered it again in the next block (it stays queued until it commits) gave its resent
     * acknowledgement a height no root statement ever covered: readers waited for it for good.
     */
    @Test
    void anOperationIsOrderedOnceAndItsResentProofIsReadableAtItsHeight() {
        int leader = leader(0);
        ChunkOp open = open();
        submit(leader, open);
        tickAll(6);
        long orderings = sent.stream().filter(MicroMessage.Proposal.class::isInstance)
                .map(m -> ((MicroMessage.Proposal) m).block())
                .filter(block -> block.opDigests().contains(open.digest()))
                .map(MicroBlock::hash).distinct().count();
        assertThat(orderings).as("blocks that order the operation").isEqualTo(1);
        toClient.clear();
        submit(leader, open);
        List<MicroMessage.Committed> resent = toClient.stream()
                .filter(MicroMessage.Committed.class::isInstance)
                .map(MicroMessage.Committed.class::cast).toList();
        assertThat(resent).hasSize(1).allMatch(ack -> ack.proves(members, 3));
        long height = resent.getFirst().chain().getFirst().height();
        for (Replica replica : replicas) {
            assertThat(replica.readAnchor()).isNotNull();
            assertThat(replica.readAnchor().block().committedHeight()).isGreaterThanOrEqualTo(height);
        }
    }

    @Test
    void aFollowerForwardsClientWritesToTheLeader() {
        int follower = (leader(0) + 1) % 4;
        submit(follower, open());
        tickAll(3);
        assertThat(replicas.get(leader(0)).state().meta().hasSession()).isTrue();
    }

    @Test
    void anInvalidWriteIsRejectedWithItsReason() {
        int leader = leader(0);
        submit(leader, open());
        tickAll(2);
        submit(leader, ChunkOp.WopBatch.sign(KeyPair.fromLabel("thief"), 1, CHUNK, SESSION,
                List.of(new Wop(0, 1, 0, new byte[] {1}))));
        assertThat(toClient).filteredOn(MicroMessage.Rejected.class::isInstance)
                .extracting(m -> ((MicroMessage.Rejected) m).reason())
                .anySatisfy(reason -> assertThat(reason).startsWith("not_owner"));
    }

    @Test
    void aMemberVotesOnlyAfterItsVoteIsDurable() {
        int leader = leader(0);
        int member = (leader + 1) % 4;
        MicroBlock block = MicroBlock.propose(keys.get(leader), leader,
                QuorumCert.genesis(CHUNK, 1), 0, 0, replicas.get(member).state().root(),
                List.of(open().digest()));
        List<ReplicaOutput> outputs = replicas.get(member).onMessage(leader,
                new MicroMessage.Proposal(CHUNK, block, List.of(open())));
        assertThat(outputs).noneMatch(ReplicaOutput.Send.class::isInstance);
        assertThat(outputs).filteredOn(ReplicaOutput.Persist.class::isInstance).hasSize(3);
        long token = outputs.stream().filter(ReplicaOutput.Persist.class::isInstance)
                .map(o -> ((ReplicaOutput.Persist) o).token()).max(Long::compare).orElseThrow();
        List<ReplicaOutput> released = replicas.get(member).onPersisted(token);
        assertThat(released).singleElement().satisfies(o -> {
            ReplicaOutput.Send send = (ReplicaOutput.Send) o;
            assertThat(send.to()).isEqualTo(leader);
            assertThat(((MicroMessage.VoteMsg) send.message()).vote().verify(members.get(member)))
                    .isTrue();
        });
    }

    @Test
    void proposalsFromTheWrongLeaderOrWithBadCertificatesGetNoVote() {
        int leader = leader(0);
        int impostor = (leader + 1) % 4;
        int member = (leader + 2) % 4;
        Hash root = replicas.get(member).state().root();
        MicroBlock fromImpostor = MicroBlock.propose(keys.get(impostor), impostor,
                QuorumCert.genesis(CHUNK, 1), 0, 0, root, List.of());
        assertThat(replicas.get(member).onMessage(impostor,
                new MicroMessage.Proposal(CHUNK, fromImpostor, List.of()))).isEmpty();
        MicroBlock wrongRoot = MicroBlock.propose(keys.get(leader), leader,
                QuorumCert.genesis(CHUNK, 1), 0, 0, Hash.ZERO, List.of());
        assertThat(replicas.get(member).onMessage(leader,
                new MicroMessage.Proposal(CHUNK, wrongRoot, List.of()))).isEmpty();
        MicroBlock mismatched = MicroBlock.propose(keys.get(leader), leader,
                QuorumCert.genesis(CHUNK, 1), 0, 0, root, List.of(open().digest()));
        assertThat(replicas.get(member).onMessage(leader,
                new MicroMessage.Proposal(CHUNK, mismatched, List.of()))).isEmpty();
        QuorumCert forgedQc = new QuorumCert(CHUNK, 1, 0, 1, Hash.ZERO, 0b111,
                List.of(new byte[64], new byte[64], new byte[64]));
        MicroBlock badJustify = new MicroBlock(CHUNK, 1, 0, 2, Hash.ZERO, leader, forgedQc, 0,
                root, List.of(), new byte[64]);
        assertThat(replicas.get(member).onMessage(leader,
                new MicroMessage.Proposal(CHUNK, badJustify, List.of()))).isEmpty();
    }

    @Test
    void aMemberNeverVotesTwiceAtOneRank() {
        int leader = leader(0);
        int member = (leader + 1) % 4;
        Hash root = replicas.get(member).state().root();
        MicroBlock first = MicroBlock.propose(keys.get(leader), leader,
                QuorumCert.genesis(CHUNK, 1), 0, 0, root, List.of());
        MicroBlock twin = MicroBlock.propose(keys.get(leader), leader,
                QuorumCert.genesis(CHUNK, 1), 0, 0, root, List.of(open().digest()));
        handle(member, replicas.get(member).onMessage(leader,
                new MicroMessage.Proposal(CHUNK, first, List.of())));
        long votes = sent.stream().filter(MicroMessage.VoteMsg.class::isInstance).count();
        handle(member, replicas.get(member).onMessage(leader,
                new MicroMessage.Proposal(CHUNK, twin, List.of(open()))));
        assertThat(sent.stream().filter(MicroMessage.VoteMsg.class::isInstance).count())
                .isEqualTo(votes);
        Replica restarted = Replica.recover(configs.get(member), wals.get(member));
        assertThat(restarted.onMessage(leader, new MicroMessage.Proposal(CHUNK, twin,
                List.of(open())))).noneMatch(o -> o instanceof ReplicaOutput.Persist p
                        && p.entry() instanceof WalEntry.VoteEntry);
    }

    @Test
    void aSilentLeaderIsReplacedAndTheNewLeaderExtendsTheHighestCertificate() {
        int oldLeader = leader(0);
        submit(oldLeader, open());
        tickAll(2);
        long heightBefore = replicas.get((oldLeader + 1) % 4).committedHeight();
        dropIf = (from, packet) -> from == oldLeader || (int) packet[0] == oldLeader;
        int follower = (oldLeader + 1) % 4;
        submit(follower, write(0, 1, (byte) 9));
        tickAll(40);
        for (int i = 0; i < 4; i++) {
            if (i != oldLeader) {
                assertThat(replicas.get(i).view()).isPositive();
                assertThat(replicas.get(i).state().read(0, 2)).containsExactly(9, 9);
                assertThat(replicas.get(i).committedHeight()).isGreaterThan(heightBefore);
            }
        }
    }

    @Test
    void twoMembersTimingOutPullTheThirdIntoTheirViewBeforeItsOwnTimerFires() {
        int oldLeader = leader(0);
        submit(oldLeader, open());
        tickAll(2);
        dropIf = (from, packet) -> from == oldLeader || (int) packet[0] == oldLeader;
        int newLeader = leader(1);
        List<Integer> others = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            if (i != oldLeader && i != newLeader) {
                others.add(i);
            }
        }
        // Every live member watches the pending write, but only two of them ever tick.
        int early = others.get(0);
        int late = others.get(1);
        submit(early, write(0, 1, (byte) 3));
        for (int t = 0; t < 6 && replicas.get(early).view() == 0; t++) {
            handle(early, replicas.get(early).onTick());
            deliverAll();
        }
        for (int t = 0; t < 6 && replicas.get(newLeader).view() == 0; t++) {
            handle(newLeader, replicas.get(newLeader).onTick());
            deliverAll();
        }
        assertThat(replicas.get(early).view()).isEqualTo(1);
        assertThat(replicas.get(newLeader).view()).isEqualTo(1);
        assertThat(replicas.get(late).view()).as("f + 1 new-view messages pull a member along")
                .isEqualTo(1);
        deliverAll();
        assertThat(replicas.get(late).state().read(0, 2)).containsExactly(3, 3);
    }

    @Test
    void aMemberThatMissedBlocksCatchesUpFromItsPeers() {
        int leader = leader(0);
        int lagging = (leader + 3) % 4;
        dropIf = (from, packet) -> (int) packet[0] == lagging;
        submit(leader, open());
        for (int i = 1; i <= 5; i++) {
            submit(leader, write(i % 2, (i + 1) / 2, (byte) i));
            tickAll(2);
        }
        assertThat(replicas.get(lagging).committedHeight()).isZero();
        dropIf = (from, packet) -> false;
        tickAll(80);
        assertThat(replicas.get(lagging).committedHashes())
                .isEqualTo(replicas.get(leader).committedHashes());
        assertThat(replicas.get(lagging).blocksFetched()).isPositive();
        assertThat(replicas.get(lagging).levelWithLock()).isTrue();
        assertThat(replicas.get(leader).blocksFetched()).isZero();
        assertThat(replicas.get(lagging).state().root())
                .isEqualTo(replicas.get(leader).state().root());
    }

    @Test
    void votesWithBadSignaturesOrFromOutsidersAreIgnored() {
        int leader = leader(0);
        submit(leader, open());
        MicroBlock proposed = sent.stream().filter(MicroMessage.Proposal.class::isInstance)
                .map(m -> ((MicroMessage.Proposal) m).block()).findFirst().orElseThrow();
        int member = (leader + 1) % 4;
        Vote real = Vote.sign(keys.get(member), member, proposed);
        byte[] bad = real.signature().clone();
        bad[3] ^= 1;
        Vote forged = new Vote(real.chunkId(), real.epoch(), real.view(), real.height(),
                real.blockHash(), member, bad);
        Replica fresh = new Replica(configs.get(leader));
        assertThat(fresh.onMessage(member, new MicroMessage.VoteMsg(CHUNK, forged)))
                .noneMatch(o -> o instanceof ReplicaOutput.Send s
                        && s.message() instanceof MicroMessage.Certificate);
        assertThat(fresh.onMessage(CLIENT, new MicroMessage.VoteMsg(CHUNK, real))).isEmpty();
    }

    @Test
    void aLeaderRestartedAfterProposingNeverProposesAnotherBlockAtTheSameRank() {
        int leader = leader(0);
        dropIf = (from, packet) -> from == leader;
        submit(leader, open());
        MicroBlock first = sent.stream().filter(MicroMessage.Proposal.class::isInstance)
                .map(m -> ((MicroMessage.Proposal) m).block()).findFirst().orElseThrow();
        sent.clear();
        Replica restarted = Replica.recover(configs.get(leader), wals.get(leader));
        replicas.set(leader, restarted);
        submit(leader, ChunkOp.OpenSession.sign(OWNER, 1, CHUNK, Hash.sha256("other".getBytes())));
        tickAll(2);
        assertThat(sent).filteredOn(MicroMessage.Proposal.class::isInstance)
                .extracting(m -> ((MicroMessage.Proposal) m).block())
                .allSatisfy(block -> assertThat(block.view() > first.view()
                        || block.height() > first.height() || block.equals(first)).isTrue());
    }

    /** Member {@code lagging} hears nothing while eight writes commit on the others. */
    void commitEightWritesWithout(int lagging) {
        int leader = leader(0);
        dropIf = (from, packet) -> (int) packet[0] == lagging;
        submit(leader, open());
        for (int i = 1; i <= 8; i++) {
            submit(leader, write(i % 2, (i + 1) / 2, (byte) i));
            tickAll(2);
        }
        assertThat(replicas.get(leader).committedHeight()).isGreaterThan(6);
        assertThat(replicas.get(lagging).committedHeight()).isZero();
    }

    @Test
    void aMemberBeyondThePeersBlocksInMemoryCatchesUpFromTheirLogs() {
        int leader = leader(0);
        int lagging = (leader + 3) % 4;
        commitEightWritesWithout(lagging);
        dropIf = (from, packet) -> false;
        tickAll(120);
        assertThat(servedFromLog).isPositive();
        assertThat(wals.get(lagging)).noneMatch(WalEntry.SnapshotEntry.class::isInstance);
        assertThat(replicas.get(lagging).committedHashes())
                .isEqualTo(replicas.get(leader).committedHashes());
        assertThat(replicas.get(lagging).state().read(0, 32))
                .isEqualTo(replicas.get(leader).state().read(0, 32));
    }

    @Test
    void aLogReplyCutShortByACheckpointStillMovesTheMemberOn() {
        int leader = leader(0);
        int lagging = (leader + 3) % 4;
        commitEightWritesWithout(lagging);
        queue.clear();
        sent.clear();
        List<ReplicaOutput> outputs = replicas.get(leader).onMessage(lagging,
                new MicroMessage.BlockRequest(CHUNK, 1, 1, 16));
        ReplicaOutput.ServeLogged serve = outputs.stream()
                .filter(ReplicaOutput.ServeLogged.class::isInstance)
                .map(ReplicaOutput.ServeLogged.class::cast).findFirst().orElseThrow();
        assertThat(serve.to()).isEqualTo(lagging);
        Hash third = serve.blocks().get(2).hash();
        boolean[] gone = {false};
        MicroMessage.BlockResponse reply = serve.reply(hash -> {
            gone[0] |= hash.equals(third);
            return gone[0] ? null : loggedBlock(leader, hash);
        });
        assertThat(reply.blocks()).hasSize(2);
        handle(lagging, replicas.get(lagging).onMessage(leader, reply));
        assertThat(replicas.get(lagging).committedHeight()).isPositive();
        assertThat(serve.reply(hash -> null)).isNull();
        dropIf = (from, packet) -> false;
        tickAll(120);
        assertThat(replicas.get(lagging).committedHashes())
                .isEqualTo(replicas.get(leader).committedHashes());
    }

    @Test
    void aMemberBehindThePeersLogsCatchesUpFromAVerifiedSnapshot() {
        build(2);
        int leader = leader(0);
        int lagging = (leader + 3) % 4;
        commitEightWritesWithout(lagging);
        for (int i = 0; i < 4; i++) {
            replicas.get(i).onLogTrimmed(replicas.get(i).committedHeight() - 1);
        }
        dropIf = (from, packet) -> false;
        tickAll(120);
        assertThat(servedFromLog).isZero();
        assertThat(wals.get(lagging)).anyMatch(WalEntry.SnapshotEntry.class::isInstance);
        assertThat(replicas.get(lagging).committedHeight())
                .isEqualTo(replicas.get(leader).committedHeight());
        assertThat(replicas.get(lagging).state().read(0, 32))
                .isEqualTo(replicas.get(leader).state().read(0, 32));
        Replica restarted = Replica.recover(configs.get(lagging), wals.get(lagging));
        assertThat(restarted.state().root()).isEqualTo(replicas.get(lagging).state().root());
    }

    @Test
    void aSnapshotThatDoesNotMatchItsCertifiedRootIsDiscarded() {
        build(2);
        int leader = leader(0);
        int lagging = (leader + 3) % 4;
        int liar = (leader + 1) % 4;
        commitEightWritesWithout(lagging);
        replicas.get(liar).onLogTrimmed(replicas.get(liar).committedHeight());
        queue.clear();
        sent.clear();
        handle(liar, replicas.get(liar).onMessage(lagging,
                new MicroMessage.BlockRequest(CHUNK, 1, 1, 16)));
        List<MicroMessage.StateResponse> parts = sent.stream()
                .filter(MicroMessage.StateResponse.class::isInstance)
                .map(MicroMessage.StateResponse.class::cast).toList();
        assertThat(parts).isNotEmpty();
        for (MicroMessage.StateResponse part : parts) {
            List<byte[]> tampered = new ArrayList<>(part.pages());
            tampered.set(0, new byte[] {42, 42});
            handle(lagging, replicas.get(lagging).onMessage(liar, new MicroMessage.StateResponse(
                    CHUNK, part.anchor(), part.anchorQc(), part.baseHash(), part.meta(),
                    part.fromPage(), tampered)));
        }
        assertThat(replicas.get(lagging).committedHeight()).isZero();
        assertThat(wals.get(lagging)).noneMatch(WalEntry.SnapshotEntry.class::isInstance);
    }

    // ---- membership change: seal the epoch, the next one starts from its final state

    List<MicroMessage.Rejected> rejections() {
        return toClient.stream().filter(MicroMessage.Rejected.class::isInstance)
                .map(MicroMessage.Rejected.class::cast).toList();
    }

    void sealAll() {
        for (int i = 0; i < replicas.size(); i++) {
            handle(i, replicas.get(i).seal());
        }
        deliverAll();
    }

    /**
     * Epoch 2: member {@code leaving} of epoch 1 is replaced by a new key at the end of the list.
     * The members that stay are handed their own sealed state; the newcomer joins without it.
     */
    void nextEpochWithout(int leaving) {
        List<Replica> sealed = new ArrayList<>(replicas);
        List<KeyPair> nextKeys = new ArrayList<>(keys);
        nextKeys.remove(leaving);
        nextKeys.add(KeyPair.fromLabel("member-new"));
        List<PublicKey> nextMembers = nextKeys.stream().map(KeyPair::publicKey).toList();
        List<Replica> next = new ArrayList<>();
        List<ReplicaConfig> nextConfigs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ReplicaConfig config = new ReplicaConfig(CHUNK, 2, nextMembers, i, nextKeys.get(i),
                    TINY, leases, 5, 0, 8, 64, 256, false);
            nextConfigs.add(config);
            next.add(Replica.joining(config));
        }
        keys.clear();
        keys.addAll(nextKeys);
        members.clear();
        members.addAll(nextMembers);
        configs.clear();
        configs.addAll(nextConfigs);
        replicas.clear();
        replicas.addAll(next);
        for (List<WalEntry> wal : wals) {
            wal.clear();
        }
        int member = 0;
        for (int old = 0; old < 4; old++) {
            if (old != leaving) {
                handle(member, replicas.get(member).installBase(
                        sealed.get(old).baseForNextEpoch()));
                member++;
            }
        }
    }

    @Test
    void aSealedEpochHandsItsStateToTheNextGroupAndANewMemberFetchesIt() {
        int leader = leader(0);
        submit(leader, open());
        submit(leader, write(0, 1, (byte) 5));
        submit(leader, write(1, 1, (byte) 6));
        tickAll(3);
        sealAll();
        tickAll(4);
        for (Replica replica : replicas) {
            assertThat(replica.sealed()).isTrue();
        }
        Hash finalPages = replicas.get(0).state().pagesRoot();
        nextEpochWithout(2);
        assertThat(replicas.get(3).isJoining()).isTrue();
        for (int i = 0; i < 3; i++) {
            assertThat(replicas.get(i).isJoining()).isFalse();
            assertThat(replicas.get(i).state().pagesRoot()).isEqualTo(finalPages);
        }
        toClient.clear();
        int nextLeader = leader(0);
        submit(nextLeader, write(0, 2, (byte) 7));
        tickAll(40);
        assertThat(replicas.get(3).isJoining()).isFalse();
        assertThat(wals.get(3)).anyMatch(WalEntry.SnapshotEntry.class::isInstance);
        for (Replica replica : replicas) {
            assertThat(replica.state().read(0, 2)).containsExactly(7, 7);
            assertThat(replica.state().read(8, 2)).containsExactly(6, 6);
            assertThat(replica.state().root()).isEqualTo(replicas.get(0).state().root());
            assertThat(replica.readAnchor()).isNotNull();
        }
        assertThat(toClient).anyMatch(m -> m instanceof MicroMessage.Committed c
                && c.proves(members, 3));
    }

    @Test
    void writesThatMissTheSealAreRefusedAsEpochChangedAndNeverCommitThere() {
        int leader = leader(0);
        submit(leader, open());
        submit(leader, write(0, 1, (byte) 5));
        tickAll(3);
        sealAll();
        ChunkOp late = write(0, 2, (byte) 9);
        submit(leader, late);
        tickAll(4);
        ChunkOp afterSeal = write(1, 1, (byte) 3);
        submit((leader + 1) % 4, afterSeal);
        for (Replica replica : replicas) {
            assertThat(replica.sealed()).isTrue();
            assertThat(replica.state().read(0, 2)).containsExactly(5, 5);
            assertThat(replica.state().read(8, 2)).containsExactly(0, 0);
        }
        assertThat(rejections()).anyMatch(r -> r.opDigest().equals(late.digest())
                && r.reason().startsWith("epoch_changed"));
        assertThat(rejections()).anyMatch(r -> r.opDigest().equals(afterSeal.digest())
                && r.reason().startsWith("epoch_changed"));
    }

    @Test
    void membersThatWereNotToldTheEpochEndedDoNotVoteForASeal() {
        int leader = leader(0);
        submit(leader, open());
        tickAll(3);
        handle(leader, replicas.get(leader).seal());
        deliverAll();
        tickAll(3);
        for (Replica replica : replicas) {
            assertThat(replica.sealed()).isFalse();
        }
        submit(leader, write(0, 1, (byte) 4));
        tickAll(3);
        for (Replica replica : replicas) {
            assertThat(replica.sealed()).isFalse();
        }
    }
}
