package org.cnt.blockdev.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.cnt.blockdev.LeaseExpiredException;
import org.cnt.blockdev.VolumeInUseException;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.micro.ChunkMeta;
import org.cnt.chain.micro.ChunkOp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's exclusive write session on every chunk of a volume (DESIGN.md, "Writes, sessions
 * and ordering"): opened with a lease on main-chain time and renewed well before it runs out, so a
 * client that vanished holds the volume a minute at most. It also knows, per slice, the next
 * sequence number to write (learned from certified metadata when the session opens, because a
 * client that crashed cannot know which of its last batches committed) and, per chunk, the newest
 * commit, below which no read may be served.
 */
final class VolumeSession {
    private static final Logger log = LoggerFactory.getLogger(VolumeSession.class);

    private final VolumeMap map;
    private final Replicas replicas;
    private final KeyPair owner;
    private final Hash sessionId;
    private final String holder;
    private final long leaseSec;
    private final int slicesPerChunk;
    private final long[] nextSeq;
    private final Map<Long, CommitPoint> points = new ConcurrentHashMap<>();
    private volatile long leasedUntilSec;

    private VolumeSession(VolumeMap map, Replicas replicas, KeyPair owner, Hash sessionId,
                          String holder, long leaseSec, int slicesPerChunk) {
        this.map = map;
        this.replicas = replicas;
        this.owner = owner;
        this.sessionId = sessionId;
        this.holder = holder;
        this.leaseSec = leaseSec;
        this.slicesPerChunk = slicesPerChunk;
        this.nextSeq = new long[map.sliceCount()];
    }

    /**
     * Opens (or, after a crash of this same client, resumes) session {@code sessionId}. Another
     * live session is never taken over; one whose lease ran out only with {@code force}.
     */
    static VolumeSession open(VolumeMap map, Replicas replicas, KeyPair owner, Hash sessionId,
                              String holder, long leaseSec, int slicesPerChunk, boolean force)
            throws IOException, InterruptedException {
        VolumeSession session = new VolumeSession(map, replicas, owner, sessionId, holder,
                leaseSec, slicesPerChunk);
        long now = replicas.chainTimeSec();
        for (long chunk : map.chunks()) {
            session.checkHolder(session.meta(chunk, CommitPoint.NONE), now, force);
        }
        session.renew();
        for (long chunk : map.chunks()) {
            session.resync(chunk);
        }
        return session;
    }

    private void checkHolder(ChunkMeta meta, long nowSec, boolean force)
            throws VolumeInUseException {
        ChunkMeta.Session held = meta.session();
        if (held == null || held.id().equals(sessionId)) {
            return;
        }
        String who = held.holder().isEmpty() ? "another client" : held.holder();
        if (held.leasedAt(nowSec)) {
            throw new VolumeInUseException("volume " + map.volumeId() + " is in use by " + who
                    + (held.untilSec() == 0 ? " (a session without a lease; it must close it)"
                    : " (its session lease runs until " + Instant.ofEpochSecond(held.untilSec())
                    + "); unmount it there first" + (force ? ": --force takes over only a "
                    + "session whose lease ran out" : "")));
        }
        if (!force) {
            throw new VolumeInUseException("volume " + map.volumeId() + " was not closed by "
                    + who + ", whose session lease ran out at "
                    + Instant.ofEpochSecond(held.untilSec()) + "; writes it had not flushed are "
                    + "in its own cache. Use --force to take the volume over");
        }
        log.warn("volume {}: taking over the lapsed session of {}", map.volumeId(), who);
    }

    /** Opens the session again on every chunk with a fresh lease. */
    void renew() throws IOException, InterruptedException {
        long until = replicas.chainTimeSec() + leaseSec;
        List<CompletableFuture<CommitPoint>> opened = new ArrayList<>();
        for (long chunk : map.chunks()) {
            opened.add(replicas.submit(ChunkOp.OpenSession.sign(owner, map.volumeId(), chunk,
                    sessionId, until, holder, slicesIn(chunk))));
        }
        List<Long> chunks = map.chunks();
        for (int i = 0; i < chunks.size(); i++) {
            committed(chunks.get(i), await(opened.get(i), map.volumeId(),
                    "open the session on chunk " + chunks.get(i)));
        }
        leasedUntilSec = until;
    }

    /**
     * The chunk's slices this volume leases: opening the session claims them, so one that still
     * holds an earlier lease's data is erased before this client reads it.
     */
    private List<Integer> slicesIn(long chunk) {
        List<Integer> slices = new ArrayList<>();
        for (int slice = 0; slice < map.sliceCount(); slice++) {
            if (map.chunkOf(slice) == chunk) {
                slices.add(map.slice(slice).index());
            }
        }
        return slices;
    }

    /** Learns the chunk's slice sequence numbers from state certified after our last commit. */
    void resync(long chunk) throws IOException, InterruptedException {
        ChunkMeta meta = meta(chunk, point(chunk));
        if (meta.session() == null || !meta.session().id().equals(sessionId)) {
            throw new VolumeInUseException("volume " + map.volumeId() + ": chunk " + chunk
                    + " no longer has this client's session (another client took it over)");
        }
        synchronized (nextSeq) {
            for (int slice = 0; slice < map.sliceCount(); slice++) {
                if (map.chunkOf(slice) == chunk) {
                    nextSeq[slice] = meta.sliceSeqs()[map.slice(slice).index()] + 1;
                }
            }
        }
    }

    private ChunkMeta meta(long chunk, CommitPoint after) throws IOException,
            InterruptedException {
        byte[] bytes = await(replicas.readMeta(chunk,
                map.chunkOffset(map.firstSliceIn(chunk), 0), after), map.volumeId(),
                "read chunk " + chunk + "'s state");
        try {
            return ChunkMeta.decode(bytes, slicesPerChunk);
        } catch (CodecException e) {
            throw new IOException("chunk " + chunk + "'s certified state does not decode: "
                    + e.getMessage(), e);
        }
    }

    /** Sequence numbers {@code [first, first + count)} of a slice, reserved for one batch. */
    long reserve(int volumeSlice, int count) {
        synchronized (nextSeq) {
            long first = nextSeq[volumeSlice];
            nextSeq[volumeSlice] += count;
            return first;
        }
    }

    void committed(long chunk, CommitPoint point) {
        points.merge(chunk, point, CommitPoint::max);
    }

    CommitPoint point(long chunk) {
        return points.getOrDefault(chunk, CommitPoint.NONE);
    }

    Hash id() {
        return sessionId;
    }

    KeyPair owner() {
        return owner;
    }

    long leasedUntilSec() {
        return leasedUntilSec;
    }

    long leaseSec() {
        return leaseSec;
    }

    /** Ends the session on every chunk, so another client may open the volume at once. */
    void close() throws IOException, InterruptedException {
        List<CompletableFuture<CommitPoint>> closed = new ArrayList<>();
        for (long chunk : map.chunks()) {
            closed.add(replicas.submit(ChunkOp.CloseSession.sign(owner, map.volumeId(), chunk,
                    sessionId)));
        }
        for (CompletableFuture<CommitPoint> future : closed) {
            await(future, map.volumeId(), "close the session");
        }
    }

    static <T> T await(CompletableFuture<T> future, long volumeId, String what)
            throws IOException, InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String reason = cause.getMessage();
            if (reason != null && reason.contains("session_held")) {
                throw new VolumeInUseException("could not " + what + ": " + reason);
            }
            LeaseExpiredException expired = LeaseExpiredException.of(volumeId, what, cause);
            if (expired != null) {
                throw expired;
            }
            throw new IOException("could not " + what + ": " + reason, cause);
        }
    }
}
