package org.cnt.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need FUSE skip on a machine without it, except where {@code cnt.requireFuse} is set
 * (CI), where its absence fails them.
 */
final class FuseAvailable {
    private FuseAvailable() {
    }

    static void assume(String... tools) {
        StringBuilder missing = new StringBuilder();
        if (!Files.exists(Path.of("/dev/fuse"))) {
            missing.append(" /dev/fuse");
        }
        for (String tool : tools) {
            if (!onPath(tool)) {
                missing.append(' ').append(tool);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        if (Boolean.getBoolean("cnt.requireFuse")) {
            throw new AssertionError("FUSE is required here (cnt.requireFuse) but missing:"
                    + missing);
        }
        Assumptions.abort("no FUSE on this machine:" + missing);
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of(
                "/sbin", tool));
    }
}
