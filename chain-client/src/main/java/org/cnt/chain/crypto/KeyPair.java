package org.cnt.chain.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.KDF;
import javax.crypto.spec.HKDFParameterSpec;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** An Ed25519 signing key with its public half. The seed never leaves this object but to a key file. */
public final class KeyPair {
    public static final int SEED_SIZE_BYTES = 32;

    private final Ed25519PrivateKeyParameters privateKey;
    private final PublicKey publicKey;

    private KeyPair(Ed25519PrivateKeyParameters privateKey) {
        this.privateKey = privateKey;
        this.publicKey = PublicKey.wrap(privateKey.generatePublicKey().getEncoded());
    }

    public static KeyPair generate(SecureRandom random) {
        return new KeyPair(new Ed25519PrivateKeyParameters(random));
    }

    public static KeyPair generate() {
        return generate(new SecureRandom());
    }

    public static KeyPair fromSeed(byte[] seed) {
        if (seed.length != SEED_SIZE_BYTES) {
            throw new IllegalArgumentException("Ed25519 seed must be 32 bytes, got " + seed.length);
        }
        return new KeyPair(new Ed25519PrivateKeyParameters(seed, 0));
    }

    /** Deterministic keys for tests and simulations: the same label gives the same key. */
    public static KeyPair fromLabel(String label) {
        return fromSeed(Hash.sha256(("cnt-test-key:" + label).getBytes()).toBytes());
    }

    public byte[] sign(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public Address address() {
        return publicKey.address();
    }

    /**
     * A secret for one purpose, derived from this key with HKDF-SHA256 (the seed as input key
     * material, {@code purpose} as salt, {@code context} as info): the same key gives the same
     * secret on any machine, and a secret reveals nothing of the seed or of other secrets.
     */
    public byte[] deriveSecret(String purpose, byte[] context, int lengthBytes) {
        if (lengthBytes < 16 || lengthBytes > 64) {
            throw new IllegalArgumentException("derive 16 to 64 bytes, not " + lengthBytes);
        }
        try {
            return KDF.getInstance("HKDF-SHA256").deriveData(HKDFParameterSpec.ofExtract()
                    .addIKM(seed()).addSalt(("cnt/" + purpose).getBytes(StandardCharsets.UTF_8))
                    .thenExpand(context, lengthBytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HKDF-SHA256 is not available in this JDK", e);
        }
    }

    byte[] seed() {
        return privateKey.getEncoded();
    }
}
