package org.cnt.chain.codec;

/** An object with a canonical binary encoding. */
public interface Encodable {
    void encode(CanonicalWriter out);

    default byte[] toBytes() {
        CanonicalWriter out = new CanonicalWriter();
        encode(out);
        return out.toByteArray();
    }
}
