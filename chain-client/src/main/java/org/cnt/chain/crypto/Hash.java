package org.cnt.chain.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.HexFormat;

/** A SHA-256 digest: the identity of blocks, transactions and state. Immutable, compared by value. */
public final class Hash implements Comparable<Hash> {
    public static final int SIZE_BYTES = 32;
    public static final Hash ZERO = new Hash(new byte[SIZE_BYTES]);

    private final byte[] bytes;

    private Hash(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Hash wrap(byte[] bytes) {
        if (bytes.length != SIZE_BYTES) {
            throw new IllegalArgumentException("hash must be 32 bytes, got " + bytes.length);
        }
        return new Hash(bytes.clone());
    }

    @JsonCreator
    public static Hash parse(String hex) {
        byte[] raw;
        try {
            raw = HexFormat.of().parseHex(hex.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a hex hash: " + hex);
        }
        return wrap(raw);
    }

    /** Looking a digest up per hash costs more than hashing a page: each thread keeps one. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Hash::newDigest);

    public static Hash sha256(byte[]... parts) {
        MessageDigest digest = SHA256.get();
        for (byte[] part : parts) {
            digest.update(part);
        }
        return new Hash(digest.digest());
    }

    public static Hash sha256(byte[] data, int offset, int length) {
        MessageDigest digest = SHA256.get();
        digest.update(data, offset, length);
        return new Hash(digest.digest());
    }

    /**
     * This thread's digest, for a hash fed in several steps and finished with
     * {@link #ofDigest} before the next use on the same thread.
     */
    public static MessageDigest threadDigest() {
        return SHA256.get();
    }

    /** A fresh digest, for callers that hash in several steps. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    public static Hash ofDigest(MessageDigest digest) {
        return new Hash(digest.digest());
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    /** For hashing without a copy; callers must not modify the array. */
    byte[] rawBytes() {
        return bytes;
    }

    public void updateDigest(MessageDigest digest) {
        digest.update(bytes);
    }

    @JsonValue
    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Hash hash && Arrays.equals(bytes, hash.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(Hash other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
