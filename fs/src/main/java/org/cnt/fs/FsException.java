package org.cnt.fs;

import java.io.IOException;

/**
 * A filesystem operation that failed for a reason the caller can act on: {@link #error()} is
 * the errno to report, the message says which name or inode and why.
 */
public class FsException extends IOException {
    private final FsError error;

    public FsException(FsError error, String message) {
        super(error.name() + ": " + message);
        this.error = error;
    }

    public FsException(FsError error, String message, Throwable cause) {
        super(error.name() + ": " + message, cause);
        this.error = error;
    }

    public FsError error() {
        return error;
    }
}
