package org.cnt.blockdev.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Clean pages, least recently used dropped first once the cache holds its capacity: a page read
 * again, or written and then read, does not cross the network. Thread-safe.
 */
final class ReadCache {
    private final int capacityPages;
    private final LinkedHashMap<Long, byte[]> pages;

    ReadCache(long capacityBytes) {
        this.capacityPages = (int) Math.min(Integer.MAX_VALUE, capacityBytes / PageStore.PAGE_BYTES);
        this.pages = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
                return size() > capacityPages;
            }
        };
    }

    /** Copies the page into {@code into} if cached. */
    synchronized boolean read(long page, byte[] into, int offset) {
        byte[] cached = pages.get(page);
        if (cached == null) {
            return false;
        }
        System.arraycopy(cached, 0, into, offset, PageStore.PAGE_BYTES);
        return true;
    }

    /** Keeps a copy of {@code content[offset, offset + page)}. */
    synchronized void put(long page, byte[] content, int offset) {
        if (capacityPages > 0) {
            byte[] copy = new byte[PageStore.PAGE_BYTES];
            System.arraycopy(content, offset, copy, 0, copy.length);
            pages.put(page, copy);
        }
    }

    synchronized void remove(long page) {
        pages.remove(page);
    }

    synchronized int size() {
        return pages.size();
    }
}
