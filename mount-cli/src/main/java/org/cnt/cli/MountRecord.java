package org.cnt.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
        Path file = file(home, mountpoint);
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, pid + " " + volumeId + " " + mountpoint + "\n");
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The pid serving the mount, if a live process is recorded for it. */
    static java.util.OptionalLong pid(Path home, Path mountpoint) {
        try {
            String[] fields = Files.readString(file(home, mountpoint)).trim().split(" ", 3);
            long pid = Long.parseLong(fields[0]);
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
                    ? java.util.OptionalLong.of(pid) : java.util.OptionalLong.empty();
        } catch (IOException | RuntimeException e) {
            return java.util.OptionalLong.empty();
        }
    }

    static void remove(Path home, Path mountpoint) {
        try {
            Files.deleteIfExists(file(home, mountpoint));
        } catch (IOException e) {
            // A stale record names a dead process; the next reader ignores it.
        }
    }
}
