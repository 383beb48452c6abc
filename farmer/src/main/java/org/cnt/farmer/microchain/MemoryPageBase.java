package org.cnt.farmer.microchain;

import java.util.HashMap;
import java.util.Map;

/** Pages kept in memory, for the simulator and unit tests: {@link ChunkState} writes it itself. */
final class MemoryPageBase implements PageBase {
    private final Map<Integer, byte[]> pages = new HashMap<>();

    @Override
    public byte[] read(int page) {
        byte[] content = pages.get(page);
        return content == null ? null : content.clone();
    }

    /** Stores a copy of a page (null: zeros). */
    void store(int page, java.nio.ByteBuffer content) {
        if (content == null) {
            pages.remove(page);
        } else {
            byte[] copy = new byte[content.remaining()];
            content.get(content.position(), copy);
            pages.put(page, copy);
        }
    }
}
