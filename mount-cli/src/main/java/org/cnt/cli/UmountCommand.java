package org.cnt.cli;

import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code cnt umount}: unmounts and returns only once the mount's process has flushed every write
 * to the farmers and ended its session.
 */
@Command(name = "umount", description = "Unmount a CNT mount; returns once every write is "
        + "committed.")
final class UmountCommand implements Callable<Integer> {
    @Mixin
    Common common;

    @Parameters(paramLabel = "MOUNTPOINT")
    Path mountpoint;

    @Override
    public Integer call() throws Exception {
        Path target = mountpoint.toAbsolutePath().normalize();
        Path home = common.context().home();
        OptionalLong pid = MountRecord.pid(home, target);
        if (!Mountpoint.isMounted(target)) {
            if (pid.isEmpty()) {
                throw new CliException(target + " is not mounted");
            }
        } else {
            Mountpoint.unmount(target, false);
        }
        if (pid.isPresent()) {
            ProcessHandle process = ProcessHandle.of(pid.getAsLong()).orElse(null);
            if (process != null) {
                common.out().println("unmounted " + target + "; waiting for the last writes to "
                        + "commit...");
                common.out().flush();
                process.onExit().get(30, TimeUnit.MINUTES);
            }
        }
        common.out().println("unmounted " + target + "; every write is committed");
        return 0;
    }
}
