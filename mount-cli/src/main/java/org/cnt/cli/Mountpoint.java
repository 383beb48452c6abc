package org.cnt.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Checks on a directory to mount on, each failing with the one-line reason a user can act on. */
final class Mountpoint {
    private Mountpoint() {
    }

    /** The absolute, normalised mountpoint, checked to be an empty directory not mounted on. */
    static Path check(Path given) throws CliException {
        Path path = given.toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            throw new CliException("mountpoint " + path + " does not exist; create it with "
                    + "'mkdir -p " + path + "'");
        }
        if (!Files.isDirectory(path)) {
            throw new CliException("mountpoint " + path + " is not a directory");
        }
        if (isMounted(path)) {
            throw new CliException(path + " is already mounted; unmount it with 'cnt umount "
                    + path + "'");
        }
        try (var entries = Files.list(path)) {
            if (entries.findAny().isPresent()) {
                throw new CliException("mountpoint " + path + " is not empty");
            }
        } catch (IOException e) {
            throw new CliException("cannot read mountpoint " + path + ": " + e.getMessage());
        }
        return path;
    }

    /** Whether something is mounted exactly at {@code path} (per /proc/self/mountinfo). */
    static boolean isMounted(Path path) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/self/mountinfo"),
                    StandardCharsets.UTF_8);
            String target = escape(path.toString());
            for (String line : lines) {
                String[] fields = line.split(" ");
                if (fields.length > 4 && fields[4].equals(target)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes. */
    private static String escape(String path) {
        return path.replace("\\", "\\134").replace(" ", "\\040").replace("\t", "\\011")
                .replace("\n", "\\012");
    }
}
