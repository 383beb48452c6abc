package org.cnt.blockdev.internal;

import java.io.IOException;

/**
 * Whole pages of a device, numbered from 0: what the byte-addressed device sits on (the
 * encrypted remote volume behind a write-back log, or memory in tests). A page never written
 * or trimmed reads as zeros.
 */
interface PageStore extends AutoCloseable {
    int PAGE_BYTES = PageCipher.PAGE_BYTES;

    long pageCount();

    void readPage(long page, byte[] into) throws IOException;

    /**
     * Reads pages {@code [first, first + count)} into {@code into}: a store that fetches pages
     * from far away fetches a run at once.
     */
    default void readPages(long first, int count, byte[] into) throws IOException {
        byte[] page = new byte[PAGE_BYTES];
        for (int i = 0; i < count; i++) {
            readPage(first + i, page);
            System.arraycopy(page, 0, into, i * PAGE_BYTES, PAGE_BYTES);
        }
    }

    /** Takes a copy: the caller reuses {@code from}. */
    void writePage(long page, byte[] from) throws IOException;

    void trimPage(long page) throws IOException;

    /** Returns once every earlier write and trim is durable. */
    void flush() throws IOException;

    @Override
    void close() throws IOException;
}
