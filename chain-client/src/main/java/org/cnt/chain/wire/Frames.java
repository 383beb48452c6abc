package org.cnt.chain.wire;

/**
 * The frame every CNT connection speaks, between clients and farmers and among farmers:
 * <pre>
 *   magic   2 bytes  0xC7 0x4E
 *   version u8       1
 *   flags   u8       bit 0: the body is lz4-compressed; other bits must be zero
 *   length  u32      body bytes that follow (big-endian), at most the receiver's maximum
 *   body             when compressed: u32 original length, then the lz4 block
 * </pre>
 * A receiver checks the header before it buffers the body, so an oversized or foreign frame
 * closes the connection without costing memory.
 */
public final class Frames {
    public static final int MAGIC = 0xC74E;
    public static final int VERSION = 1;
    public static final int HEADER_BYTES = 8;
    public static final int FLAG_LZ4 = 1;
    /** The largest message of the protocol (a full block response) with room for its framing. */
    public static final int DEFAULT_MAX_FRAME_BYTES = (64 << 20) + 1024;
    /** Bodies from this size on are offered to lz4; encrypted pages rarely shrink, text does. */
    public static final int DEFAULT_COMPRESS_FROM_BYTES = 64 << 10;
    /** What an acceptor takes before the dialer's signed hello: a hello fits with room. */
    public static final int MAX_HELLO_FRAME_BYTES = 1024;

    private Frames() {
    }
}
