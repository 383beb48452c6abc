package org.cnt.chain.replication;

/**
 * An operation or read that did not succeed. {@link Refused} means the copy group decided
 * against it (the reason names the rule); the other cases are availability: no member answered
 * well enough in time.
 */
public class ReplicationException extends Exception {
    public ReplicationException(String message) {
        super(message);
    }

    public ReplicationException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The group refused the operation; retrying it unchanged will not help. */
    public static final class Refused extends ReplicationException {
        private final String reason;

        public Refused(String reason) {
            super("refused: " + reason);
            this.reason = reason;
        }

        /** The member's reason, starting with its rule, e.g. {@code not_owner: ...}. */
        public String reason() {
            return reason;
        }
    }
}
