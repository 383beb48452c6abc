package org.cnt.farmer.daemon;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cnt.chain.micro.MicroMessage;

/**
 * The replicas a farmer runs, by chunk: the one of the chunk's current epoch and, during a
 * handover, the one of the epoch being sealed. Members' messages name their epoch and go to that
 * replica; clients' operations go to the current one.
 */
final class ChunkHosts {
    private final Map<Long, ChunkHost> current = new ConcurrentHashMap<>();
    private final Map<Long, ChunkHost> retiring = new ConcurrentHashMap<>();

    ChunkHost current(long chunkId) {
        return current.get(chunkId);
    }

    ChunkHost retiring(long chunkId) {
        return retiring.get(chunkId);
    }

    Map<Long, ChunkHost> currentHosts() {
        return current;
    }

    Map<Long, ChunkHost> retiringHosts() {
        return retiring;
    }

    /** The replica a member's message is for, or a client's (the current one), or null. */
    ChunkHost route(MicroMessage message) {
        long epoch = MicroMessage.epochOf(message);
        ChunkHost old = retiring.get(message.chunkId());
        if (epoch >= 0 && old != null && old.config().epoch() == epoch) {
            return old;
        }
        ChunkHost host = current.get(message.chunkId());
        return host != null ? host : old;
    }

    /**
     * The replica of the epoch a read counts its heights in, if this farmer runs it; otherwise
     * the one that holds the chunk's state (the current one once it has it), whose epoch tells
     * the reader whether to move on or to wait.
     */
    ChunkHost forRead(long chunkId, long epoch) {
        ChunkHost host = current.get(chunkId);
        ChunkHost old = retiring.get(chunkId);
        if (old != null && old.config().epoch() == epoch) {
            return old;
        }
        if (host != null && host.config().epoch() == epoch) {
            return host;
        }
        return host == null || host.joining() && old != null ? old : host;
    }
}
