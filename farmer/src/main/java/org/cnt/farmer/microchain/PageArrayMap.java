package org.cnt.farmer.microchain;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * An unmodifiable map view of a chunk's pages (index to content, absent where null), each page
 * read when asked: a snapshot of a chunk costs nothing until a peer needs it.
 */
final class PageArrayMap extends AbstractMap<Integer, byte[]> {
    private final int count;
    private final IntFunction<byte[]> pages;
    private int size = -1;

    PageArrayMap(int count, IntFunction<byte[]> pages) {
        this.count = count;
        this.pages = pages;
    }

    @Override
    public byte[] get(Object key) {
        return key instanceof Integer index && index >= 0 && index < count
                ? pages.apply(index) : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public int size() {
        if (size < 0) {
            int present = 0;
            for (int index = 0; index < count; index++) {
                present += pages.apply(index) != null ? 1 : 0;
            }
            size = present;
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
                        while (index < count && pages.apply(index) == null) {
                            index++;
                        }
                        return index;
                    }

                    @Override
                    public boolean hasNext() {
                        return next < count;
                    }

                    @Override
                    public Entry<Integer, byte[]> next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        Entry<Integer, byte[]> entry = Map.entry(next, pages.apply(next));
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
