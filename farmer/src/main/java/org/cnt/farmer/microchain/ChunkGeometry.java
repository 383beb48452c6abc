package org.cnt.farmer.microchain;

/**
 * Sizes of one chunk: pages (the unit of hashing and encryption), slices (the unit of renting and
 * write permission) and the chunk. Production uses 4 KiB pages, 1 MiB slices, 64 MiB chunks;
 * tests use a few bytes, which find more boundary bugs.
 */
public record ChunkGeometry(int pageSizeBytes, int sliceSizeBytes, long chunkSizeBytes) {

    public ChunkGeometry {
        if (pageSizeBytes < 1 || Integer.bitCount(pageSizeBytes) != 1
                || sliceSizeBytes % pageSizeBytes != 0 || sliceSizeBytes < pageSizeBytes
                || chunkSizeBytes % sliceSizeBytes != 0 || chunkSizeBytes < sliceSizeBytes
                || chunkSizeBytes / pageSizeBytes > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("pages must be a power of two that divides slices, "
                    + "slices must divide the chunk: page " + pageSizeBytes + ", slice "
                    + sliceSizeBytes + ", chunk " + chunkSizeBytes);
        }
    }

    public static ChunkGeometry production(long chunkSizeBytes, int sliceSizeBytes) {
        return new ChunkGeometry(4096, sliceSizeBytes, chunkSizeBytes);
    }

    public int pageCount() {
        return (int) (chunkSizeBytes / pageSizeBytes);
    }

    public int sliceCount() {
        return (int) (chunkSizeBytes / sliceSizeBytes);
    }
}
