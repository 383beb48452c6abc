package org.cnt.chain.crypto;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** An Ed25519 public key (32 bytes): verifies signatures and names an {@link Address}. */
public final class PublicKey {
    public static final int SIZE_BYTES = 32;
    public static final PublicKey ZERO = new PublicKey(new byte[SIZE_BYTES]);

    private final byte[] bytes;
    /**
     * The key as a curve point, decoded on first use: decoding costs a fair part of a
     * verification, and a member's key verifies thousands of votes (racing threads may both
     * decode it).
     */
    private volatile Ed25519PublicKeyParameters point;

    private PublicKey(byte[] bytes) {
        this.bytes = bytes;
    }

    public static PublicKey wrap(byte[] bytes) {
        if (bytes.length != SIZE_BYTES) {
            throw new IllegalArgumentException("public key must be 32 bytes, got " + bytes.length);
        }
        return new PublicKey(bytes.clone());
    }

    @JsonCreator
    public static PublicKey parse(String hex) {
        try {
            return wrap(HexFormat.of().parseHex(hex.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a 32-byte hex public key: " + hex);
        }
    }

    /**
     * True only for a valid signature by this key. A key that is not a curve point, or a
     * signature of the wrong size, verifies as false: network input never throws here.
     */
    public boolean verify(byte[] message, byte[] signature) {
        if (signature.length != Signature.SIZE_BYTES) {
            return false;
        }
        try {
            Ed25519PublicKeyParameters decoded = point;
            if (decoded == null) {
                decoded = new Ed25519PublicKeyParameters(bytes, 0);
                point = decoded;
            }
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, decoded);
            verifier.update(message, 0, message.length);
            return verifier.verifySignature(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public Address address() {
        return Address.of(this);
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    @JsonValue
    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PublicKey key && Arrays.equals(bytes, key.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
