package org.cnt.cli;

import java.util.concurrent.Callable;
import org.cnt.chain.api.NodeClient;
import org.cnt.chain.types.Amounts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The network at a glance: rent figures, every farmer's proofs and earnings, repairs. */
@Command(name = "status", description = "Show the network: world disk, pool and price, each "
        + "farmer's capacity, proofs and earnings, and chunks being repaired.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    Common common;

    @Override
    public Integer call() throws Exception {
        NodeClient node = common.context().node();
        NetworkReport.Network report = NetworkReport.of(node.status(), node.farmers(),
                node.chunks());
        return common.emit(report, out -> {
            out.printf("%s at height %d: %d MB world disk, %d MB leased, pool %s CNT, price %s%n",
                    report.network(), report.height(), report.worldMb(), report.leasedMb(),
                    Amounts.format(report.poolUcnt()), report.priceUcntPerMd() == null
                            ? "none (nothing left to rent)"
                            : String.format("%.6f CNT/MB-day",
                                    report.priceUcntPerMd() / Amounts.UCNT_PER_CNT));
            out.printf("space proofs every %d blocks%n", report.proofIntervalBlocks());
            for (NetworkReport.Farmer farmer : report.farmers()) {
                NetworkReport.print(out, farmer);
            }
            if (report.unhealthyChunks().isEmpty()) {
                out.println("every chunk is proven by its full group");
            }
            for (NetworkReport.Chunk chunk : report.unhealthyChunks()) {
                out.printf("chunk %d: %s (members %s, epoch %d)%n", chunk.id(), chunk.health(),
                        chunk.members(), chunk.epoch());
            }
        });
    }
}
