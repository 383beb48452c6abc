package org.cnt.chain.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.cnt.chain.crypto.Address;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.types.Tx;

/**
 * A typed, blocking client of the consensus node's HTTP/JSON API. Every failure is a
 * {@link NodeApiException} carrying the node's error code, or "unreachable".
 *
 * <p>It uses the JDK's HTTP client rather than Netty: calls are blocking request/response from
 * the CLI and virtual threads, and the JDK client needs no event loop of its own.
 */
public final class NodeClient {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Kept well under the request timeout. */
    private static final long MAX_LONG_POLL_MS = 10_000;
    private final URI base;
    private final HttpClient http;

    public NodeClient(String baseUrl) {
        String trimmed = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        try {
            this.base = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a node URL: " + baseUrl);
        }
        if (base.getScheme() == null || !base.getScheme().startsWith("http")
                || base.getHost() == null) {
            throw new IllegalArgumentException("node URL must look like http://HOST:PORT, got "
                    + baseUrl);
        }
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public String baseUrl() {
        return base.toString();
    }

    public Views.Status status() throws NodeApiException {
        return get("/status", Views.Status.class);
    }

    public Views.Health health() throws NodeApiException {
        return get("/health", Views.Health.class);
    }

    public Views.Block block(long height) throws NodeApiException {
        return get("/blocks/" + height, Views.Block.class);
    }

    public Views.Block block(Hash hash) throws NodeApiException {
        return get("/blocks/" + hash.hex(), Views.Block.class);
    }

    public Views.Account account(Address address) throws NodeApiException {
        return get("/accounts/" + address, Views.Account.class);
    }

    public List<Views.Farmer> farmers() throws NodeApiException {
        return get("/farmers", new TypeReference<List<Views.Farmer>>() { });
    }

    public Views.Farmer farmer(long id) throws NodeApiException {
        return get("/farmers/" + id, Views.Farmer.class);
    }

    public Views.Chunk chunk(long id) throws NodeApiException {
        return get("/chunks/" + id, Views.Chunk.class);
    }

    public List<Views.Chunk> chunks() throws NodeApiException {
        return get("/chunks", new TypeReference<List<Views.Chunk>>() { });
    }

    public Views.Volume volume(long id) throws NodeApiException {
        return get("/volumes/" + id, Views.Volume.class);
    }

    public List<Views.Volume> volumes(Address owner) throws NodeApiException {
        return get("/volumes?owner=" + owner, new TypeReference<List<Views.Volume>>() { });
    }

    public Views.Quote quote(long sizeMb, int days) throws NodeApiException {
        return get("/quote?sizeMb=" + sizeMb + "&days=" + days, Views.Quote.class);
    }

    public Hash submit(Tx tx) throws NodeApiException {
        String body = "{\"tx\":\"" + HexFormat.of().formatHex(tx.toBytes()) + "\"}";
        return this.<Views.Submitted>send(HttpRequest.newBuilder(uri("/tx"))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json"), typeOf(Views.Submitted.class)).txId();
    }

    public Views.TxStatus txStatus(Hash txId) throws NodeApiException {
        return get("/tx/" + txId.hex(), Views.TxStatus.class);
    }

    /**
     * Waits until the transaction is in a block and returns that status; a dropped transaction
     * becomes the exception the node would have answered at submission. Each call to the node
     * is a long poll, so nothing here sleeps.
     */
    public Views.TxStatus awaitInclusion(Hash txId, Duration timeout, Clock clock)
            throws NodeApiException {
        long deadline = clock.millis() + timeout.toMillis();
        while (true) {
            long waitMs = Math.max(0, Math.min(MAX_LONG_POLL_MS, deadline - clock.millis()));
            Views.TxStatus status = get("/tx/" + txId.hex() + "?waitMs=" + waitMs,
                    Views.TxStatus.class);
            switch (status.status()) {
                case "included":
                    return status;
                case "dropped":
                    throw new NodeApiException(409, status.error(), status.detail());
                case "unknown":
                    throw new NodeApiException(404, "unknown_tx", "the node does not know "
                            + "transaction " + txId + " (lost from its mempool by a restart?)");
                default:
                    break;
            }
            if (clock.millis() >= deadline) {
                throw new NodeApiException(0, "timeout", "transaction " + txId
                        + " was not included within " + timeout.toSeconds() + " s");
            }
        }
    }

    private <T> T get(String path, Class<T> type) throws NodeApiException {
        return send(HttpRequest.newBuilder(uri(path)).GET(), typeOf(type));
    }

    private <T> T get(String path, TypeReference<T> type) throws NodeApiException {
        return send(HttpRequest.newBuilder(uri(path)).GET(),
                Json.mapper().getTypeFactory().constructType(type));
    }

    private static JavaType typeOf(Class<?> type) {
        return Json.mapper().getTypeFactory().constructType(type);
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    private <T> T send(HttpRequest.Builder request, JavaType type) throws NodeApiException {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.timeout(REQUEST_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw NodeApiException.unreachable(base.toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeApiException(0, "interrupted", "interrupted while calling the node");
        }
        try {
            if (response.statusCode() / 100 != 2) {
                Views.Error error = Json.mapper().readValue(response.body(), Views.Error.class);
                throw new NodeApiException(response.statusCode(), error.error(), error.detail());
            }
            return Json.mapper().readValue(response.body(), type);
        } catch (JacksonException e) {
            throw new NodeApiException(response.statusCode(), "bad_response",
                    "the node at " + base + " sent an answer this client cannot read: "
                            + e.getOriginalMessage());
        } catch (IOException e) {
            throw NodeApiException.unreachable(base.toString(), e);
        }
    }
}
