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
 *
 * <p>A decoded Wop's data is a range of its batch's encoding, not a copy: every member decodes
 * every batch, and the data is megabytes per block. The array is shared and never modified;
 * {@link #data()} copies, {@link #dataArray()} with {@link #dataOffset()} and
 * {@link #dataLength()} read in place.
 */
public final class Wop implements Encodable {
    /** No Wop is larger than the largest slice. */
    public static final int MAX_DATA_BYTES = 1 << 20;
    /** Slice, sequence number, offset and the data's length prefix. */
    public static final int HEADER_BYTES = 4 + 8 + 4 + 4;

    private final int sliceIndex;
    private final long sliceSeq;
    private final int offsetBytes;
    private final byte[] buffer;
    private final int dataOffset;
    private final int dataLength;

    /** A Wop of {@code data}, which it keeps: the caller no longer changes it. */
    public Wop(int sliceIndex, long sliceSeq, int offsetBytes, byte[] data) {
        this(sliceIndex, sliceSeq, offsetBytes, data, 0, data.length);
    }

    /**
     * A Wop of {@code buffer[dataOffset, dataOffset + dataLength)}, kept in place (a writer's
     * buffer holding many writes is not copied per write): the caller no longer changes it.
     */
    public Wop(int sliceIndex, long sliceSeq, int offsetBytes, byte[] buffer, int dataOffset,
               int dataLength) {
        if (sliceIndex < 0 || sliceSeq < 1 || offsetBytes < 0 || dataLength <= 0
                || dataLength > MAX_DATA_BYTES || dataOffset < 0
                || dataOffset > buffer.length - dataLength) {
            throw new IllegalArgumentException("bad Wop: slice " + sliceIndex + " seq " + sliceSeq
                    + " offset " + offsetBytes + " length " + dataLength);
        }
        this.sliceIndex = sliceIndex;
        this.sliceSeq = sliceSeq;
        this.offsetBytes = offsetBytes;
        this.buffer = buffer;
        this.dataOffset = dataOffset;
        this.dataLength = dataLength;
    }

    public int sliceIndex() {
        return sliceIndex;
    }

    public long sliceSeq() {
        return sliceSeq;
    }

    public int offsetBytes() {
        return offsetBytes;
    }

    /** The written bytes, as an array of their own. */
    public byte[] data() {
        return dataOffset == 0 && dataLength == buffer.length ? buffer
                : Arrays.copyOfRange(buffer, dataOffset, dataOffset + dataLength);
    }

    /** The array holding the data at {@link #dataOffset()}: shared, read it, never write it. */
    public byte[] dataArray() {
        return buffer;
    }

    public int dataOffset() {
        return dataOffset;
    }

    public int dataLength() {
        return dataLength;
    }

    public long endBytes() {
        return (long) offsetBytes + dataLength;
    }

    @Override
    public void encode(CanonicalWriter out) {
        out.u32(sliceIndex).u64(sliceSeq).u32(offsetBytes).u32(dataLength)
                .fixed(buffer, dataOffset, dataLength);
    }

    /** Reads a Wop whose data stays in {@code in}'s array (the batch's own encoding). */
    static Wop decode(CanonicalReader in) throws CodecException {
        int slice = in.u32("slice index");
        long seq = in.u64("slice seq");
        int offset = in.u32("offset");
        int length = in.u32("wop data length");
        if (slice < 0 || seq < 1 || offset < 0 || length <= 0 || length > MAX_DATA_BYTES) {
            throw new CodecException("Wop out of range: slice " + slice + " seq " + seq + " offset "
                    + offset + " length " + Integer.toUnsignedString(length));
        }
        int at = in.skip(length, "wop data");
        return new Wop(slice, seq, offset, in.array(), at, length);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Wop wop && sliceIndex == wop.sliceIndex && sliceSeq == wop.sliceSeq
                && offsetBytes == wop.offsetBytes && Arrays.equals(buffer, dataOffset,
                dataOffset + dataLength, wop.buffer, wop.dataOffset,
                wop.dataOffset + wop.dataLength);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(sliceSeq) + sliceIndex;
    }

    @Override
    public String toString() {
        return "Wop[slice " + sliceIndex + " seq " + sliceSeq + " @" + offsetBytes + " +"
                + dataLength + "]";
    }
}
