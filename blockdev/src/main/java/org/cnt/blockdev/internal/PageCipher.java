package org.cnt.blockdev.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.cnt.blockdev.PageIntegrityException;
import org.cnt.blockdev.VolumeKey;

/**
 * AES-256-GCM of single pages of one volume. The additional data binds each page to its volume,
 * its page number and its write version, so a farmer can neither forge a page, move it to
 * another place, nor hand back another version of it under the current seal. Nonces are random
 * (96 bits, stored in the seal): a nonce derived from the version would repeat if a client
 * crashed after sending a version it then wrote again with other bytes. Not thread-safe: one
 * per thread that encrypts.
 */
final class PageCipher {
    static final int PAGE_BYTES = 4096;
    private static final byte[] AAD_LABEL = "cnt-page-v1".getBytes(StandardCharsets.US_ASCII);
    private final VolumeKey key;
    private final SecureRandom random;
    private final Cipher cipher;
    private final byte[] sealed = new byte[PAGE_BYTES + PageSeal.TAG_BYTES];

    PageCipher(VolumeKey key, SecureRandom random) {
        this.key = key;
        this.random = random;
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JDK", e);
        }
    }

    /** Encrypts {@code plaintext} (one page) into {@code ciphertext}; returns its seal. */
    PageSeal seal(long pageNumber, long version, byte[] plaintext, byte[] ciphertext) {
        checkPage(plaintext, ciphertext);
        byte[] nonce = new byte[PageSeal.NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key.secretKey(),
                    new GCMParameterSpec(PageSeal.TAG_BYTES * 8, nonce));
            cipher.updateAAD(aad(pageNumber, version));
            int length = cipher.doFinal(plaintext, 0, PAGE_BYTES, sealed, 0);
            assert length == sealed.length;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed to encrypt a page", e);
        }
        System.arraycopy(sealed, 0, ciphertext, 0, PAGE_BYTES);
        return new PageSeal(nonce, Arrays.copyOfRange(sealed, PAGE_BYTES, sealed.length),
                version);
    }

    /**
     * Decrypts a page read back from {@code pageNumber} into {@code plaintext}, or throws if it
     * is not exactly what this volume's owner sealed there at the seal's version.
     */
    void open(long pageNumber, PageSeal seal, byte[] ciphertext, byte[] plaintext)
            throws PageIntegrityException {
        checkPage(plaintext, ciphertext);
        System.arraycopy(ciphertext, 0, sealed, 0, PAGE_BYTES);
        System.arraycopy(seal.tag(), 0, sealed, PAGE_BYTES, PageSeal.TAG_BYTES);
        try {
            cipher.init(Cipher.DECRYPT_MODE, key.secretKey(),
                    new GCMParameterSpec(PageSeal.TAG_BYTES * 8, seal.nonce()));
            cipher.updateAAD(aad(pageNumber, seal.version()));
            cipher.doFinal(sealed, 0, sealed.length, plaintext, 0);
        } catch (AEADBadTagException e) {
            Arrays.fill(plaintext, (byte) 0);
            throw new PageIntegrityException("page " + pageNumber + " of volume "
                    + key.volumeId() + " (version " + seal.version() + ") fails its "
                    + "authentication tag");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed to decrypt a page", e);
        }
    }

    private byte[] aad(long pageNumber, long version) {
        return ByteBuffer.allocate(AAD_LABEL.length + 3 * Long.BYTES).put(AAD_LABEL)
                .putLong(key.volumeId()).putLong(pageNumber).putLong(version).array();
    }

    private static void checkPage(byte[] a, byte[] b) {
        if (a.length != PAGE_BYTES || b.length != PAGE_BYTES) {
            throw new IllegalArgumentException("pages are " + PAGE_BYTES + " bytes");
        }
    }
}
