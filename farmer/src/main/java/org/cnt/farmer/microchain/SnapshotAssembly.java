package org.cnt.farmer.microchain;

import org.cnt.chain.micro.ChunkMeta;
import java.util.HashMap;
import java.util.Map;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.micro.MicroBlock;
import org.cnt.chain.micro.MicroMessage;
import org.cnt.chain.micro.QuorumCert;

/**
 * The parts of one snapshot as they arrive: every part must name the same anchor and metadata and
 * carry whole pages; the snapshot is complete when every page has arrived. The caller checks the
 * assembled chunk against the anchor's certified root before trusting any of it.
 */
final class SnapshotAssembly {
    private final MicroBlock anchor;
    private final QuorumCert anchorQc;
    private final Hash baseHash;
    private final byte[] metaBytes;
    private final ChunkGeometry geometry;
    private final Map<Integer, byte[]> pages = new HashMap<>();
    private final boolean[] received;
    private int receivedCount;

    SnapshotAssembly(MicroBlock anchor, QuorumCert anchorQc, Hash baseHash, byte[] metaBytes,
                     ChunkGeometry geometry) {
        this.anchor = anchor;
        this.anchorQc = anchorQc;
        this.baseHash = baseHash;
        this.metaBytes = metaBytes.clone();
        this.geometry = geometry;
        this.received = new boolean[geometry.pageCount()];
    }

    MicroBlock anchor() {
        return anchor;
    }

    QuorumCert anchorQc() {
        return anchorQc;
    }

    Hash baseHash() {
        return baseHash;
    }

    /** False when the part contradicts the ones before it or the geometry. */
    boolean add(MicroMessage.StateResponse part) {
        if (!java.util.Arrays.equals(part.meta(), metaBytes) || !part.baseHash().equals(baseHash)
                || part.fromPage() < 0 || part.fromPage() + part.pages().size() > received.length) {
            return false;
        }
        for (int i = 0; i < part.pages().size(); i++) {
            byte[] page = part.pages().get(i);
            if (page.length != 0 && page.length != geometry.pageSizeBytes()) {
                return false;
            }
            int index = part.fromPage() + i;
            if (!received[index]) {
                received[index] = true;
                receivedCount++;
            }
            if (page.length != 0) {
                pages.put(index, page.clone());
            }
        }
        return true;
    }

    boolean complete() {
        return receivedCount == received.length;
    }

    Map<Integer, byte[]> pages() {
        return pages;
    }

    /** The metadata, or null when it does not decode. */
    ChunkMeta meta() {
        try {
            return ChunkMeta.decode(metaBytes, geometry.sliceCount());
        } catch (CodecException e) {
            return null;
        }
    }
}
