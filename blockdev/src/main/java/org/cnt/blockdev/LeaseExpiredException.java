package org.cnt.blockdev;

import java.io.IOException;

/**
 * The volume's lease ran out: its farmers refuse reads and writes until it is extended. Writes
 * made since stay in this machine's write-back cache and go out once the lease is extended
 * within its grace period; after that the space returns to the network.
 */
public final class LeaseExpiredException extends IOException {
    public LeaseExpiredException(long volumeId, String what, String reason) {
        super("could not " + what + ": the lease of volume " + volumeId + " has expired ("
                + reason + "); extend it with 'cnt volume extend " + volumeId + " --days N' "
                + "before its grace period ends ('cnt volume show " + volumeId + "' tells when): "
                + "writes made since stay in the write-back cache and go out once it is "
                + "extended");
    }

    /**
     * The lease expiry {@code error} reports (a refusal of the group, possibly wrapped by the
     * future it failed), as this exception about {@code what}; null if it reports another fault.
     */
    public static LeaseExpiredException of(long volumeId, String what, Throwable error) {
        Throwable cause = error;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String reason = cause instanceof org.cnt.chain.replication.ReplicationException.Refused r
                ? r.reason() : cause.getMessage();
        return reason != null && reason.contains("lease_expired")
                ? new LeaseExpiredException(volumeId, what, reason) : null;
    }
}
