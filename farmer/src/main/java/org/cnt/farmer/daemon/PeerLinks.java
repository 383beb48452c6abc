package org.cnt.farmer.daemon;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.crypto.PublicKey;
import org.cnt.chain.micro.MicroMessage;
import org.cnt.chain.wire.FrameBody;
import org.cnt.chain.wire.FrameEncoder;
import org.cnt.chain.wire.Frames;
import org.cnt.chain.wire.OutboundLink;
import org.cnt.chain.wire.WireMessage;

/**
 * One link per peer farmer, shared by every chunk both serve, used to send only (a peer answers
 * over its own link to us). Links drop what a slow or absent peer cannot take; the protocol
 * resends what matters. A message for several members (a leader's proposal: megabytes) is
 * encoded and framed once, into one buffer every link writes from.
 */
final class PeerLinks implements AutoCloseable {
    private static final int MAX_BACKLOG = 1024;
    private static final long RETRY_MS = 500;
    private final Map<String, OutboundLink> links = new ConcurrentHashMap<>();
    private final AtomicReference<ChainView> view;
    private final KeyPair key;
    private final EventLoopGroup group;
    private final int maxFrameBytes;
    PeerLinks(AtomicReference<ChainView> view, KeyPair key, EventLoopGroup group,
              int maxFrameBytes) {
        this.view = view;
        this.key = key;
        this.group = group;
        this.maxFrameBytes = maxFrameBytes;
    }

    void send(List<PublicKey> members, MicroMessage message) {
        ChainView chain = view.get();
        ByteBuf frame = null;
        try {
            for (PublicKey member : members) {
                String endpoint = chain.endpoint(member);
                if (endpoint == null) {
                    continue;
                }
                if (frame == null) {
                    frame = FrameEncoder.frame(ByteBufAllocator.DEFAULT,
                            FrameBody.of(new WireMessage.Micro(message)), maxFrameBytes,
                            Frames.DEFAULT_COMPRESS_FROM_BYTES);
                }
                links.computeIfAbsent(endpoint, e -> new OutboundLink(e, key, group,
                        maxFrameBytes, MAX_BACKLOG, RETRY_MS, true, (from, reply) -> { }))
                        .send(frame.retainedDuplicate());
            }
        } finally {
            if (frame != null) {
                frame.release();
            }
        }
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
