package org.cnt.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.OptionalLong;

/**
 * A file naming the process that serves something (the devnet, a mount): its first word is the
 * pid, the rest a note. A file whose process is gone is stale and names nothing.
 */
final class PidFile {
    private PidFile() {
    }

    static void write(Path file, long pid, String note) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, pid + (note.isEmpty() ? "" : " " + note) + "\n");
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The live process the file names, if any. */
    static OptionalLong live(Path file) {
        try {
            long pid = Long.parseLong(Files.readString(file).trim().split(" ", 2)[0]);
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
                    ? OptionalLong.of(pid) : OptionalLong.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    static void remove(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A stale file names a dead process, which live() ignores.
        }
    }
}
