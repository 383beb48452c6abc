package org.cnt.chain.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes the one canonical encoding every signed object has: big-endian fixed-width integers,
 * length-prefixed byte strings, no optional padding, so equal objects always give equal bytes
 * and therefore equal hashes and signatures.
 *
 * <p>Blocks and batches run to megabytes, so the buffer is handed out without a copy when the
 * caller sized it exactly; writing after {@link #toByteArray} never changes what it returned.
 */
public final class CanonicalWriter {
    private byte[] buffer;
    private int size;
    private boolean handedOut;

    public CanonicalWriter() {
        this(128);
    }

    public CanonicalWriter(int initialCapacityBytes) {
        this.buffer = new byte[Math.max(initialCapacityBytes, 16)];
    }

    private void ensure(int more) {
        int needed = size + more;
        if (needed < 0) {
            throw new IllegalStateException("encoding larger than 2 GiB");
        }
        if (needed > buffer.length || handedOut) {
            buffer = Arrays.copyOf(buffer, needed > buffer.length
                    ? Math.max(needed, (int) Math.min(Integer.MAX_VALUE - 8L, 2L * buffer.length))
                    : buffer.length);
            handedOut = false;
        }
    }

    public CanonicalWriter u8(int value) {
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException("u8 out of range: " + value);
        }
        ensure(1);
        buffer[size++] = (byte) value;
        return this;
    }

    public CanonicalWriter bool(boolean value) {
        return u8(value ? 1 : 0);
    }

    public CanonicalWriter u32(int value) {
        ensure(4);
        putU32(size, value);
        size += 4;
        return this;
    }

    public CanonicalWriter u64(long value) {
        u32((int) (value >>> 32));
        return u32((int) value);
    }

    /** Writes bytes whose length the reader knows in advance (hashes, keys, signatures). */
    public CanonicalWriter fixed(byte[] value) {
        return fixed(value, 0, value.length);
    }

    public CanonicalWriter fixed(byte[] value, int offset, int length) {
        ensure(length);
        System.arraycopy(value, offset, buffer, size, length);
        size += length;
        return this;
    }

    /** Writes a u32 length prefix, then the bytes. */
    public CanonicalWriter bytes(byte[] value) {
        u32(value.length);
        return fixed(value);
    }

    public CanonicalWriter string(String value) {
        return bytes(value.getBytes(StandardCharsets.UTF_8));
    }

    public CanonicalWriter write(Encodable value) {
        value.encode(this);
        return this;
    }

    /**
     * Starts a u32 length prefix whose value is known only after the content: returns where to
     * {@link #endLength} it.
     */
    public int beginLength() {
        u32(0);
        return size;
    }

    /** Fills the prefix begun at {@code start} with the length written since. */
    public CanonicalWriter endLength(int start) {
        ensure(0);
        putU32(start - 4, size - start);
        return this;
    }

    public int sizeBytes() {
        return size;
    }

    /** The backing array, whose first {@link #sizeBytes} bytes are the encoding so far: for
     * hashing a prefix without a copy. Callers must not modify it. */
    public byte[] buffer() {
        return buffer;
    }

    public byte[] toByteArray() {
        if (size == buffer.length) {
            handedOut = true;
            return buffer;
        }
        return Arrays.copyOf(buffer, size);
    }

    private void putU32(int at, int value) {
        buffer[at] = (byte) (value >>> 24);
        buffer[at + 1] = (byte) (value >>> 16);
        buffer[at + 2] = (byte) (value >>> 8);
        buffer[at + 3] = (byte) value;
    }
}
