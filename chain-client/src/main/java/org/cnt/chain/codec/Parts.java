package org.cnt.chain.codec;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * An encoding held as parts written in order (a message carrying megabytes of Wop batches keeps
 * each batch's own bytes): their length, and the rare gathering into one array.
 */
public final class Parts {
    private Parts() {
    }

    /** The remaining bytes of all the parts. */
    public static long remainingBytes(List<ByteBuffer> parts) {
        long total = 0;
        for (ByteBuffer part : parts) {
            total += part.remaining();
        }
        return total;
    }

    /** The parts' remaining bytes in one new array; the parts are not moved. */
    public static byte[] gather(List<ByteBuffer> parts) {
        long total = remainingBytes(parts);
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("an encoding of " + total + " bytes");
        }
        ByteBuffer whole = ByteBuffer.allocate((int) total);
        parts.forEach(part -> whole.put(part.duplicate()));
        return whole.array();
    }
}
