package org.cnt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.cnt.chain.api.Json;
import org.cnt.chain.api.NodeClient;
import org.cnt.chain.api.TxSender;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.TxPayload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cnt status} and {@code cnt farmer status} against a node and four farmer daemons. */
class StatusCommandTest {
    private static final KeyPair OWNER = KeyPair.fromLabel("status-owner");

    @TempDir
    Path dir;
    LocalNetwork net;

    @BeforeEach
    void start() throws Exception {
        net = TestNetworks.fourFarmers(dir, "status-test", OWNER);
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

    private CliRun cnt(String... args) {
        return CliRun.of(new String[] {"--home", dir.resolve("home").toString(), "--node",
            net.nodeUrl()}, args);
    }

    @Test
    void statusShowsEveryFarmersCapacityProofsAndEarnings() throws Exception {
        CliRun run = cnt("status", "--json");
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
        CliRun human = cnt("status");
        assertThat(human.out()).contains("status-test at height").contains("proofs:")
                .contains("earned:");
    }

    @Test
    void farmerStatusShowsOneFarmerAndAnUnknownOneIsAClearError() throws Exception {
        CliRun run = cnt("farmer", "status", "--id", "1", "--json");
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode farmer = Json.mapper().readTree(run.out());
        assertThat(farmer.get("id").asLong()).isEqualTo(1);
        assertThat(farmer.get("status").asText()).isEqualTo("active");
        assertThat(cnt("farmer", "status", "--id", "1").out()).contains("farmer 1 (active)")
                .contains("capacity:").contains("proofs:");
        CliRun unknown = cnt("farmer", "status", "--id", "99");
        assertThat(unknown.code()).isNotZero();
        assertThat(unknown.err()).contains("no farmer 99").doesNotContain("Exception");
    }
}
