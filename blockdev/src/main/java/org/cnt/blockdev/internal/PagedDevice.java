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
        long at = offset;
        while (dst.hasRemaining()) {
            int inPage = (int) (at % PAGE);
            int length = Math.min(PAGE - inPage, dst.remaining());
            pages.readPage(at / PAGE, buffer);
            dst.put(buffer, inPage, length);
            at += length;
        }
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        checkRange(offset, src.remaining());
        long at = offset;
        while (src.hasRemaining()) {
            int inPage = (int) (at % PAGE);
            int length = Math.min(PAGE - inPage, src.remaining());
            if (length < PAGE) {
                pages.readPage(at / PAGE, buffer);
            }
            src.get(buffer, inPage, length);
            pages.writePage(at / PAGE, buffer);
            at += length;
        }
    }

    @Override
    public void trim(long offset, long lengthBytes) throws IOException {
        checkRange(offset, lengthBytes);
        long at = offset;
        long end = offset + lengthBytes;
        while (at < end) {
            int inPage = (int) (at % PAGE);
            int length = (int) Math.min(PAGE - inPage, end - at);
            if (length == PAGE) {
                pages.trimPage(at / PAGE);
            } else {
                pages.readPage(at / PAGE, buffer);
                Arrays.fill(buffer, inPage, inPage + length, (byte) 0);
                pages.writePage(at / PAGE, buffer);
            }
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
