package org.cnt.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code cnt mount --daemon}: the same mount in a child process of its own session (so closing
 * the terminal does not end it), logging to a file; returns once the mount is up, or with the
 * child's last words when it failed.
 */
final class MountDaemon {
    private static final long READY_TIMEOUT_MS = 300_000;

    private MountDaemon() {
    }

    static int start(Common common, Context context, Path target) throws Exception {
        List<String> args = new ArrayList<>(common.spec.commandLine().getParseResult()
                .originalArgs());
        args.removeIf(arg -> arg.equals("--daemon"));
        Path logs = Files.createDirectories(context.home().resolve("logs"));
        Path log = logs.resolve("mount-" + Integer.toHexString(target.toString().hashCode())
                + ".log");
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid");
        }
        command.addAll(SelfCommand.with(args));
        Process child = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            if (Mountpoint.isCntMount(target)) {
                common.out().println("mounted " + target + " in the background (pid "
                        + child.pid() + ", log " + log + "); unmount with 'cnt umount " + target
                        + "'");
                return 0;
            }
            if (!child.isAlive()) {
                throw new CliException("the mount failed: " + lastLine(log));
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        child.destroy();
        throw new CliException("the mount did not come up in " + READY_TIMEOUT_MS / 1000
                + " s; see " + log);
    }

    private static String lastLine(Path log) throws java.io.IOException {
        List<String> lines = Files.readAllLines(log);
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith("cnt: ")) {
                return lines.get(i).substring(5);
            }
        }
        return "see " + log;
    }
}
