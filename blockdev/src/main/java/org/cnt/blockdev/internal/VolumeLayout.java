package org.cnt.blockdev.internal;

/**
 * Where each page of a volume's device lives in its slices (in lease order). Every slice starts
 * with seal pages, then holds data pages: a page and its seal are in the same slice, so one Wop
 * batch writes both and they commit together (never a page without the seal that opens it).
 * The device is the data pages only, so it is a little smaller than the space rented (3 pages
 * in 256 for 1 MiB slices).
 */
final class VolumeLayout {
    static final int PAGE_BYTES = PageCipher.PAGE_BYTES;
    static final int SEALS_PER_PAGE = PAGE_BYTES / PageSeal.SIZE_BYTES;

    /** A device page: its slice (ordinal in the volume), and byte offsets inside that slice. */
    record Place(int slice, int dataOffsetBytes, int sealOffsetBytes) {
    }

    private final int sliceCount;
    private final int sealPagesPerSlice;
    private final int dataPagesPerSlice;

    VolumeLayout(int sliceCount, int sliceSizeBytes) {
        int pages = sliceSizeBytes / PAGE_BYTES;
        if (sliceCount < 1 || sliceSizeBytes % PAGE_BYTES != 0 || pages < 2) {
            throw new IllegalArgumentException("a volume needs slices of at least two "
                    + PAGE_BYTES + "-byte pages, not " + sliceCount + " of " + sliceSizeBytes
                    + " bytes");
        }
        this.sliceCount = sliceCount;
        int seals = 1;
        while ((long) seals * SEALS_PER_PAGE < pages - seals) {
            seals++;
        }
        this.sealPagesPerSlice = seals;
        this.dataPagesPerSlice = pages - seals;
    }

    long pageCount() {
        return (long) sliceCount * dataPagesPerSlice;
    }

    long sizeBytes() {
        return pageCount() * PAGE_BYTES;
    }

    int dataPagesPerSlice() {
        return dataPagesPerSlice;
    }

    int sealPagesPerSlice() {
        return sealPagesPerSlice;
    }

    Place place(long page) {
        if (page < 0 || page >= pageCount()) {
            throw new IndexOutOfBoundsException("page " + page + " of a " + pageCount()
                    + "-page volume");
        }
        int slice = (int) (page / dataPagesPerSlice);
        int index = (int) (page % dataPagesPerSlice);
        return new Place(slice, (sealPagesPerSlice + index) * PAGE_BYTES,
                index / SEALS_PER_PAGE * PAGE_BYTES + index % SEALS_PER_PAGE
                        * PageSeal.SIZE_BYTES);
    }
}
