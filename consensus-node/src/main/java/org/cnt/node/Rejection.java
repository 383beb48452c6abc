package org.cnt.node;

/**
 * Why a transaction was refused: a stable machine code for clients and a sentence for people.
 * A rejection is a result value, not an exception: refusing bad input is normal operation.
 */
public record Rejection(String code, String detail) {

    public static Rejection of(String code, String detail) {
        return new Rejection(code, detail);
    }
}
