package org.cnt.chain.proof;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.cnt.chain.crypto.Hash;

/**
 * A member's answer to its {@link Challenge}: {@code H(domain ‖ seed ‖ farmer id ‖ bytes)}.
 * The farmer id inside makes each member's answer its own (one member cannot hand another its
 * answer); the seed makes it fresh. A peer checks it by computing the same over its own copy.
 */
public final class Answer {
    private static final byte[] DOMAIN = "cnt-proof-answer".getBytes(StandardCharsets.UTF_8);

    private Answer() {
    }

    /** The answer over {@code bytes}, which must be exactly the challenged range. */
    public static Hash compute(Challenge challenge, ByteBuffer bytes) {
        if (bytes.remaining() != challenge.lengthBytes()) {
            throw new IllegalArgumentException("the challenge covers " + challenge.lengthBytes()
                    + " bytes, not " + bytes.remaining());
        }
        MessageDigest digest = Hash.threadDigest();
        digest.update(DOMAIN);
        digest.update(challenge.seed().toBytes());
        digest.update(ByteBuffer.allocate(8).putLong(challenge.farmerId()).array());
        digest.update(bytes.duplicate());
        return Hash.ofDigest(digest);
    }

    /** Whether {@code answer} is what the holder of {@code ownCopy} expects. */
    public static boolean verify(Challenge challenge, Hash answer, ByteBuffer ownCopy) {
        return compute(challenge, ownCopy).equals(answer);
    }
}
