package org.cnt.chain.api;

/**
 * The node answered with an error, or could not be reached. {@link #error()} is the machine
 * code ({@code insufficient_balance}, {@code nonce_too_low}, ...), {@link #detail()} the
 * sentence for people.
 */
public final class NodeApiException extends Exception {
    private final int httpStatus;
    private final String error;
    private final String detail;

    public NodeApiException(int httpStatus, String error, String detail) {
        super(error + ": " + detail);
        this.httpStatus = httpStatus;
        this.error = error;
        this.detail = detail;
    }

    public static NodeApiException unreachable(String url, Throwable cause) {
        String why = cause instanceof java.net.ConnectException ? "connection refused"
                : cause instanceof java.net.http.HttpTimeoutException ? "no answer in time"
                : cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getMessage();
        return new NodeApiException(0, "unreachable", "cannot reach the consensus node at " + url
                + " (" + why + "); is it running? start one with 'cnt node run', or 'cnt devnet "
                + "up' for a network on this machine");
    }

    /** 0 when there was no answer at all. */
    public int httpStatus() {
        return httpStatus;
    }

    public String error() {
        return error;
    }

    public String detail() {
        return detail;
    }
}
