package org.cnt.fs;

/** What {@code statfs} shows: data blocks and inodes, in all and free. */
public record FsStats(int blockSizeBytes, long totalBlocks, long freeBlocks, long totalInodes,
                      long freeInodes, int maxNameBytes) {
}
