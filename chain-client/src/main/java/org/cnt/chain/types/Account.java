package org.cnt.chain.types;

import org.cnt.chain.codec.CanonicalReader;
import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.codec.Encodable;

/** A balance and the nonce its next transaction must carry. */
public record Account(long balanceUcnt, long nonce) implements Encodable {
    public static final Account EMPTY = new Account(0, 0);

    public Account {
        if (balanceUcnt < 0 || nonce < 0) {
            throw new IllegalArgumentException("negative balance or nonce: " + balanceUcnt + ", "
                    + nonce);
        }
    }

    @Override
    public void encode(CanonicalWriter out) {
        out.u64(balanceUcnt).u64(nonce);
    }

    public static Account decode(CanonicalReader in) throws CodecException {
        return new Account(in.u64Max("balance", Long.MAX_VALUE), in.u64Max("nonce", Long.MAX_VALUE));
    }
}
