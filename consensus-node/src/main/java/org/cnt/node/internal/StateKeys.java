package org.cnt.node.internal;

import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.crypto.Address;

/** The key of every state entry: a one-byte kind, then a fixed-width big-endian id. */
final class StateKeys {
    static final byte GLOBALS = 'G';
    static final byte ACCOUNT = 'A';
    static final byte FARMER = 'F';
    static final byte CHUNK = 'C';
    static final byte VOLUME = 'V';
    static final byte FREED_SLICE = 'S';
    static final byte CHUNK_PROOF = 'P';
    static final byte BAD_DATA_REPORT = 'R';

    private StateKeys() {
    }

    static byte[] globals() {
        return new byte[] {GLOBALS};
    }

    static byte[] account(Address address) {
        return new CanonicalWriter(21).u8(ACCOUNT).fixed(address.toBytes()).toByteArray();
    }

    static byte[] farmer(long id) {
        return new CanonicalWriter(9).u8(FARMER).u64(id).toByteArray();
    }

    static byte[] chunk(long id) {
        return new CanonicalWriter(9).u8(CHUNK).u64(id).toByteArray();
    }

    static byte[] volume(long id) {
        return new CanonicalWriter(9).u8(VOLUME).u64(id).toByteArray();
    }

    static byte[] freedSlice(FreedSlice slice) {
        return new CanonicalWriter(21).u8(FREED_SLICE).u64(slice.sinceSec()).u64(slice.chunkId())
                .u32(slice.index()).toByteArray();
    }

    static byte[] chunkProof(long chunkId) {
        return new CanonicalWriter(9).u8(CHUNK_PROOF).u64(chunkId).toByteArray();
    }

    static byte[] badDataReport(BadDataReport report) {
        return new CanonicalWriter(29).u8(BAD_DATA_REPORT).u64(report.farmerId())
                .fixed(report.reporter().toBytes()).toByteArray();
    }
}
