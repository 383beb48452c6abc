package org.cnt.cli;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cnt.chain.api.Views;
import org.cnt.chain.types.Amounts;

/**
 * What {@code cnt status} and {@code cnt farmer status} show, computed from the node's views
 * alone: the chain's rent figures, each farmer's capacity (pledged, assigned to replicas, used
 * by leases), its proofs and earnings, and every chunk that is not healthy.
 */
final class NetworkReport {
    private NetworkReport() {
    }

    /** One farmer. Capacities in bytes; {@code usedBytes} are leased slices in its replicas. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Farmer(long id, String status, String endpoint, long pledgedBytes, long assignedBytes,
                  long usedBytes, int replicas, List<Long> chunks, long proofsPassed,
                  long proofsMissed, int missStreak, long earnedUcnt, String earnedCnt,
                  long serviceReports, int badDataReporters) {
    }

    /** A chunk that is not proven by its current group, and why. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Chunk(long id, String health, List<Long> members, long epoch, long provenRound) {
    }

    /** The whole picture. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Network(String network, long height, long worldMb, long leasedMb, long poolUcnt,
                   Double priceUcntPerMd, int proofIntervalBlocks, List<Farmer> farmers,
                   List<Chunk> unhealthyChunks) {
    }

    static Network of(Views.Status status, List<Views.Farmer> farmers, List<Views.Chunk> chunks) {
        List<Farmer> farmerReports = new ArrayList<>();
        for (Views.Farmer farmer : farmers) {
            farmerReports.add(farmer(status, farmer, chunks));
        }
        List<Chunk> unhealthy = new ArrayList<>();
        for (Views.Chunk chunk : chunks) {
            if (!chunk.health().equals("proven")) {
                unhealthy.add(new Chunk(chunk.id(), chunk.health(), chunk.members(),
                        chunk.epoch(), chunk.provenRound()));
            }
        }
        return new Network(status.network(), status.height(), status.figures().worldMb(),
                status.figures().leasedMb(), status.figures().poolUcnt(),
                status.priceUcntPerMd(), status.params().proofIntervalBlocks(), farmerReports,
                unhealthy);
    }

    static Farmer farmer(Views.Status status, Views.Farmer farmer, List<Views.Chunk> chunks) {
        Map<Long, Views.Chunk> byId = new HashMap<>();
        for (Views.Chunk chunk : chunks) {
            byId.put(chunk.id(), chunk);
        }
        long sliceBytes = status.params().sliceSizeBytes();
        long used = 0;
        for (long chunkId : farmer.chunks()) {
            Views.Chunk chunk = byId.get(chunkId);
            if (chunk != null) {
                used += chunk.leases().size() * sliceBytes;
            }
        }
        return new Farmer(farmer.id(), farmer.status(), farmer.endpoint(), farmer.capacityBytes(),
                farmer.assignedReplicas() * status.params().chunkSizeBytes(), used,
                farmer.assignedReplicas(), farmer.chunks(), farmer.proofsPassed(),
                farmer.proofsMissed(), farmer.missStreak(), farmer.earnedUcnt(),
                Amounts.format(farmer.earnedUcnt()), farmer.serviceReports(),
                farmer.badDataReporters());
    }

    /** The lines people read for one farmer. */
    static void print(java.io.PrintWriter out, Farmer f) {
        out.printf("farmer %d (%s) at %s%n", f.id(), f.status(), f.endpoint());
        out.printf("  capacity: %s pledged, %s assigned (%d replicas), %s used by leases%n",
                Output.bytes(f.pledgedBytes()), Output.bytes(f.assignedBytes()), f.replicas(),
                Output.bytes(f.usedBytes()));
        out.printf("  proofs:   %d passed, %d missed%s%n", f.proofsPassed(), f.proofsMissed(),
                f.missStreak() > 0 ? " (" + f.missStreak() + " rounds in a row with a miss)" : "");
        out.printf("  earned:   %s CNT%n", f.earnedCnt());
        if (f.serviceReports() > 0) {
            out.printf("  reports:  %d from clients (%d distinct clients for bad data)%n",
                    f.serviceReports(), f.badDataReporters());
        }
    }
}
