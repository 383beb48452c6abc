package org.cnt.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the built {@code cnt} distribution as separate processes with their own CNT_HOME, and
 * kills every process it started (by PID) when closed, whatever happened in the test.
 */
final class CntProcesses implements AutoCloseable {
    private static final Pattern SERVING = Pattern.compile("serving (http://[0-9.]+:[0-9]+)");
    private static final Pattern FARMING = Pattern.compile("farmer serving on port ([0-9]+)");
    private final List<ProcessHandle> adopted = new ArrayList<>();
    private static final Pattern MOUNTED = Pattern.compile("mounted on (\\S+)");

    /** A finished command. */
    record Result(int code, String out, String err) {
    }

    /** A running node and the URL it announced. */
    record Node(Process process, String url) {
    }

    /** A running farmer and the port it announced. */
    /** {@code log} is the farmer's stderr, where its logs go. */
    record Farmer(Process process, int port, Path log) {
    }

    private final Path home;
    private final Path jar;
    private final List<Process> started = new ArrayList<>();
    /** Pipe readers block for the life of a process, so they get threads of their own. */
    private final ExecutorService readers = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon(true).name("cnt-pipe-", 0).factory());

    CntProcesses(Path home) {
        this.home = home;
        String built = System.getProperty("cnt.jar");
        if (built == null || !Files.exists(Path.of(built))) {
            throw new IllegalStateException("run through 'mvn verify': the cnt.jar built by the "
                    + "package phase is needed (cnt.jar=" + built + ")");
        }
        this.jar = Path.of(built);
    }

    /** The command line of {@code cnt ARGS} with this home, for a shell to run. */
    List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of("env", "CNT_HOME=" + home));
        command.addAll(builder(List.of(args)).command());
        return command;
    }

    private ProcessBuilder builder(List<String> args) {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseZGC", "-jar", jar.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("CNT_HOME", home.toString());
        builder.environment().remove("CNT_NODE");
        builder.environment().remove("CNT_PASSPHRASE");
        return builder;
    }

    /** Runs a command to completion (at most 90 s). */
    Result run(String... args) throws IOException, InterruptedException {
        return complete(builder(List.of(args)).start(), "cnt " + String.join(" ", args), 90);
    }

    private Result complete(Process process, String what, long timeoutSec)
            throws InterruptedException, IOException {
        started.add(process);
        process.getOutputStream().close();
        CompletableFuture<String> out = drain(process, false);
        CompletableFuture<String> err = drain(process, true);
        if (!process.waitFor(timeoutSec, TimeUnit.SECONDS)) {
            // SIGQUIT: the JVM prints every thread's stack, which says where it waits.
            new ProcessBuilder("kill", "-QUIT", Long.toString(process.pid())).start()
                    .waitFor(5, TimeUnit.SECONDS);
            TimeUnit.SECONDS.sleep(2);
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            String output = out.getNow("") + err.getNow("");
            try {
                output = out.get(5, TimeUnit.SECONDS) + err.get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException
                     | java.util.concurrent.TimeoutException e) {
                // what was read so far is shown
            }
            throw new AssertionError(what + " did not finish in " + timeoutSec + " s; its output "
                    + "and threads:\n" + output);
        }
        return new Result(process.exitValue(), out.join(), err.join());
    }

    /** Starts {@code cnt node run ...} and waits (at most 60 s) until it announces its URL. */
    Node startNode(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("node", "run"));
        all.addAll(List.of(args));
        Started daemon = startDaemon(all, SERVING, "node");
        return new Node(daemon.process(), daemon.announced());
    }

    /**
     * Starts {@code cnt [global options] farmer run ...}: {@code args} holds everything after
     * {@code cnt}. Waits (at most 90 s) until the farmer announces its port.
     */
    Farmer startFarmer(String... args) throws Exception {
        Started daemon = startDaemon(List.of(args), FARMING, "farmer");
        return new Farmer(daemon.process(), Integer.parseInt(daemon.announced()), daemon.log());
    }

    private record Started(Process process, String announced, Path log) {
    }

    private Started startDaemon(List<String> args, Pattern announcement, String kind)
            throws Exception {
        return startDaemon(args, announcement, kind, 90);
    }

    private Started startDaemon(List<String> args, Pattern announcement, String kind,
                                int timeoutSec) throws Exception {
        Path log = home.resolve(kind + "-" + started.size() + ".log");
        ProcessBuilder builder = builder(args);
        builder.redirectError(log.toFile());
        Process process = builder.start();
        started.add(process);
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        CompletableFuture<String> found = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    Matcher m = announcement.matcher(line);
                    if (m.find()) {
                        return m.group(1);
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        }, readers);
        String announced = found.get(timeoutSec, TimeUnit.SECONDS);
        if (announced == null) {
            throw new AssertionError("the " + kind + " exited before serving: "
                    + Files.readString(log));
        }
        readers.execute(() -> lines.lines().forEach(line -> { }));
        return new Started(process, announced, log);
    }

    /**
     * Starts {@code cnt mount ...} and waits (at most 90 s) until it announces the mount. Its
     * pid is the mount's; {@link #close} kills it if it still runs.
     */
    Process startMount(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("mount"));
        all.addAll(List.of(args));
        return startDaemon(all, MOUNTED, "mount", 300).process();
    }

    /** Runs a program that is not cnt (mkfs, fuse2fs, e2fsck) to completion, at most 10 min. */
    Result tool(String... command) throws IOException, InterruptedException {
        return complete(new ProcessBuilder(command).start(), String.join(" ", command), 600);
    }

    /** Starts a program that is not cnt and leaves it running (stopped by {@link #close}). */
    Process startTool(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(home.resolve("tool-" + started.size() + ".log").toFile()).start();
        started.add(process);
        return process;
    }

    /** SIGKILL, as {@code kill -9}: no shutdown hook runs. */
    static void killHard(Process process) throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("process " + process.pid() + " survived SIGKILL");
        }
    }

    private CompletableFuture<String> drain(Process process, boolean stderr) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String((stderr ? process.getErrorStream() : process.getInputStream())
                        .readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }, readers);
    }

    /**
     * Kills every process it started, the devnet a detached {@code devnet up} left running
     * (by the pid it recorded), and lazily unmounts whatever is still mounted under
     * {@code mountRoot} (null: nothing).
     */
    /** A process a cnt command started in the background, stopped by {@link #close} too. */
    void adopt(long pid) {
        ProcessHandle.of(pid).ifPresent(adopted::add);
    }

    void close(Path mountRoot) throws InterruptedException {
        for (ProcessHandle process : adopted) {
            process.destroyForcibly();
            process.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        }
        for (Process process : started) {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
        try {
            long pid = Long.parseLong(Files.readString(home.resolve("devnet")
                    .resolve("devnet.pid")).trim());
            ProcessHandle.of(pid).ifPresent(devnet -> {
                devnet.destroyForcibly();
                devnet.onExit().orTimeout(30, TimeUnit.SECONDS).join();
            });
        } catch (IOException | NumberFormatException e) {
            // no devnet was detached
        }
        if (mountRoot != null) {
            for (Path mounted : Mountpoint.mountedUnder(mountRoot)) {
                try {
                    Mountpoint.unmount(mounted, true);
                } catch (CliException e) {
                    // already gone
                }
            }
        }
        readers.shutdownNow();
    }

    @Override
    public void close() throws InterruptedException {
        close(null);
    }
}
