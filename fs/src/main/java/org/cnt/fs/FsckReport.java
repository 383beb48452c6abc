package org.cnt.fs;

import java.util.List;

/**
 * What {@code cnt fsck} found: each problem in plain words, what {@code --repair} fixed, and what
 * the filesystem holds. Clean means no problem is left.
 */
public record FsckReport(List<String> problems, List<String> repaired, long files,
                         long directories, long usedBlocks) {
    public FsckReport {
        problems = List.copyOf(problems);
        repaired = List.copyOf(repaired);
    }

    public boolean clean() {
        return problems.isEmpty();
    }
}
