package org.cnt.farmer.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.cnt.farmer.FarmerException;

/** A farmer pledges only space it has: free space plus what its replica files already hold. */
final class DiskPledge {
    private DiskPledge() {
    }

    static void check(Path dir, Path chunkDir, long capacityBytes) throws FarmerException {
        try {
            Files.createDirectories(chunkDir);
            Path probe = Files.createTempFile(dir, ".write-probe", "");
            Files.delete(probe);
        } catch (IOException e) {
            String why = switch (e) {
                case java.nio.file.AccessDeniedException denied -> "permission denied";
                case java.nio.file.NoSuchFileException missing -> "it cannot be created there";
                case java.nio.file.FileSystemException fs when fs.getReason() != null ->
                        fs.getReason();
                default -> e.toString();
            };
            throw new FarmerException("the data directory " + dir + " is not writable ("
                    + why + ")");
        }
        long held;
        long free;
        try (Stream<Path> files = Files.list(chunkDir)) {
            held = files.filter(p -> p.toString().endsWith(".replica"))
                    .mapToLong(p -> p.toFile().length()).sum();
            free = Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            throw new FarmerException("cannot measure free space in " + dir + ": "
                    + e.getMessage());
        }
        if (capacityBytes > free + held) {
            throw new FarmerException("cannot pledge " + mib(capacityBytes) + ": " + dir
                    + " has " + mib(free) + " free" + (held > 0 ? " plus " + mib(held)
                    + " in replicas" : "") + "; free space or pledge less with --capacity");
        }
    }

    private static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }
}
