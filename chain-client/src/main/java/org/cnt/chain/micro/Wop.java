package org.cnt.chain.micro;

import java.util.Arrays;
import org.cnt.chain.codec.CanonicalReader;
import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.codec.Encodable;

/**
 * A write operation on one slice: {@code data} at {@code offsetBytes} inside slice
 * {@code sliceIndex}, as the slice's {@code sliceSeq}-th write. The chunk and volume are those of
 * the {@link WopBatch} that carries it; the batch's owner signature authorizes it.
 */
public record Wop(int sliceIndex, long sliceSeq, int offsetBytes, byte[] data) implements Encodable {
    /** No Wop is larger than the largest slice. */
    public static final int MAX_DATA_BYTES = 1 << 20;
    /** Slice, sequence number, offset and the data's length prefix. */
    public static final int HEADER_BYTES = 4 + 8 + 4 + 4;

    public Wop {
        if (sliceIndex < 0 || sliceSeq < 1 || offsetBytes < 0 || data.length == 0
                || data.length > MAX_DATA_BYTES) {
            throw new IllegalArgumentException("bad Wop: slice " + sliceIndex + " seq " + sliceSeq
                    + " offset " + offsetBytes + " length " + data.length);
        }
    }

    public long endBytes() {
        return (long) offsetBytes + data.length;
    }

    @Override
    public void encode(CanonicalWriter out) {
        out.u32(sliceIndex).u64(sliceSeq).u32(offsetBytes).bytes(data);
    }

    static Wop decode(CanonicalReader in) throws CodecException {
        int slice = in.u32("slice index");
        long seq = in.u64("slice seq");
        int offset = in.u32("offset");
        byte[] data = in.bytes(MAX_DATA_BYTES, "wop data");
        if (slice < 0 || seq < 1 || offset < 0 || data.length == 0) {
            throw new CodecException("Wop out of range: slice " + slice + " seq " + seq + " offset "
                    + offset + " length " + data.length);
        }
        return new Wop(slice, seq, offset, data);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Wop wop && sliceIndex == wop.sliceIndex && sliceSeq == wop.sliceSeq
                && offsetBytes == wop.offsetBytes && Arrays.equals(data, wop.data);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(sliceSeq) + sliceIndex;
    }

    @Override
    public String toString() {
        return "Wop[slice " + sliceIndex + " seq " + sliceSeq + " @" + offsetBytes + " +"
                + data.length + "]";
    }
}
