package org.cnt.node.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.nio.charset.StandardCharsets;
import org.cnt.chain.api.Json;
import org.cnt.chain.types.Block;

/**
 * The server-sent-event stream of new heads (GET /heads). Subscribers are capped, and one that
 * cannot keep up (its socket buffer full) is disconnected rather than buffered without bound.
 */
final class HeadStream {
    static final int MAX_SUBSCRIBERS = 256;
    private final ChannelGroup subscribers = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

    boolean subscribe(Channel channel) {
        if (subscribers.size() >= MAX_SUBSCRIBERS) {
            return false;
        }
        subscribers.add(channel);
        return true;
    }

    int size() {
        return subscribers.size();
    }

    void publish(Block block) {
        String event;
        try {
            event = "event: head\ndata: " + Json.mapper().writeValueAsString(
                    ViewMapper.block(new Block(block.header(), java.util.List.of()))) + "\n\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("block view does not serialize", e);
        }
        byte[] bytes = event.getBytes(StandardCharsets.UTF_8);
        for (Channel channel : subscribers) {
            if (!channel.isWritable()) {
                channel.close();
                continue;
            }
            channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(bytes)))
                    .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }
    }

    void closeAll() {
        subscribers.close();
    }
}
