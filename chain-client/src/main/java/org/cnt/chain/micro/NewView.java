package org.cnt.chain.micro;

import org.cnt.chain.codec.CanonicalReader;
import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.codec.Encodable;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.crypto.PublicKey;
import org.cnt.chain.crypto.Signature;

/**
 * A member's move to {@code view} after the previous leader fell silent: signed, and carrying the
 * highest certificate the member holds, from which the new leader must extend.
 */
public record NewView(long chunkId, long epoch, long view, QuorumCert highQc, int sender,
                      byte[] signature) implements Encodable {

    private static byte[] statement(long chunkId, long epoch, long view, QuorumCert highQc,
                                    int sender) {
        return Hash.sha256(new CanonicalWriter(256).u8(0x4E).u8(1).u64(chunkId).u64(epoch)
                .u64(view).write(highQc).u8(sender).toByteArray()).toBytes();
    }

    public static NewView sign(KeyPair key, int sender, long chunkId, long epoch, long view,
                               QuorumCert highQc) {
        return new NewView(chunkId, epoch, view, highQc, sender,
                key.sign(statement(chunkId, epoch, view, highQc, sender)));
    }

    public boolean verify(PublicKey key) {
        return key.verify(statement(chunkId, epoch, view, highQc, sender), signature);
    }

    @Override
    public void encode(CanonicalWriter out) {
        out.u64(chunkId).u64(epoch).u64(view).write(highQc).u8(sender).fixed(signature);
    }

    static NewView decode(CanonicalReader in) throws CodecException {
        return new NewView(in.u64Max("chunk", Long.MAX_VALUE), in.u64Max("epoch", Long.MAX_VALUE),
                in.u64Max("view", Long.MAX_VALUE), QuorumCert.decode(in), in.u8("sender"),
                in.fixed(Signature.SIZE_BYTES, "new-view signature"));
    }
}
