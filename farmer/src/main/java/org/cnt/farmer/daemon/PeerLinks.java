package org.cnt.farmer.daemon;

import io.netty.channel.EventLoopGroup;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.micro.MicroMessage;
import org.cnt.chain.wire.OutboundLink;
import org.cnt.chain.wire.WireMessage;

/**
 * One link per peer farmer, shared by every chunk both serve, used to send only (a peer answers
 * over its own link to us). Links drop what a slow or absent peer cannot take; the protocol
 * resends what matters. A replica broadcasts the same message to each member in turn, so the
 * last encoding is kept per thread and reused.
 */
final class PeerLinks implements AutoCloseable {
    private static final int MAX_BACKLOG = 1024;
    private static final long RETRY_MS = 500;
    private final Map<String, OutboundLink> links = new ConcurrentHashMap<>();
    private final AtomicReference<ChainView> view;
    private final KeyPair key;
    private final EventLoopGroup group;
    private final int maxFrameBytes;
    private final ThreadLocal<Encoded> lastEncoded = new ThreadLocal<>();

    private record Encoded(MicroMessage message, byte[] body) {
    }

    PeerLinks(AtomicReference<ChainView> view, KeyPair key, EventLoopGroup group,
              int maxFrameBytes) {
        this.view = view;
        this.key = key;
        this.group = group;
        this.maxFrameBytes = maxFrameBytes;
    }

    void send(org.cnt.chain.crypto.PublicKey member, MicroMessage message) {
        String endpoint = view.get().endpoint(member);
        if (endpoint == null) {
            return;
        }
        Encoded last = lastEncoded.get();
        if (last == null || last.message() != message) {
            last = new Encoded(message, new WireMessage.Micro(message).toBytes());
            lastEncoded.set(last);
        }
        links.computeIfAbsent(endpoint, e -> new OutboundLink(e, key, group, maxFrameBytes,
                MAX_BACKLOG, RETRY_MS, true, (from, reply) -> { })).send(last.body());
    }

    long dropped() {
        return links.values().stream().mapToLong(OutboundLink::dropped).sum();
    }

    @Override
    public void close() {
        links.values().forEach(OutboundLink::close);
        links.clear();
    }
}
