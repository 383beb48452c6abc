package org.cnt.cli;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.micro.ChunkOp;
import org.cnt.chain.micro.MicroMessage;
import org.cnt.chain.wire.Frames;
import org.cnt.chain.wire.WireMessage;

/**
 * A bare socket speaking the wire protocol by hand, with none of the replication client's
 * retries or checks: what an attacker or a buggy client would send.
 */
final class RawFarmerClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    RawFarmerClient(int port, KeyPair identity) throws IOException, CodecException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(socket.getOutputStream());
        WireMessage.Challenge challenge = (WireMessage.Challenge) receive();
        send(WireMessage.Hello.answer(identity, challenge.nonce()));
    }

    void send(WireMessage message) throws IOException {
        byte[] body = message.toBytes();
        out.writeShort(Frames.MAGIC);
        out.writeByte(Frames.VERSION);
        out.writeByte(0);
        out.writeInt(body.length);
        out.write(body);
        out.flush();
    }

    WireMessage receive() throws IOException, CodecException {
        in.readUnsignedShort();
        in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        byte[] body = new byte[in.readInt()];
        in.readFully(body);
        if (flags != 0) {
            throw new IOException("this raw client reads uncompressed frames only");
        }
        return WireMessage.decode(body);
    }

    /** Submits an operation and returns the farmer's answer to it (commit or refusal). */
    MicroMessage submit(ChunkOp op) throws IOException, CodecException {
        send(new WireMessage.Micro(new MicroMessage.Submit(op.chunkId(), op)));
        while (true) {
            if (receive() instanceof WireMessage.Micro micro
                    && (micro.message() instanceof MicroMessage.Rejected
                    || micro.message() instanceof MicroMessage.Committed)) {
                return micro.message();
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
