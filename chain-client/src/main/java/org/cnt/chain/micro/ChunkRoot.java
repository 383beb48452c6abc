package org.cnt.chain.micro;

import org.cnt.chain.codec.CanonicalWriter;
import org.cnt.chain.crypto.Hash;

/**
 * The state root a micro-block certifies: the page tree's root and the chunk metadata's hash,
 * bound together, so a client that checks a page against the pages root also knows which
 * certified state it belongs to.
 */
public final class ChunkRoot {
    private ChunkRoot() {
    }

    public static Hash of(Hash pagesRoot, Hash metaHash) {
        return Hash.sha256(new CanonicalWriter(66).u8(0x02).fixed(pagesRoot.toBytes())
                .fixed(metaHash.toBytes()).toByteArray());
    }
}
