package org.cnt.farmer.daemon;

import java.util.ArrayList;
import java.util.List;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.PublicKey;
import org.cnt.chain.micro.ChunkMeta;
import org.cnt.chain.wire.WireMessage;
import org.cnt.farmer.microchain.ChunkGeometry;
import org.cnt.farmer.microchain.ChunkState;
import org.cnt.farmer.microchain.Replica;
import org.cnt.farmer.microchain.ReplicaConfig;
import org.cnt.farmer.microchain.SliceLease;

/**
 * Serves committed bytes to their owner: whole pages with Merkle paths to the certified root,
 * so the reader trusts no single farmer. Only the slice owner reads, and not after the lease
 * ended (DESIGN.md: an expired lease locks its slices).
 */
final class ReadService {

    /** Null when the reader may read the range; otherwise the refusal sent back. */
    String authorize(ReplicaConfig config, ChunkMeta meta, WireMessage.ReadRequest request,
                     PublicKey reader) {
        ChunkGeometry geometry = config.geometry();
        // A read of no bytes (the metadata alone) is authorized by the slice its offset names.
        long lastByte = Math.max(request.offsetBytes(),
                request.offsetBytes() + request.lengthBytes() - 1);
        if (request.lengthBytes() < 0 || request.lengthBytes() == 0 && !request.withMeta()
                || lastByte >= geometry.chunkSizeBytes()) {
            return "out_of_bounds: " + request.lengthBytes() + " bytes at "
                    + request.offsetBytes() + " do not fit a " + geometry.chunkSizeBytes()
                    + "-byte chunk";
        }
        long firstPage = request.offsetBytes() / geometry.pageSizeBytes();
        long lastPage = lastByte / geometry.pageSizeBytes();
        if (lastPage - firstPage + 1 > WireMessage.MAX_READ_PAGES) {
            return "too_large: read at most " + WireMessage.MAX_READ_PAGES + " pages at once";
        }
        for (long slice = request.offsetBytes() / geometry.sliceSizeBytes();
             slice <= lastByte / geometry.sliceSizeBytes(); slice++) {
            SliceLease lease = config.leases().lease(config.chunkId(), (int) slice);
            if (lease == null || !lease.owner().equals(reader.address())) {
                return "not_owner: slice " + slice + " of chunk " + config.chunkId()
                        + " is not leased to " + reader.address();
            }
            if (lease.expirySec() <= config.leases().nowSec()) {
                return "lease_expired: the lease on slice " + slice + " ended at "
                        + lease.expirySec();
            }
            if (request.lengthBytes() > 0 && meta.holdsOthers((int) slice, lease.volumeId())) {
                // Another volume's ciphertext would not decrypt: the reader would take it for
                // a bad replica. Its session's opening erases the slice.
                return "not_claimed: slice " + slice + " of chunk " + config.chunkId()
                        + " holds an earlier lease's data until volume " + lease.volumeId()
                        + " opens a session on it";
            }
        }
        return null;
    }

    WireMessage.ReadReply reply(WireMessage.ReadRequest request, ChunkState state,
                                Replica.Anchor anchor) {
        int pageSize = state.geometry().pageSizeBytes();
        int first = (int) (request.offsetBytes() / pageSize);
        int last = (int) ((request.offsetBytes() + request.lengthBytes() - 1) / pageSize);
        if (request.lengthBytes() == 0) {
            last = first - 1;
        }
        List<byte[]> pages = new ArrayList<>();
        List<List<Hash>> proofs = new ArrayList<>();
        for (int page = first; page <= last; page++) {
            pages.add(state.page(page));
            proofs.add(state.proof(page));
        }
        return new WireMessage.ReadReply(request.requestId(), request.chunkId(), anchor.block(),
                anchor.qc(), state.pagesRoot(), state.meta().hash(),
                request.withMeta() ? state.meta().toBytes() : new byte[0], first, pages, proofs);
    }
}
