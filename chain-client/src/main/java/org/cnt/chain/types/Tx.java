package org.cnt.chain.types;

import java.util.Arrays;
import org.cnt.chain.codec.CanonicalReader;
import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.codec.Encodable;
import org.cnt.chain.crypto.Address;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.crypto.PublicKey;
import org.cnt.chain.crypto.Signature;

/**
 * A signed main-chain transaction. The signature covers the chain id, so a transaction of one
 * chain cannot be replayed on another, and the sender's nonce, so it cannot be replayed on this
 * one. Its id is the hash of the signed body.
 */
public record Tx(Hash chainId, PublicKey sender, long nonce, TxPayload payload, byte[] signature)
        implements Encodable {
    static final int TAG = 0x54;
    static final int VERSION = 1;
    /**
     * No valid transaction is larger; anything larger is refused before decoding. The largest
     * is a space proof of a 64-member group: 64 members named, a quorum of 43 signatures.
     */
    public static final int MAX_SIZE_BYTES = 4096;

    public static Tx sign(Hash chainId, KeyPair key, long nonce, TxPayload payload) {
        byte[] body = body(chainId, key.publicKey(), nonce, payload);
        return new Tx(chainId, key.publicKey(), nonce, payload, key.sign(body));
    }

    private static byte[] body(Hash chainId, PublicKey sender, long nonce, TxPayload payload) {
        CanonicalWriter out = new CanonicalWriter(160)
                .u8(TAG).u8(VERSION).fixed(chainId.toBytes()).fixed(sender.toBytes()).u64(nonce)
                .u8(payload.typeCode());
        payload.encodeBody(out);
        return out.toByteArray();
    }

    public byte[] signedBody() {
        return body(chainId, sender, nonce, payload);
    }

    public Hash id() {
        return Hash.sha256(signedBody());
    }

    public Address senderAddress() {
        return sender.address();
    }

    public boolean signatureValid() {
        return sender.verify(signedBody(), signature);
    }

    @Override
    public void encode(CanonicalWriter out) {
        out.fixed(signedBody()).fixed(signature);
    }

    public static Tx decode(byte[] bytes) throws CodecException {
        if (bytes.length > MAX_SIZE_BYTES) {
            throw new CodecException("transaction too large: " + bytes.length + " bytes (max "
                    + MAX_SIZE_BYTES + ")");
        }
        CanonicalReader in = CanonicalReader.of(bytes);
        in.expectTag(TAG, "transaction");
        in.expectVersion(VERSION, "transaction");
        Hash chainId = Hash.wrap(in.fixed(Hash.SIZE_BYTES, "chain id"));
        PublicKey sender = PublicKey.wrap(in.fixed(PublicKey.SIZE_BYTES, "sender"));
        long nonce = in.u64Max("nonce", Long.MAX_VALUE);
        TxPayload payload = TxPayload.decode(in.u8("type"), in);
        byte[] signature = in.fixed(Signature.SIZE_BYTES, "signature");
        in.finish("transaction");
        return new Tx(chainId, sender, nonce, payload, signature);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Tx tx && chainId.equals(tx.chainId) && sender.equals(tx.sender)
                && nonce == tx.nonce && payload.equals(tx.payload)
                && Arrays.equals(signature, tx.signature);
    }

    @Override
    public int hashCode() {
        return id().hashCode();
    }

    @Override
    public String toString() {
        return "Tx[" + payload.getClass().getSimpleName() + " from " + senderAddress() + " nonce "
                + nonce + "]";
    }
}
