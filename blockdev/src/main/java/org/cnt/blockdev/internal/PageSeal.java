package org.cnt.blockdev.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.cnt.blockdev.PageIntegrityException;

/**
 * What is stored beside an encrypted page: the AES-GCM nonce and tag, and the page's write
 * version (bound into the tag with the page's place, so a page cannot be moved or swapped for
 * another version of itself undetected). Fixed size, so seals pack into metadata pages.
 */
record PageSeal(byte[] nonce, byte[] tag, long version) {
    static final int NONCE_BYTES = 12;
    static final int TAG_BYTES = 16;
    static final int SIZE_BYTES = NONCE_BYTES + TAG_BYTES + Long.BYTES;

    PageSeal {
        if (nonce.length != NONCE_BYTES || tag.length != TAG_BYTES || version < 1) {
            throw new IllegalArgumentException("a page seal is a " + NONCE_BYTES + "-byte nonce, "
                    + "a " + TAG_BYTES + "-byte tag and a positive version");
        }
        nonce = nonce.clone();
        tag = tag.clone();
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    @Override
    public byte[] tag() {
        return tag.clone();
    }

    void writeTo(ByteBuffer out) {
        out.put(nonce).put(tag).putLong(version);
    }

    /**
     * The seal at the buffer's position; an unwritten place (all zeros) reads as null. The bytes
     * come from a farmer: a version that was never written is refused.
     */
    static PageSeal readFrom(ByteBuffer in) throws PageIntegrityException {
        byte[] nonce = new byte[NONCE_BYTES];
        byte[] tag = new byte[TAG_BYTES];
        in.get(nonce).get(tag);
        long version = in.getLong();
        if (version == 0 && isZero(nonce) && isZero(tag)) {
            return null;
        }
        if (version < 1) {
            throw new PageIntegrityException("a page seal with version " + version);
        }
        return new PageSeal(nonce, tag, version);
    }

    private static boolean isZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PageSeal s && version == s.version
                && Arrays.equals(nonce, s.nonce) && Arrays.equals(tag, s.tag);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(tag);
    }

    @Override
    public String toString() {
        return "PageSeal[version " + version + "]";
    }
}
