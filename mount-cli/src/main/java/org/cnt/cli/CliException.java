package org.cnt.cli;

/** A user-facing failure: printed as one line, no stack trace, exit code 1. */
public final class CliException extends Exception {
    public CliException(String message) {
        super(message);
    }

    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
