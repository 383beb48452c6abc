package org.cnt.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.cnt.chain.api.TxSender;
import org.cnt.chain.api.Views;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.TxPayload;
import org.cnt.farmer.FarmerConfig;
import org.cnt.farmer.FarmerDaemon;
import org.cnt.farmer.FarmerException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cnt farmer}: run the farmer daemon, and a farmer's transactions on the main chain.
 */
@Command(name = "farmer", description = "Run a farmer; register, update or withdraw one; list "
        + "farmers.", subcommands = {FarmerCommand.Run.class, FarmerCommand.Register.class,
            FarmerCommand.Update.class, FarmerCommand.Exit.class, FarmerCommand.ListCmd.class,
            FarmerCommand.StatusCmd.class})
final class FarmerCommand {

    /** The daemon: pledge disk, register, serve the chunks the chain assigns. */
    @Command(name = "run", description = "Run the farmer daemon: register (or update) on the "
            + "main chain and serve the chunks it assigns.")
    static final class Run implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--dir", required = true, paramLabel = "DIR",
                description = "data directory: replica files and the replica log")
        Path dir;

        @Option(names = "--capacity", required = true, paramLabel = "SIZE",
                description = "space to pledge, e.g. 10G; must be free in DIR")
        String capacity;

        @Option(names = "--listen", required = true, paramLabel = "HOST:PORT",
                description = "where peers and clients connect (port 0 picks a free one)")
        String listen;

        @Option(names = "--endpoint", paramLabel = "HOST:PORT",
                description = "address registered on the chain (default: the listen address)")
        String endpoint;

        @Option(names = "--key", paramLabel = "FILE",
                description = "the farmer's key file (default: the wallet)")
        Path keyFile;

        @Override
        public Integer call() throws Exception {
            Context context = common.context();
            HostPort address = HostPort.parse(listen, "--listen");
            if (endpoint != null) {
                HostPort.parse(endpoint, "--endpoint");
            } else if (address.host().equals("0.0.0.0") || address.host().equals("::")) {
                throw new CliException("listening on every interface needs --endpoint: the "
                        + "address peers should dial");
            }
            KeyPair key = keyFile != null ? context.keyFrom(keyFile) : context.key();
            long bytes = Sizes.parseBytes(capacity, ChainParams.MB);
            FarmerConfig config = FarmerConfig.of(dir, bytes, address.host(), address.port(),
                    endpoint, context.nodeUrl(), key);
            FarmerDaemon daemon;
            try {
                daemon = FarmerDaemon.start(config);
            } catch (FarmerException e) {
                throw new CliException(e.getMessage());
            }
            Runtime.getRuntime().addShutdownHook(new Thread(daemon::close, "farmer-shutdown"));
            common.out().println("farmer serving on port " + daemon.port() + " from " + dir);
            common.out().flush();
            daemon.awaitStop();
            return 0;
        }
    }

    private static int sendAndReport(Common common, String done, TxPayload payload)
            throws Exception {
        Views.TxStatus status = TxSender.send(common.context().node(), common.context().key(),
                payload);
        return common.emit(status, out -> out.println(done + " in block " + status.height()));
    }

    /** Registers the wallet as a farmer. */
    @Command(name = "register", description = "Register the wallet as a farmer.")
    static final class Register implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--endpoint", required = true, paramLabel = "HOST:PORT")
        String endpoint;

        @Option(names = "--capacity", required = true, paramLabel = "SIZE",
                description = "pledged space, e.g. 10G")
        String capacity;

        @Override
        public Integer call() throws Exception {
            return sendAndReport(common, "registered", new TxPayload.RegisterFarmer(endpoint,
                    Sizes.parseBytes(capacity, ChainParams.MB)));
        }
    }

    /** Changes endpoint or pledge. */
    @Command(name = "update", description = "Change the farmer's endpoint or pledge.")
    static final class Update implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--endpoint", required = true, paramLabel = "HOST:PORT")
        String endpoint;

        @Option(names = "--capacity", required = true, paramLabel = "SIZE")
        String capacity;

        @Override
        public Integer call() throws Exception {
            return sendAndReport(common, "updated", new TxPayload.UpdateFarmer(endpoint,
                    Sizes.parseBytes(capacity, ChainParams.MB)));
        }
    }

    /** Withdraws the farmer. */
    @Command(name = "exit", description = "Withdraw the farmer; its replicas are reassigned.")
    static final class Exit implements Callable<Integer> {
        @Mixin
        Common common;

        @Override
        public Integer call() throws Exception {
            return sendAndReport(common, "exited", new TxPayload.ExitFarmer());
        }
    }

    /** Lists farmers. */
    @Command(name = "list", description = "List the chain's farmers.")
    static final class ListCmd implements Callable<Integer> {
        @Mixin
        Common common;

        @Override
        public Integer call() throws Exception {
            List<Views.Farmer> farmers = common.context().node().farmers();
            return common.emit(farmers, out -> {
                for (Views.Farmer f : farmers) {
                    out.printf("%4d  %-22s %10s  %d/%d replicas  %s%n", f.id(), f.endpoint(),
                            Output.bytes(f.capacityBytes()), f.assignedReplicas(),
                            f.replicaSlots(), f.status());
                }
            });
        }
    }

    /** One farmer's capacity, proofs and earnings. */
    @Command(name = "status", description = "Show a farmer (the wallet's by default): capacity "
            + "pledged, assigned and used, proofs passed and missed, earnings.")
    static final class StatusCmd implements Callable<Integer> {
        @Mixin
        Common common;

        @picocli.CommandLine.Option(names = "--id", paramLabel = "N",
                description = "the farmer's id (default: the wallet's farmer)")
        Long id;

        @Override
        public Integer call() throws Exception {
            Context context = common.context();
            var node = context.node();
            List<Views.Farmer> farmers = node.farmers();
            Views.Farmer farmer;
            if (id != null) {
                farmer = farmers.stream().filter(f -> f.id() == id).findFirst().orElseThrow(() ->
                        new CliException("no farmer " + id + " on this chain ('cnt farmer list' "
                                + "shows them)"));
            } else {
                var address = context.key().address();
                farmer = farmers.stream().filter(f -> f.address().equals(address)).findFirst()
                        .orElseThrow(() -> new CliException("the wallet " + address + " is not a "
                                + "farmer; give --id N, or 'cnt farmer run' to become one"));
            }
            NetworkReport.Farmer report = NetworkReport.farmer(node.status(), farmer,
                    node.chunks());
            return common.emit(report, out -> NetworkReport.print(out, report));
        }
    }
}
