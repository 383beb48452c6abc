package org.cnt.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.cnt.chain.api.Json;
import org.cnt.chain.api.NodeApiException;
import org.cnt.chain.api.NodeClient;
import org.cnt.chain.api.Views;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.Genesis;
import org.cnt.chain.types.Tx;
import org.cnt.chain.types.TxPayload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP/JSON API of a real node on loopback: every kind of bad input gets its own 4xx and JSON
 * body, and none of it stops the node.
 */
class ApiTest {
    private static final KeyPair ALICE = KeyPair.fromLabel("api-alice");
    private static final KeyPair BOB = KeyPair.fromLabel("api-bob");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    static ConsensusNode node;
    static NodeClient client;
    static HttpClient http = HttpClient.newHttpClient();
    static Hash chainId;

    @BeforeAll
    static void start() throws Exception {
        NodeConfig config = new NodeConfig(dir, "127.0.0.1", 0, null, 1000);
        ChainParams d = ChainParams.defaults();
        ChainParams params = new ChainParams(ChainParams.MB, 256 * 1024, 4, 100,
                d.connectorWeightPpm(), d.minPriceUcntPerMd(), 20, 365, 7, 1000);
        Genesis genesis = ConsensusNode.writeGenesis(config, "api-test", params,
                List.of(new Genesis.Allocation(ALICE.address(), 1_000_000_000)),
                System.currentTimeMillis());
        chainId = genesis.chainId();
        node = ConsensusNode.start(config, Clock.systemUTC());
        client = new NodeClient("http://127.0.0.1:" + node.port());
        for (int i = 0; i < 4; i++) {
            KeyPair farmer = KeyPair.fromLabel("api-farmer-" + i);
            submitAndWait(Tx.sign(chainId, farmer, 0, new TxPayload.RegisterFarmer(
                    "127.0.0.1:" + (9100 + i), 4 * ChainParams.MB)));
        }
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    private static Views.TxStatus submitAndWait(Tx tx) throws NodeApiException {
        return client.awaitInclusion(client.submit(tx), WAIT, Clock.systemUTC());
    }

    private static Tx signed(KeyPair key, TxPayload payload) throws NodeApiException {
        return Tx.sign(chainId, key, client.account(key.address()).nextNonce(), payload);
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(HttpResponse<String> response, int status, String code)
            throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        Views.Error error = Json.mapper().readValue(response.body(), Views.Error.class);
        assertThat(error.error()).isEqualTo(code);
        assertThat(error.detail()).isNotBlank();
    }

    private static void assertRefused(Tx tx, int status, String code) {
        assertThatThrownBy(() -> client.submit(tx)).isInstanceOfSatisfying(NodeApiException.class,
                e -> {
                    assertThat(e.error()).as(e.detail()).isEqualTo(code);
                    assertThat(e.httpStatus()).isEqualTo(status);
                });
    }

    @Test
    void statusHealthAndMetricsAnswer() throws Exception {
        Views.Status status = client.status();
        assertThat(status.network()).isEqualTo("api-test");
        assertThat(status.chainId()).isEqualTo(chainId);
        assertThat(status.figures().worldMb()).isEqualTo(4);
        assertThat(client.health().status()).isEqualTo("ok");
        assertThat(get("/metrics").body()).contains("cnt_chain_height").contains("cnt_mempool_size");
        assertThat(client.block(status.height()).hash()).isEqualTo(status.headHash());
        assertThat(client.block(status.headHash()).height()).isEqualTo(status.height());
        assertThat(client.chunks()).hasSize(4).allMatch(Views.Chunk::full);
        assertThat(client.farmers()).hasSize(4);
    }

    @Test
    void transferQuoteRentAndExtendGoThrough() throws Exception {
        Views.TxStatus sent = submitAndWait(signed(ALICE, new TxPayload.Transfer(BOB.address(), 7)));
        assertThat(client.block(sent.height()).txs()).extracting(Views.Tx::id).contains(sent.txId());
        assertThat(client.account(BOB.address()).balanceUcnt()).isGreaterThanOrEqualTo(7);
        Views.Quote quote = client.quote(1, 10);
        assertThat(quote.costUcnt()).isEqualTo(1000);
        submitAndWait(signed(ALICE, new TxPayload.RentVolume("api", 1, 10, quote.costUcnt())));
        Views.Volume volume = client.volumes(ALICE.address()).stream()
                .filter(v -> v.name().equals("api")).findFirst().orElseThrow();
        assertThat(volume.slices()).hasSize(4);
        for (var slice : volume.slices()) {
            assertThat(client.chunks().stream().filter(c -> c.id() == slice.chunkId())
                    .findFirst().orElseThrow().leases())
                    .as("members learn who may write each slice from the chunk map")
                    .contains(new Views.SliceLease(slice.index(), volume.id(), ALICE.address(),
                            volume.expirySec()));
        }
        submitAndWait(signed(ALICE, new TxPayload.ExtendVolume(volume.id(), 5, 10_000)));
        assertThat(client.volume(volume.id()).expirySec()).isEqualTo(volume.expirySec() + 5 * 86_400);
    }

    @Test
    void eachRefusedTransactionHasItsOwnCode() throws Exception {
        Tx valid = signed(ALICE, new TxPayload.Transfer(BOB.address(), 1));
        byte[] forged = valid.toBytes();
        forged[forged.length - 1] ^= 1;
        assertError(post("/tx", "{\"tx\":\"" + HexFormat.of().formatHex(forged) + "\"}"), 400,
                "bad_signature");
        Views.TxStatus included = submitAndWait(valid);
        assertThat(included.status()).isEqualTo("included");
        assertRefused(valid, 409, "already_included");
        assertRefused(Tx.sign(chainId, ALICE, 0, new TxPayload.Transfer(BOB.address(), 2)), 409,
                "nonce_too_low");
        assertRefused(signed(BOB, new TxPayload.Transfer(ALICE.address(), 1L << 40)), 402,
                "insufficient_balance");
        assertRefused(signed(ALICE, new TxPayload.ExtendVolume(424242, 1, 1)), 404,
                "unknown_volume");
        assertRefused(signed(ALICE, new TxPayload.RentVolume("", 1, 366, Long.MAX_VALUE)), 422,
                "lease_too_long");
        assertRefused(signed(ALICE, new TxPayload.RentVolume("", 1, 30, 1)), 422,
                "price_above_max");
        assertRefused(Tx.sign(Hash.sha256("elsewhere".getBytes()), ALICE, 99,
                new TxPayload.Transfer(BOB.address(), 1)), 400, "wrong_chain");
    }

    @Test
    void malformedRequestsAreRefusedWithJsonErrors() throws Exception {
        assertError(post("/tx", "{not json"), 400, "malformed_json");
        assertError(post("/tx", "{\"other\":1}"), 400, "malformed_json");
        assertError(post("/tx", "{\"tx\":\"zz\"}"), 400, "malformed_encoding");
        String truncated = HexFormat.of().formatHex(
                signed(ALICE, new TxPayload.Donate(1)).toBytes()).substring(0, 100);
        assertError(post("/tx", "{\"tx\":\"" + truncated + "\"}"), 400, "malformed_encoding");
        assertError(post("/tx", "{\"tx\":\"" + "ab".repeat(50_000) + "\"}"), 413, "body_too_large");
        assertError(get("/tx"), 405, "method_not_allowed");
        assertError(get("/nowhere"), 404, "not_found");
        assertError(get("/accounts/cnt1nothex"), 400, "invalid_address");
        assertError(get("/blocks/999999999"), 404, "unknown_block");
        assertError(get("/quote?sizeMb=1&days=400"), 400, "lease_too_long");
        assertError(get("/quote?sizeMb=x&days=1"), 400, "bad_request");
        assertError(get("/volumes/5555"), 404, "unknown_volume");
        assertError(get("/volumes"), 400, "bad_request");
        assertError(get("/tx/1234"), 400, "bad_request");
    }

    @Test
    void randomGarbageNeverCrashesTheNodeOrAnswers500() throws Exception {
        Random random = new Random(42);
        long before = client.status().height();
        for (int i = 0; i < 300; i++) {
            byte[] junk = new byte[random.nextInt(600)];
            random.nextBytes(junk);
            String body = switch (i % 3) {
                case 0 -> new String(junk, StandardCharsets.ISO_8859_1);
                case 1 -> "{\"tx\":\"" + HexFormat.of().formatHex(junk) + "\"}";
                default -> "{\"tx\":" + random.nextLong() + "}";
            };
            HttpResponse<String> response = post("/tx", body);
            assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
            HttpResponse<String> path = get("/" + Long.toHexString(random.nextLong()) + "/"
                    + random.nextInt());
            assertThat(path.statusCode()).isBetween(400, 499);
        }
        client.awaitInclusion(client.submit(signed(ALICE, new TxPayload.Donate(1))), WAIT,
                Clock.systemUTC());
        assertThat(client.status().height()).isGreaterThan(before);
    }

    @Test
    void newHeadsAreStreamed() throws Exception {
        HttpResponse<java.io.InputStream> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + node.port() + "/heads")).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            assertThat(lines.readLine()).isEqualTo("event: head");
            String data = lines.readLine();
            assertThat(data).startsWith("data: ");
            Views.Block head = Json.mapper().readValue(data.substring(6), Views.Block.class);
            assertThat(head.height()).isPositive();
            assertThat(head.stateRoot()).isNotNull();
        }
    }
}
