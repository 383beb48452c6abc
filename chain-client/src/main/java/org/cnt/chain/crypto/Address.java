package org.cnt.chain.crypto;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An account: the first 20 bytes of SHA-256 of a public key. Printed as {@code cnt1} followed by
 * the 20 bytes and a 4-byte checksum in hex, so a mistyped address is refused instead of
 * sending funds nowhere.
 */
public final class Address implements Comparable<Address> {
    public static final int SIZE_BYTES = 20;
    public static final String PREFIX = "cnt1";
    private static final int CHECKSUM_BYTES = 4;
    private static final int TEXT_LENGTH = PREFIX.length() + 2 * (SIZE_BYTES + CHECKSUM_BYTES);

    private final byte[] bytes;

    private Address(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Address of(PublicKey key) {
        return new Address(Arrays.copyOf(Hash.sha256(key.toBytes()).toBytes(), SIZE_BYTES));
    }

    public static Address wrap(byte[] bytes) {
        if (bytes.length != SIZE_BYTES) {
            throw new IllegalArgumentException("address must be 20 bytes, got " + bytes.length);
        }
        return new Address(bytes.clone());
    }

    /** Parses the printed form; the message of the exception says what is wrong with it. */
    @JsonCreator
    public static Address parse(String text) {
        String trimmed = text.trim().toLowerCase();
        if (!trimmed.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a CNT address (must start with " + PREFIX
                    + "): " + text);
        }
        if (trimmed.length() != TEXT_LENGTH) {
            throw new IllegalArgumentException("a CNT address has " + TEXT_LENGTH
                    + " characters, this one has " + trimmed.length() + ": " + text);
        }
        byte[] raw;
        try {
            raw = HexFormat.of().parseHex(trimmed.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("address has non-hex characters: " + text);
        }
        byte[] body = Arrays.copyOf(raw, SIZE_BYTES);
        byte[] checksum = Arrays.copyOfRange(raw, SIZE_BYTES, raw.length);
        if (!Arrays.equals(checksum, checksum(body))) {
            throw new IllegalArgumentException("address checksum does not match (mistyped?): "
                    + text);
        }
        return new Address(body);
    }

    private static byte[] checksum(byte[] body) {
        byte[] digest = Hash.sha256(PREFIX.getBytes(), body).toBytes();
        return Arrays.copyOf(digest, CHECKSUM_BYTES);
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    @JsonValue
    @Override
    public String toString() {
        return PREFIX + HexFormat.of().formatHex(bytes) + HexFormat.of().formatHex(checksum(bytes));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Address address && Arrays.equals(bytes, address.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(Address other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }
}
