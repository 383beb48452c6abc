package org.cnt.farmer;

/** A farmer cannot do what it was asked; the message says why in an operator's words. */
public class FarmerException extends Exception {
    public FarmerException(String message) {
        super(message);
    }

    public FarmerException(String message, Throwable cause) {
        super(message, cause);
    }
}
