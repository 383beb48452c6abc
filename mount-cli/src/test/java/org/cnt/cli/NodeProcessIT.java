package org.cnt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cnt.chain.api.Json;
import org.cnt.chain.api.NodeApiException;
import org.cnt.chain.api.NodeClient;
import org.cnt.chain.api.Views;
import org.cnt.chain.crypto.Address;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.crypto.KeyFile;
import org.cnt.chain.crypto.KeyPair;
import org.cnt.chain.types.ChainParams;
import org.cnt.chain.types.Tx;
import org.cnt.chain.types.TxPayload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cnt node run} as a real process on loopback, driven only through the CLI and the HTTP
 * API: fund, send, quote, rent, extend, replay, forge; then {@code kill -9} during a stream of
 * transactions and restart, several times, checking the same state root and balances.
 */
class NodeProcessIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path home;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theChainSurvivesKillNineWithTheSameStateRootAndBalances() throws Exception {
        try (CntProcesses cnt = new CntProcesses(home)) {
            String[] nodeArgs = {"--listen", "127.0.0.1:0", "--block-time", "200ms",
                "--chunk-size", "4MiB"};
            CntProcesses.Node node = cnt.startNode(nodeArgs);
            NodeClient api = new NodeClient(node.url());

            JsonNode balance = json(cnt.run("--node", node.url(), "wallet", "balance", "--json"));
            assertThat(balance.get("balanceCnt").asText()).isEqualTo("1000000");
            assertThat(ok(cnt.run("--wallet", "bob", "wallet", "new"))).contains("address:");
            String bob = ok(cnt.run("--wallet", "bob", "wallet", "address")).strip();
            assertThat(ok(cnt.run("--node", node.url(), "wallet", "send", bob, "25")))
                    .contains("sent 25 CNT to " + bob);
            assertThat(api.account(Address.parse(bob)).balanceCnt()).isEqualTo("25");

            registerFarmers(api, 4);
            JsonNode quote = json(cnt.run("--node", node.url(), "volume", "quote", "--size", "8M",
                    "--days", "30", "--json"));
            long cost = quote.get("costUcnt").asLong();
            assertThat(cost).isEqualTo(8 * 30 * 100);
            long before = api.account(alice()).balanceUcnt();
            JsonNode volume = json(cnt.run("--node", node.url(), "volume", "create", "--size",
                    "8M", "--days", "30", "--name", "itvol", "--json"));
            assertThat(volume.get("slices")).hasSize(8);
            assertThat(api.account(alice()).balanceUcnt()).isEqualTo(before - cost);
            long expiry = volume.get("expirySec").asLong();
            JsonNode extended = json(cnt.run("--node", node.url(), "volume", "extend", "itvol",
                    "--days", "5", "--json"));
            assertThat(extended.get("expirySec").asLong()).isEqualTo(expiry + 5 * 86_400);
            CntProcesses.Result tooLong = cnt.run("--node", node.url(), "volume", "create",
                    "--size", "1M", "--days", "400");
            assertThat(tooLong.code()).isEqualTo(1);
            assertThat(tooLong.err()).contains("at most 365 days").doesNotContain("\tat ");

            KeyPair aliceKey = KeyFile.read(home.resolve("keys/default.json"), null);
            Tx transfer = Tx.sign(api.status().chainId(), aliceKey,
                    api.account(alice()).nextNonce(), new TxPayload.Transfer(Address.parse(bob), 1));
            api.awaitInclusion(api.submit(transfer), WAIT, Clock.systemUTC());
            assertPostRefused(node.url(), transfer.toBytes(), 409, "already_included");
            Tx replayedNonce = Tx.sign(api.status().chainId(), aliceKey, transfer.nonce(),
                    new TxPayload.Transfer(Address.parse(bob), 2));
            assertPostRefused(node.url(), replayedNonce.toBytes(), 409, "nonce_too_low");
            byte[] forged = Tx.sign(api.status().chainId(), aliceKey,
                    api.account(alice()).nextNonce(), new TxPayload.Transfer(Address.parse(bob),
                            1)).toBytes();
            forged[forged.length - 5] ^= 0x10;
            assertPostRefused(node.url(), forged, 400, "bad_signature");

            for (int round = 0; round < 3; round++) {
                node = killDuringLoadAndRestart(cnt, node, aliceKey, nodeArgs);
                api = new NodeClient(node.url());
            }
            assertThat(api.volumes(alice())).extracting(Views.Volume::name).contains("itvol");
            assertThat(ok(cnt.run("--node", node.url(), "volume", "show", "itvol")))
                    .contains("8 MB").contains("active");
            CntProcesses.Result busy = cnt.run("node", "verify");
            assertThat(busy.code()).as("the running node holds the database").isEqualTo(1);
            assertThat(busy.err()).contains("another node");
            CntProcesses.killHard(node.process());
            assertThat(ok(cnt.run("node", "verify"))).contains("every block replays");
        }
    }

    /**
     * Streams transfers, kills the node with SIGKILL in the middle, restarts it, and checks the
     * block it had reached: same state root, same balances as read just before the kill.
     */
    private CntProcesses.Node killDuringLoadAndRestart(CntProcesses cnt, CntProcesses.Node node,
                                                       KeyPair key, String[] nodeArgs)
            throws Exception {
        NodeClient api = new NodeClient(node.url());
        Hash chainId = api.status().chainId();
        KeyPair carol = KeyPair.generate();
        long nonce = api.account(key.address()).nextNonce();
        List<Hash> submitted = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            submitted.add(api.submit(Tx.sign(chainId, key, nonce + i,
                    new TxPayload.Transfer(carol.address(), 1 + i))));
        }
        api.awaitInclusion(submitted.get(9), WAIT, Clock.systemUTC());
        Views.Status seen = api.status();
        Views.Account aliceSeen = api.account(key.address());
        Views.Account carolSeen = api.account(carol.address());
        assertThat(aliceSeen.nonce()).isGreaterThanOrEqualTo(nonce + 10);
        Views.Block seenBlock = api.block(seen.height());
        java.util.concurrent.ExecutorService loader = java.util.concurrent.Executors
                .newSingleThreadExecutor();
        java.util.concurrent.Future<?> more = loader.submit(() -> {
            for (int i = 20; i < 200; i++) {
                try {
                    new NodeClient(node.url()).submit(Tx.sign(chainId, key, nonce + i,
                            new TxPayload.Transfer(carol.address(), 1)));
                } catch (NodeApiException e) {
                    return;
                }
            }
        });
        CntProcesses.killHard(node.process());
        more.get(60, TimeUnit.SECONDS);
        loader.shutdown();

        CntProcesses.Node restarted = cnt.startNode(nodeArgs);
        NodeClient after = new NodeClient(restarted.url());
        Views.Block sameHeight = after.block(seen.height());
        assertThat(sameHeight.hash()).isEqualTo(seenBlock.hash());
        assertThat(sameHeight.stateRoot()).isEqualTo(seen.stateRoot());
        assertThat(after.status().height()).isGreaterThanOrEqualTo(seen.height());
        long aliceSpent = aliceSeen.balanceUcnt() - after.account(key.address()).balanceUcnt();
        long carolGot = after.account(carol.address()).balanceUcnt() - carolSeen.balanceUcnt();
        assertThat(aliceSpent).as("every ucnt that left Alice after the kill point reached Carol")
                .isEqualTo(carolGot).isGreaterThanOrEqualTo(0);
        long includedAfter = after.account(key.address()).nonce() - aliceSeen.nonce();
        assertThat(includedAfter).isBetween(0L, 190L);
        return restarted;
    }

    private static void registerFarmers(NodeClient api, int count) throws NodeApiException {
        Hash chainId = api.status().chainId();
        List<Hash> pending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pending.add(api.submit(Tx.sign(chainId, KeyPair.generate(), 0,
                    new TxPayload.RegisterFarmer("127.0.0.1:" + (9200 + i), 16 * ChainParams.MB))));
        }
        for (Hash id : pending) {
            api.awaitInclusion(id, WAIT, Clock.systemUTC());
        }
    }

    private Address alice() throws Exception {
        return KeyFile.address(home.resolve("keys/default.json"));
    }

    private static void assertPostRefused(String url, byte[] tx, int status, String code)
            throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(url + "/tx")).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"tx\":\"" + HexFormat.of().formatHex(tx) + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(Json.mapper().readTree(response.body()).get("error").asText()).isEqualTo(code);
    }

    private static String ok(CntProcesses.Result result) {
        assertThat(result.code()).as("stdout: %s%nstderr: %s", result.out(), result.err())
                .isZero();
        return result.out();
    }

    private static JsonNode json(CntProcesses.Result result) throws Exception {
        return Json.mapper().readTree(ok(result));
    }
}
