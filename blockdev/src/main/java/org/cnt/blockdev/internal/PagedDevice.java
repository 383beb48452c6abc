package org.cnt.blockdev.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.cnt.blockdev.BlockDevice;

/**
 * Byte-addressed device over whole pages: a write that covers part of a page reads the page
 * first and writes it back whole (read-modify-write); a trim of part of a page writes zeros
 * there, of whole pages drops them. Not thread-safe: the mount serialises calls per device.
 */
final class PagedDevice implements BlockDevice {
    private static final int PAGE = PageStore.PAGE_BYTES;
    private static final int MAX_RUN_PAGES = 256;
    private final PageStore pages;
    private final byte[] buffer = new byte[PAGE];

    PagedDevice(PageStore pages) {
        this.pages = pages;
    }

    @Override
    public long sizeBytes() {
        return pages.pageCount() * PAGE;
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        checkRange(offset, dst.remaining());
        long end = offset + dst.remaining();
        for (long at = offset; at < end; ) {
            long wholePages = at % PAGE == 0 ? (end - at) / PAGE : 0;
            if (wholePages > 0) {
                // Whole pages go to the store as a run: far away, a run is one round trip.
                int count = (int) Math.min(wholePages, MAX_RUN_PAGES);
                byte[] run = new byte[count * PAGE];
                pages.readPages(at / PAGE, count, run);
                dst.put(run);
                at += (long) count * PAGE;
                continue;
            }
            int inPage = (int) (at % PAGE);
            int length = (int) Math.min(PAGE - inPage, end - at);
            pages.readPage(at / PAGE, buffer);
            dst.put(buffer, inPage, length);
            at += length;
        }
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        forEachPagePart(offset, src.remaining(), (page, inPage, length) -> {
            if (length < PAGE) {
                pages.readPage(page, buffer);
            }
            src.get(buffer, inPage, length);
            pages.writePage(page, buffer);
        });
    }

    @Override
    public void trim(long offset, long lengthBytes) throws IOException {
        forEachPagePart(offset, lengthBytes, (page, inPage, length) -> {
            if (length == PAGE) {
                pages.trimPage(page);
            } else {
                pages.readPage(page, buffer);
                Arrays.fill(buffer, inPage, inPage + length, (byte) 0);
                pages.writePage(page, buffer);
            }
        });
    }

    /** The part of one page a byte range covers. */
    private interface PagePart {
        void apply(long page, int inPage, int length) throws IOException;
    }

    /** Splits a range of the device (checked to fit) at page boundaries, in order. */
    private void forEachPagePart(long offset, long lengthBytes, PagePart part)
            throws IOException {
        checkRange(offset, lengthBytes);
        long end = offset + lengthBytes;
        for (long at = offset; at < end; ) {
            int inPage = (int) (at % PAGE);
            int length = (int) Math.min(PAGE - inPage, end - at);
            part.apply(at / PAGE, inPage, length);
            at += length;
        }
    }

    @Override
    public void flush() throws IOException {
        pages.flush();
    }

    @Override
    public void close() throws IOException {
        pages.flush();
        pages.close();
    }

    private void checkRange(long offset, long lengthBytes) {
        if (offset < 0 || lengthBytes < 0 || offset > sizeBytes() - lengthBytes) {
            throw new IllegalArgumentException(lengthBytes + " bytes at " + offset
                    + " do not fit the " + sizeBytes() + "-byte device");
        }
    }
}
