package org.cnt.chain.replication;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.micro.CertificateCache;
import org.cnt.chain.micro.ChunkOp;
import org.cnt.chain.micro.MicroMessage;
import org.cnt.chain.wire.Frames;
import org.cnt.chain.wire.OutboundLink;
import org.cnt.chain.wire.WireMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes operations through copy groups and reads verified bytes back. A write goes to the
 * member believed to lead, is sent again to the next member when no proof comes in time, and
 * completes only with a commit proof signed by a quorum; a read is checked against a certified
 * root and asked of the next member when a reply does not verify. Thread-safe.
 *
 * <p>{@link #submit} blocks while {@code maxInFlight} writes are outstanding: the back-pressure
 * that keeps a fast writer from queueing without bound in front of a slow group.
 */
public final class ReplicationClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReplicationClient.class);
    private static final long TIMER_MS = 25;
    private static final int MAX_BACKLOG = 4096;
    private static final long RETRY_MS = 200;
    /** How long reads avoid a member that let one time out (it is tried again after). */
    private static final long SILENT_MEMBER_MS = 10_000;

    /** Limits and timing; {@link #defaults()} suits a client of real farmers. */
    public record Options(int maxInFlight, long attemptTimeoutMs, int maxAttempts,
                          int pageSizeBytes, int maxFrameBytes) {
        public static Options defaults() {
            return new Options(64, 2_000, 12, 4096, Frames.DEFAULT_MAX_FRAME_BYTES);
        }
    }

    /** Told of every read reply that did not verify: the member it came from served bad data. */
    public interface BadReplyListener {
        void badReply(long chunkId, String endpoint);
    }

    private final KeyPair identity;
    private final CopyGroups groups;
    private volatile BadReplyListener badReplies = (chunk, endpoint) -> { };
    private final Options options;
    private final EventLoopGroup io = new MultiThreadIoEventLoopGroup(1,
            NioIoHandler.newFactory());
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("replication-timer").daemon().unstarted(r));
    private final Map<String, OutboundLink> channels = new ConcurrentHashMap<>();
    private final Map<Hash, PendingWrite> writes = new ConcurrentHashMap<>();
    private final Map<Long, PendingRead> reads = new ConcurrentHashMap<>();
    private final Map<Long, Integer> leaderGuess = new ConcurrentHashMap<>();
    private final Map<String, Long> silentUntilMs = new ConcurrentHashMap<>();
    private final Map<Long, GroupProgress> progress = new ConcurrentHashMap<>();
    /** The writes of one block share its proof's certificate: checked once, not per write. */
    private final CertificateCache certificates = new CertificateCache(1024);
    private long nextSendSeq;
    private final Semaphore inFlight;
    private final AtomicLong nextRequestId = new AtomicLong(1);

    /**
     * What the client last saw a group commit. A leader working through a long queue is not a dead
     * one: while the group commits writes sent before a waiting one, that write waits on.
     */
    private static final class GroupProgress {
        long lastCommitMs;
        long newestCommittedSend;
    }

    private final class PendingWrite {
        final ChunkOp op;
        /** The group the write goes to; replaced when the chain hands the chunk to a new one. */
        CopyGroup group;
        /** The group before the chunk moved: a proof it gives is as good (it sealed after). */
        CopyGroup previous;
        /** Set when members said the chunk moved on: the timer thread looks the new group up. */
        boolean regroup;
        final CompletableFuture<Commit> future = new CompletableFuture<>();
        final Set<Integer> refusedBy = new HashSet<>();
        int member;
        int attempts;
        long deadlineMs;
        long sendSeq;
        long resendAfterMs;
        String lastRefusal;

        PendingWrite(ChunkOp op, CopyGroup group, int member) {
            this.op = op;
            this.group = group;
            this.member = member;
        }
    }

    /** How often, and how long apart, a read waits for a group behind the height it asks. */
    private static final int MAX_BEHIND_RETRIES = 60;
    private static final long BEHIND_PAUSE_MS = 250;

    private final class PendingRead {
        final long requestId;
        final long chunkId;
        final long offsetBytes;
        final int lengthBytes;
        final boolean withMeta;
        /** The commit the read must see: a height of this epoch, or any of a later one. */
        final long afterEpoch;
        final long afterHeight;
        CopyGroup group;
        WireMessage.ReadRequest request;
        final CompletableFuture<byte[]> future = new CompletableFuture<>();
        final StringBuilder failures = new StringBuilder();
        int member;
        int attempts;
        long deadlineMs;
        /** Paused because members were behind the height asked for: ask again at the deadline. */
        boolean retryLater;
        int behindRetries;
        /** A member said the epoch is over: look the group up again at the deadline. */
        boolean regroup;
        /** Members that refused the read for what the main chain says of its lease. */
        final java.util.Set<Integer> refusedBy = new java.util.HashSet<>();

        PendingRead(long requestId, long chunkId, long offsetBytes, int lengthBytes,
                    boolean withMeta, long afterEpoch, long afterHeight) {
            this.requestId = requestId;
            this.chunkId = chunkId;
            this.offsetBytes = offsetBytes;
            this.lengthBytes = lengthBytes;
            this.withMeta = withMeta;
            this.afterEpoch = afterEpoch;
            this.afterHeight = afterHeight;
        }

        /**
         * Asks {@code next} from here on. A later epoch than the commit's starts from a state
         * holding it, so any of its heights will do.
         */
        void askGroup(CopyGroup next) {
            group = next;
            long minHeight = next.epoch() > afterEpoch ? 0 : afterHeight;
            request = new WireMessage.ReadRequest(requestId, chunkId, next.epoch(), offsetBytes,
                    lengthBytes, minHeight, withMeta);
            member = answering(next, Math.floorMod(leaderGuess.getOrDefault(chunkId, 0) + 1,
                    next.size()));
        }
    }

    public ReplicationClient(KeyPair identity, CopyGroups groups, Options options) {
        this.identity = identity;
        this.groups = groups;
        this.options = options;
        this.inFlight = new Semaphore(options.maxInFlight());
        timer.scheduleWithFixedDelay(this::checkDeadlines, TIMER_MS, TIMER_MS,
                TimeUnit.MILLISECONDS);
    }

    /** Who hears of members that served bad data (a client files service reports). */
    public void onBadReply(BadReplyListener listener) {
        this.badReplies = listener;
    }

    /** Orders an owner-signed operation on its chunk's micro-chain; completes with its proof. */
    public CompletableFuture<Commit> submit(ChunkOp op) throws ReplicationException,
            InterruptedException {
        CopyGroup group = groups.group(op.chunkId());
        inFlight.acquire();
        int leader = leaderGuess.getOrDefault(op.chunkId(),
                CopyGroup.leader(op.chunkId(), 0, group.size()));
        PendingWrite write = new PendingWrite(op, group, leader);
        PendingWrite existing = writes.putIfAbsent(op.digest(), write);
        if (existing != null) {
            inFlight.release();
            return existing.future;
        }
        write.future.whenComplete((commit, error) -> {
            writes.remove(op.digest(), write);
            inFlight.release();
        });
        sendWrite(write);
        return write.future;
    }

    /**
     * Committed bytes of a chunk, verified against a root a quorum certified at a height of at
     * least {@code minHeight} of the chunk's epoch {@code epoch} (heights count from each
     * epoch's start; a new epoch starts from its sealed predecessor's state, so any height of a
     * later epoch holds every write of the earlier one). Epoch and height 0: any state.
     */
    public CompletableFuture<byte[]> read(long chunkId, long offsetBytes, int lengthBytes,
                                          long epoch, long minHeight) throws ReplicationException {
        return read(new PendingRead(nextRequestId.getAndIncrement(), chunkId, offsetBytes,
                lengthBytes, false, epoch, minHeight));
    }

    /**
     * The chunk's metadata (its {@code ChunkMeta} encoding: session, slice sequence numbers),
     * verified as {@link #read} verifies bytes. {@code sliceOffsetBytes} is the offset of a slice
     * of the chunk the client owns (only owners may read).
     */
    public CompletableFuture<byte[]> readMeta(long chunkId, long sliceOffsetBytes, long epoch,
                                              long minHeight) throws ReplicationException {
        return read(new PendingRead(nextRequestId.getAndIncrement(), chunkId, sliceOffsetBytes,
                0, true, epoch, minHeight));
    }

    private CompletableFuture<byte[]> read(PendingRead read) throws ReplicationException {
        CopyGroup group = groups.group(read.chunkId);
        if (group.epoch() < read.afterEpoch) {
            groups.invalidate(read.chunkId);
            group = groups.group(read.chunkId);
        }
        read.askGroup(group);
        reads.put(read.requestId, read);
        read.future.whenComplete((bytes, error) -> reads.remove(read.requestId));
        sendRead(read);
        return read.future;
    }

    private static final long REGROUP_PAUSE_MS = 200;

    private synchronized void sendWrite(PendingWrite write) {
        write.attempts++;
        write.deadlineMs = System.currentTimeMillis() + options.attemptTimeoutMs();
        write.sendSeq = ++nextSendSeq;
        channel(write.group.endpoints().get(write.member)).send(new WireMessage.Micro(
                new MicroMessage.Submit(write.op.chunkId(), write.op)));
    }

    /**
     * A write that got no proof in time goes to every member (as PBFT clients do): each one then
     * watches the leader for it, so a dead leader is replaced after one timeout, not after the
     * members notice one by one.
     */
    /** Sends again to the same member after a pause: it was busy, not faulty. */
    private void sendWriteLater(PendingWrite write, long pauseMs) {
        write.resendAfterMs = pauseMs;
        write.deadlineMs = System.currentTimeMillis() + pauseMs;
    }

    private synchronized void broadcastWrite(PendingWrite write) {
        write.attempts++;
        write.deadlineMs = System.currentTimeMillis() + options.attemptTimeoutMs();
        write.sendSeq = ++nextSendSeq;
        WireMessage.Micro submit = new WireMessage.Micro(new MicroMessage.Submit(
                write.op.chunkId(), write.op));
        for (String endpoint : write.group.endpoints()) {
            channel(endpoint).send(submit);
        }
    }

    private synchronized void sendRead(PendingRead read) {
        read.attempts++;
        read.deadlineMs = System.currentTimeMillis() + options.attemptTimeoutMs();
        channel(read.group.endpoints().get(read.member)).send(read.request);
    }

    private OutboundLink channel(String endpoint) {
        return channels.computeIfAbsent(endpoint, e -> new OutboundLink(e, identity, io,
                options.maxFrameBytes(), MAX_BACKLOG, RETRY_MS, false, this::onMessage));
    }

    private void onMessage(String endpoint, WireMessage message) {
        switch (message) {
            case WireMessage.Micro micro when micro.message()
                    instanceof MicroMessage.Committed committed -> onCommitted(committed);
            case WireMessage.Micro micro when micro.message()
                    instanceof MicroMessage.Rejected rejected -> onRejected(endpoint, rejected);
            case WireMessage.ReadReply reply -> onReadReply(endpoint, reply);
            case WireMessage.Failure failure -> onReadFailure(endpoint, failure);
            default -> log.debug("ignoring {} from {}", message.getClass().getSimpleName(),
                    endpoint);
        }
    }

    private void onCommitted(MicroMessage.Committed committed) {
        PendingWrite write = writes.get(committed.opDigest());
        if (write == null || committed.chunkId() != write.op.chunkId()
                || !provedByGroup(committed, write)) {
            return;
        }
        synchronized (this) {
            GroupProgress seen = progress.computeIfAbsent(committed.chunkId(),
                    chunk -> new GroupProgress());
            seen.lastCommitMs = System.currentTimeMillis();
            seen.newestCommittedSend = Math.max(seen.newestCommittedSend, write.sendSeq);
        }
        Commit commit = new Commit(committed.chunkId(), committed.opDigest(),
                committed.chain().getFirst().height(), committed);
        leaderGuess.put(committed.chunkId(), commit.leader());
        write.future.complete(commit);
    }

    private boolean provedByGroup(MicroMessage.Committed committed, PendingWrite write) {
        if (committed.chain().isEmpty()) {
            return false;
        }
        CopyGroup group = committed.chain().getFirst().epoch() == write.group.epoch()
                ? write.group : write.previous;
        return group != null && committed.chain().getFirst().epoch() == group.epoch()
                && committed.proves(group.members(), group.quorum(), certificates);
    }

    /** The epoch an {@code epoch_changed} refusal says was sealed, or -1. */
    private static long sealedEpoch(String reason) {
        java.util.regex.Matcher m = SEALED_EPOCH.matcher(reason);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static final java.util.regex.Pattern SEALED_EPOCH =
            java.util.regex.Pattern.compile("^epoch_changed: epoch (\\d+) ");

    /**
     * One member's refusal is not the group's: a faulty member could refuse anything. The write
     * fails once f + 1 members refused it, so at least one honest member did.
     */
    private synchronized void onRejected(String endpoint, MicroMessage.Rejected rejected) {
        PendingWrite write = writes.get(rejected.opDigest());
        if (write == null) {
            return;
        }
        int member = write.group.endpoints().indexOf(endpoint);
        String reason = rejected.reason();
        if (reason.startsWith("busy")) {
            write.member = Math.max(member, 0);
            sendWriteLater(write, 50L << Math.min(write.attempts, 5));
            return;
        }
        if (reason.startsWith("not_leased") && write.attempts < options.maxAttempts()) {
            // A lease rented a moment ago reaches the farmers with the next chain head.
            write.deadlineMs = System.currentTimeMillis() + 250;
            write.lastRefusal = reason;
            return;
        }
        if (reason.startsWith("epoch_changed") && sealedEpoch(reason) < write.group.epoch()) {
            // The group this write already left answers its resends too; only a proof counts.
            return;
        }
        if (reason.startsWith("epoch_changed") || reason.startsWith("not_member")) {
            // The chain gave the chunk to a new copy group; the old one ordered nothing of
            // this write (a sealed epoch says so only after its seal committed).
            groups.invalidate(write.op.chunkId());
            write.regroup = true;
            write.lastRefusal = reason;
            write.deadlineMs = System.currentTimeMillis() + REGROUP_PAUSE_MS;
            return;
        } else if (member >= 0) {
            write.refusedBy.add(member);
            write.lastRefusal = reason;
        }
        if (write.refusedBy.size() >= write.group.honestWitnesses()) {
            write.future.completeExceptionally(new ReplicationException.Refused(reason));
            return;
        }
        write.member = (write.member + 1) % write.group.size();
        sendWrite(write);
    }

    private synchronized void onReadReply(String endpoint, WireMessage.ReadReply reply) {
        PendingRead read = reads.get(reply.requestId());
        if (read == null) {
            return;
        }
        if (reply.anchor().epoch() != read.request.epoch()) {
            // A late answer of the group this read has left: not a bad one.
            return;
        }
        byte[] bytes = reply.verifiedBytes(read.request, read.group.members(),
                read.group.quorum(), options.pageSizeBytes());
        if (bytes != null) {
            silentUntilMs.remove(endpoint);
            read.future.complete(read.request.withMeta() ? reply.meta() : bytes);
            return;
        }
        log.warn("farmer {} served chunk {} bytes that do not verify; asking another member",
                endpoint, read.request.chunkId());
        badReplies.badReply(read.request.chunkId(), endpoint);
        nextReadMember(read, endpoint + ": reply did not verify");
    }

    private synchronized void onReadFailure(String endpoint, WireMessage.Failure failure) {
        PendingRead read = reads.get(failure.requestId());
        if (read == null) {
            return;
        }
        if (failure.reason().startsWith("behind") && read.behindRetries < MAX_BEHIND_RETRIES) {
            // The group has not certified the height asked for yet (a commit is in flight, as
            // after a client crash): it will shortly. Not a fault: ask again, the next member.
            read.behindRetries++;
            read.retryLater = true;
            read.member = answering(read.group, (read.member + 1) % read.group.size());
            read.deadlineMs = System.currentTimeMillis() + BEHIND_PAUSE_MS;
            return;
        }
        if (failure.reason().startsWith("lease_expired")) {
            // What the chain says of the lease, not a fault of the member: once f + 1 members
            // say it, an honest one does, and asking the rest will not change it.
            read.refusedBy.add(read.group.endpoints().indexOf(endpoint));
            if (read.refusedBy.size() >= read.group.honestWitnesses()) {
                read.future.completeExceptionally(new ReplicationException.Refused(
                        failure.reason()));
                return;
            }
        }
        if (failure.reason().startsWith("epoch_changed")) {
            // The chain moved the chunk to a new group; whether it did is the chain's to say,
            // not one member's: the group is looked up again before the read moves.
            read.failures.append(read.failures.isEmpty() ? "" : "; ").append(endpoint)
                    .append(": ").append(failure.reason());
            groups.invalidate(read.chunkId);
            read.regroup = true;
            read.deadlineMs = System.currentTimeMillis() + REGROUP_PAUSE_MS;
            return;
        }
        nextReadMember(read, endpoint + ": " + failure.reason());
    }

    /** Moves a read to the chunk's current group (a blocking chain lookup, on the timer thread). */
    private void regroup(PendingRead read) {
        read.regroup = false;
        CopyGroup next;
        try {
            next = groups.group(read.chunkId);
        } catch (ReplicationException e) {
            nextReadMember(read, e.getMessage());
            return;
        }
        if (next.epoch() == read.group.epoch()) {
            nextReadMember(read, "the chain still gives epoch " + next.epoch());
            return;
        }
        log.info("chunk {}: copy group moved from epoch {} to {}; reading there",
                read.chunkId, read.group.epoch(), next.epoch());
        read.askGroup(next);
        read.attempts = 0;
        read.refusedBy.clear();
        read.behindRetries = 0;
        sendRead(read);
    }

    private void nextReadMember(PendingRead read, String why) {
        read.failures.append(read.failures.isEmpty() ? "" : "; ").append(why);
        if (read.attempts >= Math.max(options.maxAttempts(), read.group.size())) {
            read.future.completeExceptionally(new ReplicationException("no member of chunk "
                    + read.chunkId + "'s group served a verified read: "
                    + read.failures));
            return;
        }
        read.member = answering(read.group, (read.member + 1) % read.group.size());
        sendRead(read);
    }

    /**
     * The first member from {@code from} on (in group order) that has not lately failed to
     * answer a read in time: a dead farmer costs one timeout, not one per read. If all have, the
     * one at {@code from}.
     */
    private int answering(CopyGroup group, int from) {
        long now = System.currentTimeMillis();
        for (int i = 0; i < group.size(); i++) {
            int member = (from + i) % group.size();
            Long until = silentUntilMs.get(group.endpoints().get(member));
            if (until == null || until <= now) {
                return member;
            }
        }
        return from;
    }

    /**
     * Moves a write to the chunk's current copy group (a blocking chain lookup: on the timer
     * thread, never on a network thread), and sends it there from its first attempt.
     */
    private void regroup(PendingWrite write, long now) {
        write.regroup = false;
        CopyGroup next;
        try {
            next = groups.group(write.op.chunkId());
        } catch (ReplicationException e) {
            write.lastRefusal = e.getMessage();
            write.deadlineMs = now + REGROUP_PAUSE_MS;
            write.regroup = true;
            return;
        }
        if (next.epoch() != write.group.epoch()) {
            log.info("chunk {}: copy group moved from epoch {} to {}; resending there",
                    write.op.chunkId(), write.group.epoch(), next.epoch());
            leaderGuess.remove(write.op.chunkId());
            write.previous = write.group;
            write.group = next;
            write.refusedBy.clear();
            write.attempts = 0;
        }
        write.member = CopyGroup.leader(write.op.chunkId(), 0, write.group.size());
        sendWrite(write);
    }

    private synchronized void checkDeadlines() {
        long now = System.currentTimeMillis();
        for (PendingWrite write : writes.values()) {
            if (write.future.isDone() || now < write.deadlineMs) {
                continue;
            }
            if (write.regroup) {
                regroup(write, now);
                continue;
            }
            if (write.attempts >= options.maxAttempts()) {
                write.future.completeExceptionally(new ReplicationException("chunk "
                        + write.op.chunkId() + ": no commit after " + write.attempts
                        + " attempts" + (write.lastRefusal == null ? ""
                        : " (last refusal: " + write.lastRefusal + ")")));
                continue;
            }
            if (write.resendAfterMs > 0) {
                write.resendAfterMs = 0;
                sendWrite(write);
                continue;
            }
            GroupProgress seen = progress.get(write.op.chunkId());
            if (seen != null && seen.newestCommittedSend < write.sendSeq
                    && now - seen.lastCommitMs < options.attemptTimeoutMs()) {
                // The group is busy with what was sent before: wait on, the leader is alive.
                write.deadlineMs = seen.lastCommitMs + options.attemptTimeoutMs();
                continue;
            }
            broadcastWrite(write);
        }
        for (PendingRead read : reads.values()) {
            if (!read.future.isDone() && read.regroup && now >= read.deadlineMs) {
                regroup(read);
                continue;
            }
            if (!read.future.isDone() && read.retryLater && now >= read.deadlineMs) {
                read.retryLater = false;
                read.deadlineMs = now + options.attemptTimeoutMs();
                channel(read.group.endpoints().get(read.member)).send(read.request);
                continue;
            }
            if (!read.future.isDone() && now >= read.deadlineMs) {
                silentUntilMs.put(read.group.endpoints().get(read.member),
                        now + SILENT_MEMBER_MS);
                nextReadMember(read, "member " + read.member + " did not answer in time");
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        channels.values().forEach(OutboundLink::close);
        ReplicationException closed = new ReplicationException("the replication client closed");
        writes.values().forEach(w -> w.future.completeExceptionally(closed));
        reads.values().forEach(r -> r.future.completeExceptionally(closed));
        io.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
