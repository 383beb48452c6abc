package org.cnt.farmer.microchain;

/**
 * The pages beneath a chunk's recent writes: on a farmer, the replica's file; in the simulator,
 * memory. {@link ChunkState} keeps only the pages written at recent heights; every other page is
 * read from here, so a farmer's heap does not grow with the data it stores.
 */
public interface PageBase {
    /** The page's stored content (a fresh array the caller may keep), or null for zeros. */
    byte[] read(int page);
}
