package org.cnt.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.cnt.chain.api.NodeApiException;
import org.cnt.chain.api.NodeClient;
import org.cnt.chain.api.Views;
import org.cnt.chain.crypto.Address;
import org.cnt.chain.crypto.KeyFile;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.types.Amounts;
import org.cnt.chain.types.ChainParams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cnt devnet}: the local network everything runs on during development and tests. */
@Command(name = "devnet", description = "Run a local network: a consensus node and farmers on "
        + "loopback under HOME/devnet, with the default wallet funded.",
        subcommands = {DevnetCommand.Up.class, DevnetCommand.Status.class,
            DevnetCommand.Down.class})
final class DevnetCommand {
    private static final long READY_TIMEOUT_MS = 180_000;

    /** Starts it, in the foreground or detached. */
    @Command(name = "up", description = {"Start the devnet (create it on first use).",
        "In the foreground until Ctrl-C or SIGTERM; with --detach in the background."})
    static final class Up implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--farmers", defaultValue = "4",
                description = "farmers to run (default: ${DEFAULT-VALUE}; a copy group is 4)")
        int farmers;

        @Option(names = "--farmer-capacity", paramLabel = "SIZE", defaultValue = "1G",
                description = "disk each farmer pledges, first run only (default: "
                        + "${DEFAULT-VALUE})")
        String farmerCapacity;

        @Option(names = "--chunk-size", paramLabel = "SIZE", defaultValue = "64M",
                description = "chunk size of a new devnet (default: ${DEFAULT-VALUE})")
        String chunkSize;

        @Option(names = "--port", defaultValue = "7070",
                description = "the node's API port on a new devnet (default: ${DEFAULT-VALUE}; "
                        + "0 picks a free one)")
        int port;

        @Option(names = "--detach", description = "run in the background; 'cnt devnet down' "
                + "stops it")
        boolean detach;

        @Override
        public Integer call() throws Exception {
            Context context = common.context();
            Devnet devnet = new Devnet(context.home());
            OptionalLong running = devnet.runningPid();
            if (running.isPresent()) {
                throw new CliException("the devnet is already running (pid "
                        + running.getAsLong() + "); see 'cnt devnet status'");
            }
            if (farmers < 4) {
                throw new CliException("a copy group has 4 members: run at least 4 farmers");
            }
            Address wallet = defaultWallet(context, common.out());
            if (detach) {
                startDetached(context, common.out(), farmers, farmerCapacity, chunkSize, port);
                return 0;
            }
            Devnet.Shape wanted = new Devnet.Shape(farmers,
                    Sizes.parseBytes(farmerCapacity, ChainParams.MB), port, List.of(),
                    Sizes.parseBytes(chunkSize, ChainParams.MB));
            LocalNetwork net = devnet.start(wanted, wallet);
            Thread hook = new Thread(() -> {
                net.close();
                devnet.stopped();
            }, "devnet-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            common.out().println("devnet up: node " + net.nodeUrl() + ", " + net.farmers().size()
                    + " farmers (ports " + net.farmerPorts() + "), state in " + devnet.root());
            common.out().println("default wallet " + wallet + "; stop with Ctrl-C or 'cnt "
                    + "devnet down'");
            common.out().flush();
            Thread.currentThread().join();
            return 0;
        }

    }

    /** Creates the default wallet on first use: the devnet's genesis funds it. */
    static Address defaultWallet(Context context, java.io.PrintWriter out) throws Exception {
        Path file = context.home().resolve("keys").resolve("default.json");
        if (!Files.exists(file)) {
            KeyFile.write(file, KeyPair.generate(), null, 0);
            out.println("created the default wallet in " + file);
        }
        return KeyFile.address(file);
    }

    /** Runs {@code cnt devnet up} as a child process and waits until it serves. */
    static void startDetached(Context context, java.io.PrintWriter out, int farmers,
                              String farmerCapacity, String chunkSize, int port)
            throws Exception {
        Devnet devnet = new Devnet(context.home());
        Files.createDirectories(devnet.root());
        List<String> command = SelfCommand.with(List.of("--home", context.home().toString(),
                "devnet", "up", "--farmers", Integer.toString(farmers), "--farmer-capacity",
                farmerCapacity, "--chunk-size", chunkSize, "--port", Integer.toString(port)));
        Process child = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(devnet.logFile().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            if (!child.isAlive()) {
                throw new CliException("the devnet did not start; see " + devnet.logFile());
            }
            String url = Devnet.nodeUrl(context.home());
            if (url != null && ready(new NodeClient(url), farmers)) {
                out.println("devnet up in the background (pid " + child.pid()
                        + "): node " + url + ", " + farmers + " farmers; log "
                        + devnet.logFile());
                out.flush();
                return;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        child.destroy();
        throw new CliException("the devnet did not become ready in "
                + READY_TIMEOUT_MS / 1000 + " s; see " + devnet.logFile());
    }

    /** Every farmer registered and the node serving: volumes can be rented. */
    static boolean ready(NodeClient node, int farmers) {
        try {
            return node.farmers().stream().filter(f -> f.status().equals("active")).count()
                    >= farmers && node.chunks().stream().anyMatch(Views.Chunk::full);
        } catch (NodeApiException e) {
            return false;
        }
    }

    /** What runs, and the wallet's balance. */
    @Command(name = "status", description = "Is the devnet running; its node, farmers and the "
            + "default wallet's balance.")
    static final class Status implements Callable<Integer> {
        @Mixin
        Common common;

        /** The status as --json prints it. */
        record Report(boolean running, Long pid, String nodeUrl, Long height, int farmers,
                      String walletAddress, String walletBalanceCnt, String dir) {
        }

        @Override
        public Integer call() throws Exception {
            Context context = common.context();
            Devnet devnet = new Devnet(context.home());
            OptionalLong pid = devnet.runningPid();
            Path wallet = context.home().resolve("keys").resolve("default.json");
            String address = Files.exists(wallet) ? KeyFile.address(wallet).toString() : null;
            Report report;
            if (pid.isEmpty()) {
                report = new Report(false, null, null, null, 0, address, null,
                        devnet.root().toString());
            } else {
                String url = Devnet.nodeUrl(context.home());
                NodeClient node = new NodeClient(url);
                Views.Status status = node.status();
                long active = node.farmers().stream().filter(f -> f.status().equals("active"))
                        .count();
                String balance = address == null ? null : Amounts.format(node.account(
                        Address.parse(address)).balanceUcnt());
                report = new Report(true, pid.getAsLong(), url, status.height(), (int) active,
                        address, balance, devnet.root().toString());
            }
            return common.emit(report, out -> {
                if (!report.running()) {
                    out.println("the devnet is down" + (Files.exists(devnet.root())
                            ? " (its state is kept in " + devnet.root() + "; 'cnt devnet up' "
                            + "starts it again)" : "; 'cnt devnet up' creates one"));
                    return;
                }
                out.printf("devnet running (pid %d): node %s at height %d, %d farmers%n",
                        report.pid(), report.nodeUrl(), report.height(), report.farmers());
                if (report.walletAddress() != null) {
                    out.printf("default wallet %s: %s CNT%n", report.walletAddress(),
                            report.walletBalanceCnt());
                }
            });
        }
    }

    /** Stops it cleanly. */
    @Command(name = "down", description = "Stop the devnet (its state is kept).")
    static final class Down implements Callable<Integer> {
        @Mixin
        Common common;

        @Override
        public Integer call() throws Exception {
            Devnet devnet = new Devnet(common.context().home());
            OptionalLong pid = devnet.runningPid();
            if (pid.isEmpty()) {
                common.out().println("the devnet is not running");
                return 0;
            }
            ProcessHandle process = ProcessHandle.of(pid.getAsLong()).orElseThrow();
            process.destroy();
            try {
                process.onExit().get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new CliException("the devnet (pid " + pid.getAsLong() + ") did not stop "
                        + "within 60 s");
            }
            devnet.stopped();
            common.out().println("devnet stopped; its state is kept in " + devnet.root());
            return 0;
        }
    }
}
