package org.cnt.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cnt.chain.api.Json;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.Genesis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenesisTest {
    @TempDir
    Path dir;

    @Test
    void aGenesisFileRoundTripsToTheSameChainId() throws Exception {
        Genesis genesis = new Genesis("devnet", ChainParams.defaults(),
                KeyPair.fromLabel("p").publicKey(), 123,
                List.of(new Genesis.Allocation(KeyPair.fromLabel("a").address(), 5)));
        Path file = dir.resolve("genesis.json");
        Files.write(file, Json.pretty().writeValueAsBytes(genesis));
        Genesis read = ConsensusNode.readGenesis(file);
        assertThat(read).isEqualTo(genesis);
        assertThat(read.chainId()).isEqualTo(genesis.chainId());
    }

    @Test
    void badGenesisFilesAreRefusedInPlainWords() throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"network\": \"x\", ");
        assertThatThrownBy(() -> ConsensusNode.readGenesis(file)).isInstanceOf(NodeException.class)
                .hasMessageContaining("not valid");
        String text = Json.pretty().writeValueAsString(new Genesis("devnet",
                ChainParams.defaults(), KeyPair.fromLabel("p").publicKey(), 1, List.of()))
                .replace("\"groupSize\" : 4", "\"groupSize\" : 0");
        Files.writeString(file, text);
        assertThatThrownBy(() -> ConsensusNode.readGenesis(file)).isInstanceOf(NodeException.class)
                .hasMessageContaining("groupSize must be 1..64: 0");
        assertThatThrownBy(() -> ConsensusNode.readGenesis(dir.resolve("missing.json")))
                .hasMessageContaining("cannot read genesis");
    }

    @Test
    void theQuorumIsTwoThirdsPlusOne() {
        int[][] cases = {{4, 3}, {3, 3}, {7, 5}, {1, 1}, {10, 7}};
        for (int[] c : cases) {
            ChainParams d = ChainParams.defaults();
            ChainParams params = new ChainParams(d.chunkSizeBytes(), d.sliceSizeBytes(), c[0],
                    d.blockTimeMs(), d.connectorWeightPpm(), d.minPriceUcntPerMd(),
                    d.proofIntervalBlocks(), d.maxLeaseDays(), d.graceDays(), d.maxTxPerBlock());
            assertThat(params.quorum()).as("n=%d", c[0]).isEqualTo(c[1]);
        }
    }
}
