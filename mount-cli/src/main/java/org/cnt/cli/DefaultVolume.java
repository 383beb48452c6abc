package org.cnt.cli;

import java.io.PrintWriter;
import java.util.List;
import org.cnt.chain.api.NodeApiException;
import org.cnt.chain.api.NodeClient;
import org.cnt.chain.api.TxSender;
import org.cnt.chain.api.Views;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.types.Amounts;
import org.cnt.chain.types.TxPayload;

/**
 * The volume a mount without {@code --volume} means: the wallet's volume named "default", or
 * its only one; on the devnet, one is rented the first time (1 GiB for 30 days, the price
 * printed first). Also the checks a mount makes of any volume: its lease has not run out.
 */
final class DefaultVolume {
    static final String NAME = "default";
    static final long SIZE_MB = 1024;
    static final int DAYS = 30;

    private DefaultVolume() {
    }

    /** The volume to mount, renting the default one where {@code mayRent}. */
    static Views.Volume choose(NodeClient node, KeyPair key, String walletName, boolean mayRent,
                               PrintWriter out) throws Exception {
        List<Views.Volume> volumes = node.volumes(key.address());
        for (Views.Volume volume : volumes) {
            if (volume.name().equals(NAME)) {
                return volume;
            }
        }
        if (volumes.size() == 1) {
            return volumes.getFirst();
        }
        if (!volumes.isEmpty()) {
            throw new CliException("the wallet has " + volumes.size() + " volumes and none is "
                    + "named 'default': say which with --volume (see 'cnt volume list')");
        }
        if (!mayRent) {
            throw new CliException("the wallet has no volume: rent one with 'cnt volume create "
                    + "--size 1G --days 30 --name default', or pass --volume");
        }
        return rent(node, key, walletName, out);
    }

    private static Views.Volume rent(NodeClient node, KeyPair key, String walletName,
                                     PrintWriter out) throws Exception {
        Views.Quote quote = node.quote(SIZE_MB, DAYS);
        VolumeCommand.requireSpace(quote, SIZE_MB);
        long balance = node.account(key.address()).balanceUcnt();
        if (balance < quote.costUcnt()) {
            throw new CliException("no funds: wallet '" + walletName + "' (" + key.address()
                    + ") has " + Amounts.format(balance) + " CNT and a 1 GiB volume for 30 days "
                    + "costs " + quote.costCnt() + " CNT; get some with 'cnt --wallet default "
                    + "wallet send " + key.address() + " AMOUNT' (the devnet funds the default "
                    + "wallet)");
        }
        out.println("renting a 1 GiB volume for 30 days for " + quote.costCnt() + " CNT...");
        out.flush();
        TxSender.send(node, key, new TxPayload.RentVolume(NAME, SIZE_MB, DAYS,
                VolumeCommand.maxCost(null, quote.costUcnt())));
        for (Views.Volume volume : node.volumes(key.address())) {
            if (volume.name().equals(NAME)) {
                return volume;
            }
        }
        throw new CliException("the rental was included but no volume shows up; check 'cnt "
                + "volume list'");
    }

    /** A volume whose lease ran out cannot be mounted: say how to extend it. */
    static void requireLease(NodeClient node, Views.Volume volume) throws NodeApiException,
            CliException {
        String problem = leaseProblem(volume, node.status().timestampMs() / 1000);
        if (problem != null) {
            throw new CliException(problem);
        }
    }

    /** What is wrong with the volume's lease at chain time {@code nowSec}, or null. */
    static String leaseProblem(Views.Volume volume, long nowSec) {
        if (!volume.status().equals("locked") && volume.expirySec() > nowSec) {
            return null;
        }
        String name = volume.name().isEmpty() ? Long.toString(volume.id()) : volume.name();
        return "the lease of volume " + name + " expired on "
                + java.time.Instant.ofEpochSecond(volume.expirySec()) + "; extend it with "
                + "'cnt volume extend " + name + " --days 30' (possible until "
                + java.time.Instant.ofEpochSecond(volume.graceEndsSec()) + ")";
    }
}
