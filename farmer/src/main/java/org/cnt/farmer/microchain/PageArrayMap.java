package org.cnt.farmer.microchain;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An unmodifiable map view of a page array (index to content, absent where null), so a snapshot
 * of a chunk's pages is one array copy of references instead of a map built entry by entry.
 */
final class PageArrayMap extends AbstractMap<Integer, byte[]> {
    private final byte[][] pages;
    private int size = -1;

    PageArrayMap(byte[][] pages) {
        this.pages = pages;
    }

    @Override
    public byte[] get(Object key) {
        return key instanceof Integer index && index >= 0 && index < pages.length
                ? pages[index] : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public int size() {
        if (size < 0) {
            int count = 0;
            for (byte[] page : pages) {
                count += page != null ? 1 : 0;
            }
            size = count;
        }
        return size;
    }

    @Override
    public Set<Entry<Integer, byte[]>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<Integer, byte[]>> iterator() {
                return new Iterator<>() {
                    private int next = advance(0);

                    private int advance(int from) {
                        int index = from;
                        while (index < pages.length && pages[index] == null) {
                            index++;
                        }
                        return index;
                    }

                    @Override
                    public boolean hasNext() {
                        return next < pages.length;
                    }

                    @Override
                    public Entry<Integer, byte[]> next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        Entry<Integer, byte[]> entry = Map.entry(next, pages[next]);
                        next = advance(next + 1);
                        return entry;
                    }
                };
            }

            @Override
            public int size() {
                return PageArrayMap.this.size();
            }
        };
    }
}
