package org.cnt.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.cnt.chain.api.NodeApiException;
import org.cnt.chain.api.NodeClient;
import org.cnt.chain.api.TxSender;
import org.cnt.chain.api.Views;
import org.cnt.chain.crypto.Address;
import org.cnt.chain.crypto.KeyFile;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.types.Amounts;
import org.cnt.chain.types.TxPayload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cnt volume}: rent, list and extend volumes. */
@Command(name = "volume", description = "Quote, rent, list, show and extend volumes.",
        subcommands = {VolumeCommand.Quote.class, VolumeCommand.Create.class,
            VolumeCommand.ListCmd.class, VolumeCommand.Show.class, VolumeCommand.Extend.class,
            VolumeCommand.Resize.class})
final class VolumeCommand {
    /** The default ceiling on what a purchase may cost above the quote (10 %). */
    static final double DEFAULT_SLIPPAGE = 0.10;

    static long maxCost(String explicit, Long quoted) throws CliException {
        if (explicit != null) {
            return Amounts.parse(explicit);
        }
        if (quoted == null) {
            throw new CliException("the chain has no unsold space-time to sell right now");
        }
        long slack = (long) Math.ceil(quoted * DEFAULT_SLIPPAGE);
        return quoted > Long.MAX_VALUE - slack ? Long.MAX_VALUE : quoted + slack;
    }

    /** Refuses before signing anything when the world disk cannot hold the request. */
    static void requireSpace(Views.Quote quote, long sizeMb) throws CliException {
        if (quote.costCnt() == null || quote.freeMb() < sizeMb) {
            throw new CliException("only " + quote.freeMb() + " MB of the world disk is free to "
                    + "rent; asked for " + sizeMb + " MB (more farmers must join first)");
        }
    }

    /** Finds a volume of the wallet by id or by name. */
    static Views.Volume find(NodeClient node, Address owner, String idOrName)
            throws NodeApiException, CliException {
        if (idOrName.matches("\\d+")) {
            return node.volume(Long.parseLong(idOrName));
        }
        for (Views.Volume volume : node.volumes(owner)) {
            if (volume.name().equals(idOrName)) {
                return volume;
            }
        }
        throw new CliException("you have no volume named '" + idOrName + "'; see 'cnt volume list'");
    }

    /** Prints the volume as the chain now has it, after a change. */
    static int showAfter(Common common, NodeClient node, long id, String headline)
            throws NodeApiException {
        Views.Volume after = node.volume(id);
        return common.emit(after, out -> {
            if (headline != null) {
                out.println(headline);
            }
            print(out, after);
        });
    }

    static void print(PrintWriter out, Views.Volume v) {
        out.printf("volume %d%s: %d MB, %s, %d slices%n", v.id(),
                v.name().isEmpty() ? "" : " (" + v.name() + ")", v.sizeMb(), v.status(),
                v.slices().size());
        out.println("  owner:   " + v.owner());
        out.println("  expires: " + Output.time(v.expirySec())
                + (v.status().equals("locked") ? "  (locked; extend before "
                        + Output.time(v.graceEndsSec()) + " to keep the data)" : ""));
    }

    /** Prices a rental. */
    @Command(name = "quote", description = "What renting SIZE for DAYS costs now.")
    static final class Quote implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--size", required = true, description = "e.g. 1024 (MB), 512M, 1G")
        String size;

        @Option(names = "--days", required = true)
        int days;

        @Override
        public Integer call() throws Exception {
            Views.Quote quote = common.context().node().quote(Sizes.parseMb(size), days);
            return common.emit(quote, out -> {
                if (quote.costCnt() == null) {
                    out.println("nothing to rent: the world disk has " + quote.freeMb()
                            + " MB free (more farmers must join first)");
                } else {
                    out.printf("%d MB for %d days: %s CNT (%.6f CNT per MB-day; %d MB free)%n",
                            quote.sizeMb(), quote.days(), quote.costCnt(),
                            quote.priceUcntPerMd() / Amounts.UCNT_PER_CNT, quote.freeMb());
                }
            });
        }
    }

    /** Rents a volume. */
    @Command(name = "create", description = "Rent a volume of SIZE for DAYS days.")
    static final class Create implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--size", required = true, description = "e.g. 1024 (MB), 512M, 1G")
        String size;

        @Option(names = "--days", required = true)
        int days;

        @Option(names = "--name", defaultValue = "", description = "a name to find it by")
        String name;

        @Option(names = "--max-cost", paramLabel = "CNT",
                description = "refuse if it costs more (default: the quote plus 10%%)")
        String maxCost;

        @Override
        public Integer call() throws Exception {
            NodeClient node = common.context().node();
            KeyPair key = common.context().key();
            long sizeMb = Sizes.parseMb(size);
            Views.Quote quote = node.quote(sizeMb, days);
            requireSpace(quote, sizeMb);
            Views.TxStatus status = TxSender.send(node, key, new TxPayload.RentVolume(name, sizeMb,
                    days, maxCost(maxCost, quote.costUcnt())));
            Views.Volume created = newest(node.volumes(key.address()));
            return common.emit(created, out -> {
                out.println("rented for about " + quote.costCnt() + " CNT in block "
                        + status.height());
                print(out, created);
            });
        }

        private static Views.Volume newest(List<Views.Volume> volumes) throws CliException {
            return volumes.stream().max(java.util.Comparator.comparingLong(Views.Volume::id))
                    .orElseThrow(() -> new CliException("the rental was included but no volume "
                            + "shows up; check 'cnt volume list'"));
        }
    }

    /** Lists volumes. */
    @Command(name = "list", description = "List the volumes of the wallet (or of --owner).")
    static final class ListCmd implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--owner", paramLabel = "ADDRESS")
        String owner;

        @Override
        public Integer call() throws Exception {
            Address who = owner != null ? Address.parse(owner)
                    : KeyFile.address(common.context().walletFile());
            List<Views.Volume> volumes = common.context().node().volumes(who);
            return common.emit(volumes, out -> {
                if (volumes.isEmpty()) {
                    out.println("no volumes; rent one with 'cnt volume create --size 1G --days 30'");
                }
                for (Views.Volume v : volumes) {
                    out.printf("%6d  %-16s %8d MB  %-7s expires %s%n", v.id(), v.name(),
                            v.sizeMb(), v.status(), Output.time(v.expirySec()));
                }
            });
        }
    }

    /** Shows one volume. */
    @Command(name = "show", description = "Show a volume by id or name.")
    static final class Show implements Callable<Integer> {
        @Mixin
        Common common;

        @Parameters(paramLabel = "VOLUME")
        String volume;

        @Override
        public Integer call() throws Exception {
            Address owner = KeyFile.address(common.context().walletFile());
            Views.Volume v = find(common.context().node(), owner, volume);
            return common.emit(v, out -> print(out, v));
        }
    }

    /** Extends a lease. */
    @Command(name = "extend", description = "Extend a volume's lease by DAYS days.")
    static final class Extend implements Callable<Integer> {
        @Mixin
        Common common;

        @Parameters(paramLabel = "VOLUME")
        String volume;

        @Option(names = "--days", required = true)
        int days;

        @Option(names = "--max-cost", paramLabel = "CNT",
                description = "refuse if it costs more (default: the quote plus 10%%)")
        String maxCost;

        @Override
        public Integer call() throws Exception {
            NodeClient node = common.context().node();
            KeyPair key = common.context().key();
            Views.Volume v = find(node, key.address(), volume);
            Views.Quote quote = node.quote(v.sizeMb(), Math.min(days, 365));
            TxSender.send(node, key, new TxPayload.ExtendVolume(v.id(), days,
                    maxCost(maxCost, quote.costUcnt())));
            return showAfter(common, node, v.id(), "extended by " + days + " days");
        }
    }

    /** Resizes a volume. */
    @Command(name = "resize", description = "Grow (pays for the rest of the lease) or shrink "
            + "(no refund) a volume.")
    static final class Resize implements Callable<Integer> {
        @Mixin
        Common common;

        @Parameters(paramLabel = "VOLUME")
        String volume;

        @Option(names = "--size", required = true, description = "the new size, e.g. 2G")
        String size;

        @Option(names = "--max-cost", paramLabel = "CNT",
                description = "refuse if it costs more (default: the quote plus 10%%)")
        String maxCost;

        @Override
        public Integer call() throws Exception {
            NodeClient node = common.context().node();
            KeyPair key = common.context().key();
            Views.Volume v = find(node, key.address(), volume);
            long newSizeMb = Sizes.parseMb(size);
            long growMb = Math.max(0, newSizeMb - v.sizeMb());
            long daysLeft = Math.max(1, Math.ceilDiv(v.expirySec()
                    - node.status().timestampMs() / 1000, 86_400L));
            Long quoted = 0L;
            if (growMb > 0) {
                Views.Quote quote = node.quote(growMb, (int) Math.min(365, daysLeft));
                requireSpace(quote, growMb);
                quoted = quote.costUcnt();
            }
            TxSender.send(node, key, new TxPayload.ResizeVolume(v.id(), newSizeMb,
                    maxCost(maxCost, quoted)));
            return showAfter(common, node, v.id(), null);
        }
    }
}
