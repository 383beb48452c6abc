package org.cnt.chain.crypto;

/** A key file that cannot be read or written: missing, malformed, or locked by another passphrase. */
public class KeyFileException extends Exception {
    public KeyFileException(String message) {
        super(message);
    }

    public KeyFileException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The key file is encrypted and no passphrase, or the wrong one, was given. */
    public static final class PassphraseException extends KeyFileException {
        public PassphraseException(String message) {
            super(message);
        }
    }
}
