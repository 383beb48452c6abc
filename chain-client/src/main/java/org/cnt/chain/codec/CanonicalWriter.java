package org.cnt.chain.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the one canonical encoding every signed object has: big-endian fixed-width integers,
 * length-prefixed byte strings, no optional padding, so equal objects always give equal bytes
 * and therefore equal hashes and signatures.
 */
public final class CanonicalWriter {
    private final ByteArrayOutputStream out;

    public CanonicalWriter() {
        this(128);
    }

    public CanonicalWriter(int initialCapacityBytes) {
        this.out = new ByteArrayOutputStream(initialCapacityBytes);
    }

    public CanonicalWriter u8(int value) {
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException("u8 out of range: " + value);
        }
        out.write(value);
        return this;
    }

    public CanonicalWriter bool(boolean value) {
        return u8(value ? 1 : 0);
    }

    public CanonicalWriter u32(int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
        return this;
    }

    public CanonicalWriter u64(long value) {
        u32((int) (value >>> 32));
        return u32((int) value);
    }

    /** Writes bytes whose length the reader knows in advance (hashes, keys, signatures). */
    public CanonicalWriter fixed(byte[] value) {
        out.writeBytes(value);
        return this;
    }

    /** Writes a u32 length prefix, then the bytes. */
    public CanonicalWriter bytes(byte[] value) {
        u32(value.length);
        out.writeBytes(value);
        return this;
    }

    public CanonicalWriter string(String value) {
        return bytes(value.getBytes(StandardCharsets.UTF_8));
    }

    public CanonicalWriter write(Encodable value) {
        value.encode(this);
        return this;
    }

    public int sizeBytes() {
        return out.size();
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
