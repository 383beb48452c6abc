package org.cnt.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The user and group this process runs as: the owner of what it makes. */
record ProcessOwner(int uid, int gid) {
    static ProcessOwner current() {
        return new ProcessOwner(attribute("unix:uid"), attribute("unix:gid"));
    }

    private static int attribute(String name) {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), name);
        } catch (IOException | UnsupportedOperationException e) {
            // No /proc or unix attributes (not Linux): root's.
            return 0;
        }
    }
}
