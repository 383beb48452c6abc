package org.cnt.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.cnt.chain.crypto.Hash;

/**
 * Which process serves a mount: {@code HOME/mounts/<hash of the mountpoint>}, holding its pid,
 * so {@code cnt umount} can wait for that process to finish flushing.
 */
final class MountRecord {
    private MountRecord() {
    }

    private static Path file(Path home, Path mountpoint) {
        return home.resolve("mounts").resolve(Hash.sha256(mountpoint.toString()
                .getBytes(StandardCharsets.UTF_8)).toString().substring(0, 16) + ".pid");
    }

    static void write(Path home, Path mountpoint, long pid, long volumeId) throws IOException {
        PidFile.write(file(home, mountpoint), pid, volumeId + " " + mountpoint);
    }

    /** The pid serving the mount, if a live process is recorded for it. */
    static java.util.OptionalLong pid(Path home, Path mountpoint) {
        return PidFile.live(file(home, mountpoint));
    }

    static void remove(Path home, Path mountpoint) {
        PidFile.remove(file(home, mountpoint));
    }
}
