package org.cnt.chain.types;

import java.util.ArrayList;
import java.util.List;
import org.cnt.chain.codec.CanonicalReader;
import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.codec.Encodable;

/**
 * A chunk of the world disk and its copy group. The epoch counts membership changes so members
 * and clients can tell an old group from the current one. {@code freshSlices} is how many slices
 * from the start have ever been leased: the rest are never-used and are allocated first.
 */
public record Chunk(long id, List<Long> members, long epoch, int freshSlices) implements Encodable {
    /**
     * The epoch a chunk is born in, with its whole group at once: its replicas start empty. Every
     * later epoch follows a membership change and starts from its predecessor's sealed state.
     */
    public static final long FIRST_EPOCH = 1;

    public Chunk {
        members = List.copyOf(members);
    }

    public boolean isFull(ChainParams params) {
        return members.size() == params.groupSize();
    }

    public Chunk withMembers(List<Long> newMembers) {
        return new Chunk(id, newMembers, epoch + 1, freshSlices);
    }

    public Chunk withFreshSlices(int used) {
        return new Chunk(id, members, epoch, used);
    }

    @Override
    public void encode(CanonicalWriter out) {
        out.u64(id).u8(members.size());
        for (long member : members) {
            out.u64(member);
        }
        out.u64(epoch).u32(freshSlices);
    }

    public static Chunk decode(CanonicalReader in) throws CodecException {
        long id = in.u64Max("chunk id", Long.MAX_VALUE);
        int count = in.u8("member count");
        List<Long> members = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            members.add(in.u64Max("member", Long.MAX_VALUE));
        }
        return new Chunk(id, members, in.u64Max("epoch", Long.MAX_VALUE), in.u32("fresh slices"));
    }
}
