package org.cnt.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.cnt.blockdev.VolumeConfig;
import org.cnt.blockdev.VolumeInUseException;
import org.cnt.blockdev.internal.OpenVolume;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.types.ChainParams;
import picocli.CommandLine.Option;

/**
 * The options every command that opens a volume shares (which volume, its caches, taking over
 * from a vanished client), and the opening itself, with its failures in one line.
 */
final class VolumeAccess {
    @Option(names = "--cache-size", paramLabel = "SIZE", defaultValue = "1G",
            description = "the write-back cache on disk (default: ${DEFAULT-VALUE})")
    String cacheSize;

    @Option(names = "--read-cache", paramLabel = "SIZE", defaultValue = "256M",
            description = "clean pages kept in memory (default: ${DEFAULT-VALUE})")
    String readCache;

    @Option(names = "--force", description = "take over a volume whose last client vanished "
            + "(only once its session lease ran out)")
    boolean force;

    /** Opens the wallet's volume {@code idOrName}. */
    OpenVolume open(Context context, String idOrName) throws Exception {
        KeyPair key = context.key();
        long volumeId = VolumeCommand.find(context.node(), key.address(), idOrName).id();
        long cacheBytes = Sizes.parseBytes(cacheSize, ChainParams.MB);
        long readCacheBytes = Sizes.parseBytes(readCache, ChainParams.MB);
        Path cacheDir = context.home().resolve("cache").resolve(Long.toString(volumeId));
        try {
            return OpenVolume.open(new VolumeConfig(context.nodeUrl(), key, volumeId, cacheDir,
                    cacheBytes, readCacheBytes, force, VolumeConfig.thisClient()));
        } catch (VolumeInUseException e) {
            throw new CliException(e.getMessage());
        } catch (IOException e) {
            throw new CliException("could not open volume " + volumeId + ": " + e.getMessage());
        }
    }
}
