package org.cnt.blockdev;

import java.io.IOException;

/**
 * The volume's write session is held by another client (or was left by one that did not close
 * it): the message names the holder and, where it applies, when {@code --force} may take over.
 */
public final class VolumeInUseException extends IOException {
    public VolumeInUseException(String message) {
        super(message);
    }
}
