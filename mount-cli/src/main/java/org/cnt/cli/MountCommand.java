package org.cnt.cli;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.cnt.blockdev.internal.OpenVolume;
import org.cnt.chain.api.NodeClient;
import org.cnt.chain.api.Views;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.fs.Caller;
import org.cnt.fs.CorruptFilesystemException;
import org.cnt.fs.FsClock;
import org.cnt.fs.FsOptions;
import org.cnt.fs.fuse.FuseAdapter;
import org.cnt.fs.fuse.FuseContext;
import org.cnt.fs.internal.CntFilesystem;
import org.cnt.fs.internal.Fsck;
import org.cryptomator.jfuse.api.Fuse;
import org.cryptomator.jfuse.api.FuseBuilder;
import org.cryptomator.jfuse.api.FuseOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cnt mount MOUNTPOINT}: the volume's CNT file system on FUSE, in the foreground until it
 * is unmounted ({@code cnt umount}, {@code fusermount3 -u}, Ctrl-C or SIGTERM), which commits
 * the journal, flushes every write to the farmers and closes the session before the process
 * ends. With nothing configured it starts the devnet, rents a default volume and formats it.
 * With {@code --raw} the volume appears as one file, {@code MOUNTPOINT/disk.img}.
 */
@Command(name = "mount", description = {"Mount a volume's file system.",
    "With nothing configured: starts the devnet, rents a 1 GiB volume for 30 days (the price is "
        + "printed first), formats it and mounts it.",
    "With --raw the volume appears as one file, MOUNTPOINT/disk.img, to put any file system on."})
final class MountCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(MountCommand.class);
    /** Bytes at the start of a volume that must be zero for it to count as empty. */
    private static final int EMPTY_PROBE_BYTES = 1 << 20;

    @Mixin
    Common common;

    @Parameters(paramLabel = "MOUNTPOINT")
    Path mountpoint;

    @Option(names = "--raw", description = "expose the volume as MOUNTPOINT/disk.img")
    boolean raw;

    @Option(names = "--volume", paramLabel = "NAME", description = "id or name (default: the "
            + "wallet's volume named 'default', or its only one)")
    String volumeName;

    @Mixin
    VolumeAccess access;

    @Option(names = "--read-only", description = "mount read-only")
    boolean readOnly;

    @Option(names = "--format", description = "make a CNT file system on an empty volume "
            + "without asking")
    boolean format;

    @Option(names = "-o", paramLabel = "OPTION", description = "a FUSE mount option, passed "
            + "through (repeatable), e.g. -o allow_other")
    List<String> fuseOptions = new ArrayList<>();

    @Option(names = "--daemon", description = "mount in the background and return once mounted")
    boolean daemon;

    @Override
    public Integer call() throws Exception {
        Context context = common.context();
        Path target = Mountpoint.check(mountpoint, context.home(), common.out());
        FuseBuilder builder = fuseBuilder();
        if (daemon) {
            return MountDaemon.start(common, context, target);
        }
        boolean devnet = !context.networkConfigured();
        if (devnet && Devnet.nodeUrl(context.home()) == null) {
            common.out().println("no network configured: starting the devnet (stop it with "
                    + "'cnt devnet down')");
            DevnetCommand.defaultWallet(context, common.out());
            DevnetCommand.startDetached(context, common.out(), 4, "2G", "64M", 7070);
        }
        NodeClient node = context.node();
        node.status();
        KeyPair key = context.key();
        Views.Volume volume = volumeName != null
                ? VolumeCommand.find(node, key.address(), volumeName)
                : DefaultVolume.choose(node, key, context.walletName(), devnet, common.out());
        DefaultVolume.requireLease(node, volume);
        String name = volume.name().isEmpty() ? Long.toString(volume.id()) : volume.name();
        OpenVolume device = access.open(context, Long.toString(volume.id()));
        MountSession session;
        FuseOperations operations;
        // No auto_unmount: its fusermount3 watchdog (libfuse before 3.17) keeps descriptors it
        // inherited open, so programs using a killed mount could wait on it for good. Without
        // it this process is the device's only holder: killed, its programs get ENOTCONN at
        // once, and the next mount (or cnt umount) clears the dead mount point.
        List<String> options = new ArrayList<>(List.of("-osubtype=cnt"));
        try {
            if (raw) {
                session = new MountSession(context.home(), target, volume.id(), List.of(device));
                operations = new RawDiskFs(device, builder.errno(), session.destroyed::countDown);
                options.add("-ofsname=cnt-volume-" + volume.id());
            } else {
                CntFilesystem fs = openFilesystem(device, name, devnet);
                session = new MountSession(context.home(), target, volume.id(),
                        List.of(fs, device));
                operations = new FuseAdapter(fs, new FuseContext(Path.of(libfuse()))::caller,
                        builder.errno(), session.destroyed::countDown);
                options.addAll(fileSystemOptions(name));
            }
        } catch (Exception e) {
            device.close();
            throw e;
        }
        fuseOptions.forEach(option -> options.add("-o" + option));
        session.run(builder, operations, options, () -> {
            common.out().printf("volume %s mounted on %s (%s%s); unmount with 'cnt umount %s'%n",
                    name, raw ? target.resolve(RawDiskFs.IMAGE) : target,
                    Output.bytes(device.sizeBytes()), readOnly ? ", read-only" : "", target);
            common.out().flush();
        });
        return 0;
    }

    private List<String> fileSystemOptions(String name) {
        // Timeouts, inode numbers and unlink-while-open are set in init (FuseAdapter).
        List<String> options = new ArrayList<>(List.of("-ofsname=cnt:" + name,
                "-odefault_permissions"));
        if (ProcessOwner.current().uid() == 0) {
            // A mount by root serves every user, as a system disk does (the kernel checks
            // each one's permissions against the files' modes).
            options.add("-oallow_other");
        }
        if (readOnly) {
            options.add("-oro");
        }
        return options;
    }

    /** The volume's file system, made first when the volume is empty and that is wanted. */
    private CntFilesystem openFilesystem(OpenVolume device, String name, boolean devnet)
            throws Exception {
        if (!Fsck.holdsFilesystem(device)) {
            if (!isEmpty(device)) {
                throw new CliException("volume " + name + " holds something that is not a CNT "
                        + "file system (a raw disk image?): mount it with --raw, or replace it "
                        + "with 'cnt mkfs " + name + " --overwrite'");
            }
            if (readOnly) {
                throw new CliException("volume " + name + " is empty: there is no file system "
                        + "to mount read-only");
            }
            if (!devnet && !format && !confirmFormat(name)) {
                throw new CliException("volume " + name + " is empty: add --format to make a "
                        + "CNT file system on it (or run 'cnt mkfs " + name + "')");
            }
            ProcessOwner owner = ProcessOwner.current();
            CntFilesystem.format(device, CntFilesystem.DEFAULT_BLOCK_BYTES,
                    Caller.of(owner.uid(), owner.gid()), FsClock.SYSTEM.nowNs());
            common.out().println("made a CNT file system on volume " + name);
        }
        try {
            return CntFilesystem.open(device, FsOptions.DEFAULTS.withReadOnly(readOnly));
        } catch (CorruptFilesystemException e) {
            throw new CliException("volume " + name + "'s file system cannot be opened ("
                    + e.getMessage() + "); check it with 'cnt fsck " + name + "'");
        }
    }

    private static boolean isEmpty(OpenVolume device) throws java.io.IOException {
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(EMPTY_PROBE_BYTES,
                device.sizeBytes()));
        device.read(0, head);
        for (byte b : head.array()) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private boolean confirmFormat(String name) {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        String answer = console.readLine("Volume %s is empty. Make a CNT file system on it? "
                + "[y/N] ", name);
        return answer != null && answer.trim().equalsIgnoreCase("y");
    }

    /** jfuse on this machine, or the package to install. */
    static FuseBuilder fuseBuilder() throws CliException {
        if (!Files.exists(Path.of("/dev/fuse"))) {
            throw new CliException("/dev/fuse is missing: this machine (or container) has no "
                    + "FUSE; load the fuse module or run with --device /dev/fuse");
        }
        String library = libfuse();
        try {
            // Loaded now, so that a broken library is named here, not half-way into a mount.
            java.lang.foreign.SymbolLookup.libraryLookup(Path.of(library),
                    java.lang.foreign.Arena.global()).findOrThrow("fuse_new");
            FuseBuilder builder = Fuse.builder();
            builder.setLibraryPath(library);
            return builder;
        } catch (UnsupportedOperationException | UnsatisfiedLinkError
                 | IllegalArgumentException | java.util.NoSuchElementException e) {
            throw new CliException("libfuse3 is not usable (" + library + "): install it with "
                    + "'apt-get install fuse3 libfuse3-3'");
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
