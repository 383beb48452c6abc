package org.cnt.cli;

import java.util.concurrent.Callable;
import org.cnt.blockdev.internal.OpenVolume;
import org.cnt.fs.Caller;
import org.cnt.fs.FsClock;
import org.cnt.fs.internal.CntFilesystem;
import org.cnt.fs.internal.Fsck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cnt mkfs VOLUME}: a new, empty CNT filesystem on a volume. */
@Command(name = "mkfs", description = {"Make a new, empty CNT file system on a volume.",
    "A volume that already holds one is left alone unless --overwrite is given."})
final class MkfsCommand implements Callable<Integer> {
    @Mixin
    Common common;

    @Mixin
    VolumeAccess access;

    @Parameters(paramLabel = "VOLUME", description = "id or name")
    String volume;

    @Option(names = "--block-size", paramLabel = "BYTES", defaultValue = "4096",
            description = "512 to 65536, a power of two (default: ${DEFAULT-VALUE})")
    int blockSize;

    @Option(names = "--overwrite", description = "replace the file system the volume holds "
            + "(everything on it is lost)")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        if (blockSize < 512 || blockSize > 65_536 || Integer.bitCount(blockSize) != 1) {
            throw new CliException("--block-size must be a power of two from 512 to 65536, not "
                    + blockSize);
        }
        try (OpenVolume device = access.open(common.context(), volume)) {
            if (!overwrite && Fsck.holdsFilesystem(device)) {
                throw new CliException("volume " + volume + " already holds a CNT file system; "
                        + "add --overwrite to replace it and lose what is on it");
            }
            ProcessOwner process = ProcessOwner.current();
            Caller owner = Caller.of(process.uid(), process.gid());
            try {
                CntFilesystem.format(device, blockSize, owner, FsClock.SYSTEM.nowNs());
            } catch (IllegalArgumentException tooSmall) {
                throw new CliException("volume " + volume + " cannot hold a file system: "
                        + tooSmall.getMessage());
            }
            common.out().printf("made a CNT file system on volume %s: %s in %d-byte blocks, "
                    + "root owned by uid %d%n", volume, Output.bytes(device.sizeBytes()),
                    blockSize, owner.uid());
        }
        return 0;
    }
}
