package org.cnt.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.cnt.chain.api.Views;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.TxPayload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cnt farmer}: a farmer's transactions on the main chain. The farmer daemon itself
 * ({@code cnt farmer run}) comes with the farmer module.
 */
@Command(name = "farmer", description = "Register, update or withdraw a farmer; list farmers.",
        subcommands = {FarmerCommand.Register.class, FarmerCommand.Update.class,
            FarmerCommand.Exit.class, FarmerCommand.ListCmd.class})
final class FarmerCommand {

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
}
