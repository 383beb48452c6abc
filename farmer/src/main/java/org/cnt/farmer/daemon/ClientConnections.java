package org.cnt.farmer.daemon;

import io.netty.channel.Channel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.cnt.chain.wire.WireMessage;

/**
 * The open inbound connections by the id replicas know them by. Ids start above any group size,
 * so a replica tells a client from a member by the number alone.
 */
final class ClientConnections {
    static final int FIRST_CLIENT_ID = 1_000;
    private final Map<Integer, Channel> channels = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(FIRST_CLIENT_ID);

    int register(Channel channel) {
        int id = nextId.getAndIncrement();
        if (id < FIRST_CLIENT_ID) {
            nextId.set(FIRST_CLIENT_ID);
            id = nextId.getAndIncrement();
        }
        channels.put(id, channel);
        return id;
    }

    void unregister(int id) {
        channels.remove(id);
    }

    int size() {
        return channels.size();
    }

    /** Replies to a connection that has closed are dropped: the client asks again elsewhere. */
    void send(int id, WireMessage message) {
        Channel channel = channels.get(id);
        if (channel != null && channel.isActive()) {
            channel.writeAndFlush(message, channel.voidPromise());
        }
    }
}
