package org.cnt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.cnt.chain.api.Json;
import org.cnt.chain.api.NodeClient;
import org.cnt.chain.api.TxSender;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.Genesis;
import org.cnt.chain.types.TxPayload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cnt status} and {@code cnt farmer status} against a node and four farmer daemons. */
class StatusCommandTest {
    private static final KeyPair OWNER = KeyPair.fromLabel("status-owner");
    private static final int SLICE = 256 * 1024;

    @TempDir
    Path dir;
    LocalNetwork net;

    @BeforeEach
    void start() throws Exception {
        ChainParams d = ChainParams.defaults();
        net = LocalNetwork.start(dir, "status-test", new ChainParams(4 * ChainParams.MB, SLICE,
                        4, 100, d.connectorWeightPpm(), d.minPriceUcntPerMd(), 20, 365, 7, 1000),
                List.of(new Genesis.Allocation(OWNER.address(), 1_000_000_000)), 4,
                8 * ChainParams.MB, Clock.systemUTC(), new LocalNetwork.Timing(20, 10, 100));
        NodeClient chain = net.client();
        TxSender.send(chain, OWNER, new TxPayload.RentVolume("disk", 3, 30,
                chain.quote(3, 30).costUcnt()));
    }

    @AfterEach
    void stop() {
        if (net != null) {
            net.close();
        }
    }

    private record Run(int code, String out, String err) {
    }

    private Run cnt(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 4];
        all[0] = "--home";
        all[1] = dir.resolve("home").toString();
        all[2] = "--node";
        all[3] = net.nodeUrl();
        System.arraycopy(args, 0, all, 4, args.length);
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void statusShowsEveryFarmersCapacityProofsAndEarnings() throws Exception {
        Run run = cnt("status", "--json");
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode status = Json.mapper().readTree(run.out());
        assertThat(status.get("network").asText()).isEqualTo("status-test");
        assertThat(status.get("leased_mb").asLong()).isEqualTo(3);
        JsonNode farmers = status.get("farmers");
        assertThat(farmers).hasSize(4);
        long used = 0;
        for (JsonNode farmer : farmers) {
            assertThat(farmer.get("assigned_bytes").asLong()).isEqualTo(
                    farmer.get("replicas").asLong() * 4 * ChainParams.MB);
            assertThat(farmer.get("pledged_bytes").asLong()).isEqualTo(8 * ChainParams.MB);
            assertThat(farmer.has("proofs_passed")).isTrue();
            assertThat(farmer.has("proofs_missed")).isTrue();
            assertThat(farmer.get("earned_ucnt").asLong()).isNotNegative();
            used += farmer.get("used_bytes").asLong();
        }
        assertThat(used).as("3 MB leased, one replica on each of the four farmers")
                .isEqualTo(4 * 3 * ChainParams.MB);
        Run human = cnt("status");
        assertThat(human.out()).contains("status-test at height").contains("proofs:")
                .contains("earned:");
    }

    @Test
    void farmerStatusShowsOneFarmerAndAnUnknownOneIsAClearError() throws Exception {
        Run run = cnt("farmer", "status", "--id", "1", "--json");
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode farmer = Json.mapper().readTree(run.out());
        assertThat(farmer.get("id").asLong()).isEqualTo(1);
        assertThat(farmer.get("status").asText()).isEqualTo("active");
        assertThat(cnt("farmer", "status", "--id", "1").out()).contains("farmer 1 (active)")
                .contains("capacity:").contains("proofs:");
        Run unknown = cnt("farmer", "status", "--id", "99");
        assertThat(unknown.code()).isNotZero();
        assertThat(unknown.err()).contains("no farmer 99").doesNotContain("Exception");
    }
}
