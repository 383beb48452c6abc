package org.cnt.chain.proof;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.cnt.chain.crypto.Hash;

/**
 * The bytes a chunk holds where no volume has written, so unused space is proven exactly like
 * used space. Pages of {@link Challenge#PAGE_BYTES} form a chain: page {@code i} is an AES-128-CTR
 * keystream under a key from the hash of page {@code i - 1} (the first from the network and the
 * chunk). Filling a chunk once, in order, is cheap (one AES and one SHA-256 pass); producing a
 * page far into the chunk without having stored it means recomputing every page before it, so
 * a farmer that keeps no padding answers late, and a late answer fails the round. (A chain
 * raises the cost of faking; it does not make it impossible for a farmer with few chunks and
 * fast CPUs: see the issue note.)
 */
public final class Padding {
    private static final byte[] DOMAIN = "cnt-padding".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ZERO_IV = new byte[16];
    private final byte[] first;

    private Padding(byte[] first) {
        this.first = first;
    }

    /** The padding of {@code chunkId} on the network {@code chainId}. */
    public static Padding of(Hash chainId, long chunkId) {
        return new Padding(Hash.sha256(DOMAIN, chainId.toBytes(),
                ByteBuffer.allocate(8).putLong(chunkId).array()).toBytes());
    }

    /** Produces the pages in order, from page 0. */
    public Cursor cursor() {
        return new Cursor(first.clone());
    }

    /**
     * Fills the buffer's remaining bytes with the padding from chunk offset {@code offset}
     * (work proportional to {@code offset + length}: the chain is walked from its start).
     */
    public void fill(long offset, ByteBuffer into) {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        Cursor cursor = cursor();
        byte[] page = new byte[Challenge.PAGE_BYTES];
        for (long p = 0; p < offset / Challenge.PAGE_BYTES; p++) {
            cursor.next(page);
        }
        int skip = (int) (offset % Challenge.PAGE_BYTES);
        while (into.hasRemaining()) {
            cursor.next(page);
            int n = Math.min(into.remaining(), page.length - skip);
            into.put(page, skip, n);
            skip = 0;
        }
    }

    /** The chain of pages, one after another. Not thread-safe. */
    public static final class Cursor {
        private byte[] state;
        private final MessageDigest digest = Hash.newDigest();
        private final Cipher cipher;

        private Cursor(byte[] state) {
            this.state = state;
            try {
                this.cipher = Cipher.getInstance("AES/CTR/NoPadding");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES/CTR is part of every JDK", e);
            }
        }

        /** Writes the next page into {@code page} (exactly one page long). */
        public void next(byte[] page) {
            if (page.length != Challenge.PAGE_BYTES) {
                throw new IllegalArgumentException("a page is " + Challenge.PAGE_BYTES
                        + " bytes, not " + page.length);
            }
            try {
                cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(state, 0, 16, "AES"),
                        new IvParameterSpec(ZERO_IV));
                java.util.Arrays.fill(page, (byte) 0);
                cipher.doFinal(page, 0, page.length, page, 0);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES/CTR failed on a 16-byte key", e);
            }
            digest.update(state);
            digest.update(page);
            state = digest.digest();
        }
    }
}
