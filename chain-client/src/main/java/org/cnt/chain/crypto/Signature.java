package org.cnt.chain.crypto;

/** Sizes of Ed25519 signatures; signatures themselves travel as plain byte arrays. */
public final class Signature {
    public static final int SIZE_BYTES = 64;

    private Signature() {
    }
}
