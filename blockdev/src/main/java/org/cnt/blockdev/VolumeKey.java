package org.cnt.blockdev;

import java.nio.ByteBuffer;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.cnt.chain.crypto.KeyPair;

/**
 * The AES-256 key of one volume: derived with HKDF from the owner's key and the volume id, so
 * the owner's key file alone mounts the volume on any machine, and one volume's key tells
 * nothing about another's.
 */
public final class VolumeKey {
    static final String PURPOSE = "volume-page-key-v1";
    private final long volumeId;
    private final SecretKey key;

    private VolumeKey(long volumeId, SecretKey key) {
        this.volumeId = volumeId;
        this.key = key;
    }

    public static VolumeKey derive(KeyPair owner, long volumeId) {
        byte[] context = ByteBuffer.allocate(Long.BYTES).putLong(volumeId).array();
        return new VolumeKey(volumeId, new SecretKeySpec(owner.deriveSecret(PURPOSE, context, 32),
                "AES"));
    }

    public long volumeId() {
        return volumeId;
    }

    /** For the page cipher only: the key never leaves the client. */
    public SecretKey secretKey() {
        return key;
    }

    @Override
    public String toString() {
        return "VolumeKey[volume " + volumeId + "]";
    }
}
