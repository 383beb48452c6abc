package org.cnt.chain.types;

import java.util.ArrayList;
import java.util.List;
import org.cnt.chain.codec.CanonicalReader;
import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.codec.Encodable;
import org.cnt.chain.crypto.Address;

/**
 * A rented volume: the owner's ordered slices, which the client sees as one flat block device.
 * A LOCKED volume's lease has expired; it can be extended until the grace period ends, when its
 * slices return to the allocator and the volume is gone.
 */
public record Volume(long id, Address owner, String name, long sizeMb, List<SliceRef> slices,
                     long createdSec, long expirySec, Status status) implements Encodable {
    public static final int MAX_SLICES = 1 << 24;

    /** ACTIVE may be read and written; LOCKED is expired and waits for renewal or release. */
    public enum Status { ACTIVE, LOCKED }

    public Volume {
        slices = List.copyOf(slices);
    }

    public Volume withLease(long newExpirySec, Status newStatus) {
        return new Volume(id, owner, name, sizeMb, slices, createdSec, newExpirySec, newStatus);
    }

    public Volume withSlices(long newSizeMb, List<SliceRef> newSlices) {
        return new Volume(id, owner, name, newSizeMb, newSlices, createdSec, expirySec, status);
    }

    @Override
    public void encode(CanonicalWriter out) {
        out.u64(id).fixed(owner.toBytes()).string(name).u64(sizeMb).u32(slices.size());
        for (SliceRef slice : slices) {
            out.u64(slice.chunkId()).u32(slice.index());
        }
        out.u64(createdSec).u64(expirySec).u8(status.ordinal());
    }

    public static Volume decode(CanonicalReader in) throws CodecException {
        long id = in.u64Max("volume id", Long.MAX_VALUE);
        Address owner = Address.wrap(in.fixed(Address.SIZE_BYTES, "owner"));
        String name = in.string(TxPayload.MAX_VOLUME_NAME_BYTES, "name");
        long sizeMb = in.u64Max("size", Long.MAX_VALUE);
        int count = in.u32("slice count");
        if (count < 0 || count > MAX_SLICES) {
            throw new CodecException("volume has too many slices: " + count);
        }
        List<SliceRef> slices = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            slices.add(new SliceRef(in.u64Max("chunk", Long.MAX_VALUE), in.u32("slice")));
        }
        long created = in.u64Max("created", Long.MAX_VALUE);
        long expiry = in.u64Max("expiry", Long.MAX_VALUE);
        int status = in.u8("status");
        if (status >= Status.values().length) {
            throw new CodecException("unknown volume status " + status);
        }
        return new Volume(id, owner, name, sizeMb, slices, created, expiry, Status.values()[status]);
    }
}
