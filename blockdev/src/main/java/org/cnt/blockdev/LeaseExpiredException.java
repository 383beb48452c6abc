package org.cnt.blockdev;

import java.io.IOException;

/**
 * The volume's lease ran out: its farmers refuse reads and writes until it is extended. Writes
 * made since stay in this machine's write-back cache and go out once the lease is extended
 * within its grace period; after that the space returns to the network.
 */
public final class LeaseExpiredException extends IOException {
    /** The member's reason, as the farmers gave it. */
    private final String reason;

    public LeaseExpiredException(long volumeId, String what, String reason) {
        super("could not " + what + ": the lease of volume " + volumeId + " has expired ("
                + reason + "); extend it with 'cnt volume extend " + volumeId + " --days N' "
                + "before its grace period ends ('cnt volume show " + volumeId + "' tells when): "
                + "writes made since stay in the write-back cache and go out once it is "
                + "extended");
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }

    /** Whether a member's refusal says the lease ran out. */
    public static boolean says(String reason) {
        return reason != null && reason.contains("lease_expired");
    }
}
