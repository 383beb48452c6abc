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

    /**
     * The absolute, normalised mountpoint, checked to be an empty directory not mounted on. A
     * CNT mount whose process is gone (killed before it could unmount) is cleared first.
     */
    static Path check(Path given, Path home, java.io.PrintWriter out) throws CliException {
        Path path = given.toAbsolutePath().normalize();
        if (isMounted(path) && isCntMount(path) && MountRecord.pid(home, path).isEmpty()) {
            abortConnection(path);
            lazyUnmount(path);
            out.println("cleared a stale mount on " + path + " left by a process that was "
                    + "killed (its writes replay from the cache)");
        }
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
        return mountEntry(path) != null;
    }

    /** Whether the mount at {@code path} is a CNT one (file system type fuse.cnt). */
    static boolean isCntMount(Path path) {
        String entry = mountEntry(path);
        return entry != null && entry.contains(" - fuse.cnt ");
    }

    private static String mountEntry(Path path) {
        String target = escape(path.toString());
        for (String line : mountTable()) {
            String[] fields = line.split(" ");
            if (fields.length > 4 && fields[4].equals(target)) {
                return line;
            }
        }
        return null;
    }

    /** Mount points at or below {@code root} (tests clean up with it). */
    static List<Path> mountedUnder(Path root) {
        List<Path> found = new java.util.ArrayList<>();
        String prefix = escape(root.toAbsolutePath().normalize().toString());
        for (String line : mountTable()) {
            String[] fields = line.split(" ");
            if (fields.length > 4 && fields[4].startsWith(prefix)) {
                found.add(Path.of(fields[4].replace("\\040", " ").replace("\\011", "\t")
                        .replace("\\012", "\n").replace("\\134", "\\")));
            }
        }
        return found;
    }

    private static List<String> mountTable() {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Fails the requests programs still wait on at a dead mount (they get ENOTCONN instead of
     * hanging), through the FUSE control file system, where it is mounted and we may.
     */
    private static void abortConnection(Path path) {
        String entry = mountEntry(path);
        if (entry == null) {
            return;
        }
        String device = entry.split(" ")[2];
        Path abort = Path.of("/sys/fs/fuse/connections", device.substring(device.indexOf(':') + 1),
                "abort");
        try {
            if (Files.exists(abort)) {
                Files.writeString(abort, "1");
            }
        } catch (IOException e) {
            // Not ours to abort: the lazy unmount still detaches it.
        }
    }

    private static void lazyUnmount(Path path) throws CliException {
        unmount(path, true);
    }

    /** {@code fusermount3 -u [-z] path}; a failure says why, in fusermount's words. */
    static void unmount(Path path, boolean lazy) throws CliException {
        List<String> command = new java.util.ArrayList<>(List.of("fusermount3", "-u"));
        if (lazy) {
            command.add("-z");
        }
        command.add(path.toString());
        try {
            Process unmount = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(unmount.getInputStream().readAllBytes()).trim();
            if (unmount.waitFor() != 0) {
                throw new CliException("could not unmount " + path + ": " + output
                        + (output.contains("busy") ? " (close the programs using it first)"
                        : ""));
            }
        } catch (IOException e) {
            throw new CliException("could not run fusermount3 (apt-get install fuse3): "
                    + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted unmounting " + path);
        }
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes. */
    private static String escape(String path) {
        return path.replace("\\", "\\134").replace(" ", "\\040").replace("\t", "\\011")
                .replace("\n", "\\012");
    }
}
