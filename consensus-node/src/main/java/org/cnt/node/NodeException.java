package org.cnt.node;

/** The node cannot start or go on: a bad data directory, genesis or configuration, or a disk error. */
public class NodeException extends Exception {
    public NodeException(String message) {
        super(message);
    }

    public NodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
