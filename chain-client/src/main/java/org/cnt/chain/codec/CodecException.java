package org.cnt.chain.codec;

/** Bytes that do not decode to a valid object: truncated, oversized, trailing or out of range. */
public final class CodecException extends Exception {
    public CodecException(String message) {
        super(message);
    }
}
