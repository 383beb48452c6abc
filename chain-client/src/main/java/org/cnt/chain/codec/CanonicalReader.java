package org.cnt.chain.codec;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the canonical encoding and refuses anything that is not exactly one: every read checks
 * the remaining length, every variable-length field has a caller-given maximum, and
 * {@link #finish()} refuses trailing bytes, so a signature never covers bytes a decoder ignored.
 */
public final class CanonicalReader {
    private final byte[] data;
    private final int end;
    private int position;

    private CanonicalReader(byte[] data, int start, int end) {
        this.data = data;
        this.position = start;
        this.end = end;
    }

    public static CanonicalReader of(byte[] data) {
        return new CanonicalReader(data, 0, data.length);
    }

    /**
     * A length-prefixed field read in place: a reader over just its bytes, which shares this
     * reader's array (nested messages of megabytes are not copied to be decoded).
     */
    public CanonicalReader sub(int maxLength, String field) throws CodecException {
        int length = u32(field + " length");
        if (length < 0 || length > maxLength) {
            throw new CodecException(field + " too long: " + Integer.toUnsignedString(length)
                    + " bytes (max " + maxLength + ")");
        }
        need(length, field);
        CanonicalReader inner = new CanonicalReader(data, position, position + length);
        position += length;
        return inner;
    }

    public int position() {
        return position;
    }

    public int remaining() {
        return end - position;
    }

    private void need(int count, String field) throws CodecException {
        if (count > remaining()) {
            throw new CodecException("truncated " + field + ": need " + count + " bytes at offset "
                    + position + ", have " + remaining());
        }
    }

    public int u8(String field) throws CodecException {
        need(1, field);
        return data[position++] & 0xFF;
    }

    public boolean bool(String field) throws CodecException {
        int value = u8(field);
        if (value > 1) {
            throw new CodecException(field + ": boolean must be 0 or 1, got " + value);
        }
        return value == 1;
    }

    public int u32(String field) throws CodecException {
        need(4, field);
        int value = ((data[position] & 0xFF) << 24) | ((data[position + 1] & 0xFF) << 16)
                | ((data[position + 2] & 0xFF) << 8) | (data[position + 3] & 0xFF);
        position += 4;
        return value;
    }

    public long u64(String field) throws CodecException {
        long high = u32(field) & 0xFFFF_FFFFL;
        long low = u32(field) & 0xFFFF_FFFFL;
        return (high << 32) | low;
    }

    /** A u64 that must lie in [0, max]; amounts and sizes are never negative. */
    public long u64Max(String field, long max) throws CodecException {
        long value = u64(field);
        if (value < 0 || value > max) {
            throw new CodecException(field + " out of range: " + Long.toUnsignedString(value)
                    + " (max " + max + ")");
        }
        return value;
    }

    public byte[] fixed(int length, String field) throws CodecException {
        need(length, field);
        byte[] value = new byte[length];
        System.arraycopy(data, position, value, 0, length);
        position += length;
        return value;
    }

    /**
     * Steps over {@code length} bytes and returns where they start in {@link #array()}: a field
     * read in place by a caller that keeps the array (and never writes it).
     */
    public int skip(int length, String field) throws CodecException {
        need(length, field);
        int at = position;
        position += length;
        return at;
    }

    /** The array this reader reads: shared, for fields read in place ({@link #skip}). */
    public byte[] array() {
        return data;
    }

    public byte[] bytes(int maxLength, String field) throws CodecException {
        int length = u32(field + " length");
        if (length < 0 || length > maxLength) {
            throw new CodecException(field + " too long: " + Integer.toUnsignedString(length)
                    + " bytes (max " + maxLength + ")");
        }
        return fixed(length, field);
    }

    public String string(int maxBytes, String field) throws CodecException {
        byte[] raw = bytes(maxBytes, field);
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new CodecException(field + " is not valid UTF-8");
        }
    }

    public void expectTag(int tag, String object) throws CodecException {
        int got = u8(object + " tag");
        if (got != tag) {
            throw new CodecException("not a " + object + ": tag " + got + ", expected " + tag);
        }
    }

    public void expectVersion(int version, String object) throws CodecException {
        int got = u8(object + " version");
        if (got != version) {
            throw new CodecException("unsupported " + object + " version " + got
                    + " (this build reads version " + version + ")");
        }
    }

    /** Refuses trailing bytes: the encoding of an object is exactly its bytes. */
    public void finish(String object) throws CodecException {
        if (remaining() != 0) {
            throw new CodecException(object + " has " + remaining() + " trailing bytes");
        }
    }
}
