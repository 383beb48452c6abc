package org.cnt.chain.wire;

import java.nio.ByteBuffer;
import java.util.List;
import org.cnt.chain.codec.Parts;

/**
 * A frame's body as parts written in order, so a message carrying megabytes of Wop batches
 * reaches the socket buffer with one copy instead of first being gathered into one array.
 * The parts are read-only views: never modified, and read through duplicates.
 */
public record FrameBody(List<ByteBuffer> parts, int length) {
    public FrameBody {
        parts = List.copyOf(parts);
    }

    public static FrameBody of(byte[] body) {
        return new FrameBody(List.of(ByteBuffer.wrap(body)), body.length);
    }

    public static FrameBody of(WireMessage message) {
        List<ByteBuffer> parts = message.encodingParts();
        long length = Parts.remainingBytes(parts);
        if (length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("message of " + length + " bytes");
        }
        return new FrameBody(parts, (int) length);
    }

    /** Copies {@code count} bytes from body offset {@code from} into {@code into}. */
    void copy(int from, byte[] into, int count) {
        int skipped = 0;
        int done = 0;
        for (ByteBuffer part : parts) {
            int size = part.remaining();
            if (done < count && from + done < skipped + size) {
                int at = from + done - skipped;
                int take = Math.min(size - at, count - done);
                part.duplicate().position(part.position() + at).get(into, done, take);
                done += take;
            }
            skipped += size;
        }
    }

    /** The body in one array: the array itself when the body is one whole array. */
    byte[] toArray() {
        if (parts.size() == 1 && parts.getFirst().hasArray()
                && parts.getFirst().arrayOffset() == 0 && parts.getFirst().position() == 0
                && parts.getFirst().array().length == length) {
            return parts.getFirst().array();
        }
        return Parts.gather(parts);
    }
}
