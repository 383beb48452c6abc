package org.cnt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/** Waiting for what real daemons do in their own time, and comparing the files they write. */
final class Eventually {
    private Eventually() {
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls {@code condition} until it holds; fails naming {@code what} after the timeout. */
    static void await(Condition condition, String what, long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.holds()) {
            assertThat(System.currentTimeMillis()).as(what).isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(file)));
    }
}
