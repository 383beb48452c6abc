package org.cnt.blockdev.internal;

import java.util.HashMap;
import java.util.Map;

/** Pages in a map, for unit tests of the layers above a page store. */
final class MemoryPageStore implements PageStore {
    private final long pageCount;
    private final Map<Long, byte[]> pages = new HashMap<>();
    int reads;

    MemoryPageStore(long pageCount) {
        this.pageCount = pageCount;
    }

    @Override
    public long pageCount() {
        return pageCount;
    }

    @Override
    public void readPage(long page, byte[] into) {
        check(page);
        reads++;
        byte[] content = pages.get(page);
        if (content == null) {
            java.util.Arrays.fill(into, (byte) 0);
        } else {
            System.arraycopy(content, 0, into, 0, PAGE_BYTES);
        }
    }

    @Override
    public void writePage(long page, byte[] from) {
        check(page);
        pages.put(page, from.clone());
    }

    @Override
    public void trimPage(long page) {
        check(page);
        pages.remove(page);
    }

    int storedPages() {
        return pages.size();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    private void check(long page) {
        if (page < 0 || page >= pageCount) {
            throw new IndexOutOfBoundsException("page " + page);
        }
    }
}
