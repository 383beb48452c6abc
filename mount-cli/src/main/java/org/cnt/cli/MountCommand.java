package org.cnt.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cnt.blockdev.internal.OpenVolume;
import org.cnt.chain.api.Views;
import org.cryptomator.jfuse.api.Fuse;
import org.cryptomator.jfuse.api.FuseBuilder;
import org.cryptomator.jfuse.api.FuseMountFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cnt mount --raw}: a volume as one file, {@code MOUNTPOINT/disk.img}, in the foreground
 * until it is unmounted ({@code cnt umount}, {@code fusermount3 -u}, Ctrl-C or SIGTERM), which
 * flushes every write to the farmers and closes the session before the process ends.
 */
@Command(name = "mount", description = {"Mount a volume.",
    "With --raw the volume appears as one file, MOUNTPOINT/disk.img, to put any file system on "
        + "(mkfs.ext4, then fuse2fs or a loop device)."})
final class MountCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(MountCommand.class);

    @Mixin
    Common common;

    @Parameters(paramLabel = "MOUNTPOINT")
    Path mountpoint;

    @Option(names = "--raw", description = "expose the volume as MOUNTPOINT/disk.img")
    boolean raw;

    @Option(names = "--volume", required = true, paramLabel = "NAME", description = "id or name")
    String volumeName;

    @Mixin
    VolumeAccess access;

    @Override
    public Integer call() throws Exception {
        if (!raw) {
            throw new CliException("only raw volumes can be mounted so far: add --raw to get "
                    + "MOUNTPOINT/disk.img (the CNT file system comes next)");
        }
        Context context = common.context();
        Path target = Mountpoint.check(mountpoint, context.home(), common.out());
        FuseBuilder builder = fuseBuilder();
        Views.Volume volume = VolumeCommand.find(context.node(), context.key().address(),
                volumeName);
        OpenVolume device = access.open(context, Long.toString(volume.id()));
        CountDownLatch unmounted = new CountDownLatch(1);
        Fuse fuse = builder.build(new RawDiskFs(device, builder.errno(), unmounted::countDown));
        AtomicBoolean closed = new AtomicBoolean();
        Runnable shutdown = () -> {
            if (closed.compareAndSet(false, true)) {
                close(fuse, device, target);
            }
        };
        try {
            fuse.mount("cnt", target, "-oauto_unmount", "-ofsname=cnt-volume-" + volume.id(),
                    "-osubtype=cnt");
        } catch (FuseMountFailedException e) {
            device.close();
            throw new CliException("could not mount on " + target + ": " + e.getMessage());
        }
        MountRecord.write(context.home(), target, ProcessHandle.current().pid(), volume.id());
        Thread hook = new Thread(shutdown, "unmount");
        Runtime.getRuntime().addShutdownHook(hook);
        common.out().printf("volume %d (%s) mounted: %s (%s); unmount with 'cnt umount %s'%n",
                volume.id(), volume.name(), target.resolve(RawDiskFs.IMAGE),
                Output.bytes(device.sizeBytes()), target);
        common.out().flush();
        // libfuse calls destroy only when the session is torn down, not when the kernel lets go
        // of the mount (fusermount3 -u): the mount table says that.
        while (!unmounted.await(500, java.util.concurrent.TimeUnit.MILLISECONDS)
                && Mountpoint.isMounted(target)) {
            // still mounted
        }
        shutdown.run();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down (SIGTERM): the hook ran the same close.
        }
        MountRecord.remove(context.home(), target);
        return 0;
    }

    /** Unmounts if still mounted, then flushes and ends the session. */
    private static void close(Fuse fuse, OpenVolume device, Path target) {
        try {
            fuse.close();
        } catch (Exception e) {
            log.warn("unmounting {}: {}", target, e.toString());
        }
        try {
            device.close();
            log.info("volume {} flushed and closed", device.volumeId());
        } catch (java.io.IOException e) {
            log.error("closing volume {}: {} (unflushed writes stay in the cache and are sent "
                    + "at the next mount)", device.volumeId(), e.getMessage());
        }
    }

    /** jfuse on this machine, or the package to install. */
    static FuseBuilder fuseBuilder() throws CliException {
        if (!Files.exists(Path.of("/dev/fuse"))) {
            throw new CliException("/dev/fuse is missing: this machine (or container) has no "
                    + "FUSE; load the fuse module or run with --device /dev/fuse");
        }
        try {
            FuseBuilder builder = Fuse.builder();
            builder.setLibraryPath(libfuse());
            return builder;
        } catch (UnsupportedOperationException | UnsatisfiedLinkError e) {
            throw new CliException("libfuse3 is not available: install it with 'apt-get install "
                    + "fuse3 libfuse3-3'");
        }
    }

    private static String libfuse() throws CliException {
        for (String candidate : new String[] {"/lib/x86_64-linux-gnu/libfuse3.so.3",
            "/usr/lib/x86_64-linux-gnu/libfuse3.so.3", "/lib/aarch64-linux-gnu/libfuse3.so.3",
            "/usr/lib/aarch64-linux-gnu/libfuse3.so.3", "/usr/lib/libfuse3.so.3",
            "/usr/lib64/libfuse3.so.3"}) {
            if (Files.exists(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new CliException("libfuse3 is not installed: install it with 'apt-get install "
                + "fuse3 libfuse3-3'");
    }
}
