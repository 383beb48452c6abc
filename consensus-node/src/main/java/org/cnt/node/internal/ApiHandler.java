package org.cnt.node.internal;

import com.fasterxml.jackson.core.JacksonException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.cnt.chain.api.Json;
import org.cnt.chain.api.Views;
import org.cnt.chain.codec.CodecException;
import org.cnt.chain.crypto.Address;
import org.cnt.chain.crypto.Hash;
import org.cnt.chain.types.Tx;
import org.cnt.node.Rejection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/JSON API: routes each request to a chain query or a submission and writes the answer.
 * Every refusal is a 4xx with {@code {"error", "detail"}}; nothing a client sends can make it
 * throw into Netty or answer 500 (only a failing disk does).
 */
final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final long MAX_WAIT_MS = 30_000;

    private record Reply(HttpResponseStatus status, String contentType, byte[] body) {
        static Reply json(HttpResponseStatus status, Object value) {
            try {
                return new Reply(status, "application/json", Json.mapper().writeValueAsBytes(value));
            } catch (JacksonException e) {
                throw new IllegalStateException("view does not serialize: " + value, e);
            }
        }
    }

    private final ChainService chain;
    private final HeadStream heads;
    private final PrometheusMeterRegistry metrics;
    private final long stalledAfterMs;

    ApiHandler(ChainService chain, HeadStream heads, PrometheusMeterRegistry metrics,
               long blockTimeMs) {
        this.chain = chain;
        this.heads = heads;
        this.metrics = metrics;
        this.stalledAfterMs = Math.max(5_000, 10 * blockTimeMs);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (request.decoderResult().isFailure()) {
            write(ctx, Reply.json(HttpResponseStatus.BAD_REQUEST, new Views.Error(
                    "malformed_request", "the HTTP request could not be parsed")), false);
            return;
        }
        CompletableFuture<Reply> reply;
        try {
            reply = route(ctx, request);
        } catch (ApiError e) {
            reply = CompletableFuture.completedFuture(errorReply(e));
        } catch (RuntimeException e) {
            LOG.error("API handler failed on {} {}", request.method(), request.uri(), e);
            reply = CompletableFuture.completedFuture(Reply.json(
                    HttpResponseStatus.INTERNAL_SERVER_ERROR, new Views.Error("internal",
                            "the node failed to answer: " + e)));
        }
        if (reply == null) {
            return;
        }
        reply.whenComplete((answer, error) -> write(ctx, answer != null ? answer
                : failureReply(error), keepAlive));
    }

    private static Reply errorReply(ApiError e) {
        return Reply.json(e.status, new Views.Error(e.code, e.detail));
    }

    private static Reply failureReply(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (cause instanceof ApiError api) {
            return errorReply(api);
        }
        LOG.error("API request failed", cause);
        return Reply.json(HttpResponseStatus.INTERNAL_SERVER_ERROR, new Views.Error("internal",
                "the node failed to answer: " + cause.getMessage()));
    }

    private CompletableFuture<Reply> route(ChannelHandlerContext ctx, FullHttpRequest request)
            throws ApiError {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        List<String> path = List.of(uri.path().replaceAll("^/+|/+$", "").split("/+"));
        String root = path.getFirst();
        boolean get = request.method().equals(HttpMethod.GET);
        if (root.equals("tx") && path.size() == 1) {
            requireMethod(request, HttpMethod.POST);
            return submit(request);
        }
        if (!get) {
            throw new ApiError(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                    request.method() + " is not allowed on " + uri.path());
        }
        String arg = path.size() > 1 ? path.get(1) : null;
        if (path.size() > 2) {
            throw notFound(uri.path());
        }
        return switch (root) {
            case "status" -> ok(chain.query((core, views) -> views.status()));
            case "health" -> CompletableFuture.completedFuture(health());
            case "metrics" -> CompletableFuture.completedFuture(new Reply(HttpResponseStatus.OK,
                    "text/plain; version=0.0.4",
                    metrics.scrape().getBytes(StandardCharsets.UTF_8)));
            case "blocks" -> block(require(arg, "/blocks/{height|hash|head}"));
            case "accounts" -> account(require(arg, "/accounts/{address}"));
            case "farmers" -> {
                if (arg == null) {
                    yield ok(chain.query((core, views) -> views.farmers()));
                }
                long id = parseId(arg, "farmer id");
                yield lookup(core -> core.ledger.state.farmer(id), ViewMapper::farmer,
                        "unknown_farmer", "no farmer " + id);
            }
            case "chunks" -> {
                if (arg == null) {
                    yield ok(chain.query((core, views) -> views.chunks()));
                }
                long id = parseId(arg, "chunk id");
                yield lookup(core -> core.ledger.state.chunk(id), ViewMapper::chunk,
                        "unknown_chunk", "no chunk " + id);
            }
            case "volumes" -> {
                if (arg == null) {
                    yield volumesOf(uri);
                }
                long id = parseId(arg, "volume id");
                yield lookup(core -> core.ledger.state.volume(id), ViewMapper::volume,
                        "unknown_volume", "no volume " + id + " (never rented, or released after "
                                + "its grace period ended)");
            }
            case "quote" -> quote(uri);
            case "tx" -> txStatus(Hash.parse(hashArg(arg)), waitMs(uri));
            case "heads" -> {
                streamHeads(ctx);
                yield null;
            }
            default -> throw notFound(uri.path());
        };
    }

    private static ApiError notFound(String path) {
        return ApiError.notFound("not_found", "no such endpoint: " + path + " (see the README "
                + "of consensus-node for the API)");
    }

    private static void requireMethod(FullHttpRequest request, HttpMethod method) throws ApiError {
        if (!request.method().equals(method)) {
            throw new ApiError(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                    "use " + method + " on " + request.uri());
        }
    }

    private static String require(String arg, String form) throws ApiError {
        if (arg == null || arg.isEmpty()) {
            throw ApiError.badRequest("bad_request", "expected " + form);
        }
        return arg;
    }

    private static CompletableFuture<Reply> ok(CompletableFuture<?> value) {
        return value.thenApply(body -> Reply.json(HttpResponseStatus.OK, body));
    }

    private Reply health() {
        long age = chain.headAgeMs();
        boolean live = age <= stalledAfterMs;
        return Reply.json(live ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                new Views.Health(live ? "ok" : "stalled", chain.headHeight(), age));
    }

    private CompletableFuture<Reply> block(String arg) throws ApiError {
        boolean byHash = arg.length() == 2 * Hash.SIZE_BYTES;
        Hash hash = byHash ? Hash.parse(hashArg(arg)) : null;
        long height = byHash || arg.equals("head") ? -1 : parseId(arg, "block height");
        return ok(chain.query((core, views) -> {
            Long at = byHash ? core.heightOf(hash) : height < 0 ? core.head().height() : height;
            var block = at == null || at > core.head().height() ? null : core.block(at);
            if (block == null) {
                throw new CompletionException(ApiError.notFound("unknown_block", "no block "
                        + arg + " (the head is at height " + core.head().height() + ")"));
            }
            return ViewMapper.block(block);
        }));
    }

    private CompletableFuture<Reply> account(String arg) throws ApiError {
        Address address;
        try {
            address = Address.parse(arg);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("invalid_address", e.getMessage());
        }
        return ok(chain.query((core, views) -> views.account(address)));
    }

    /** One entity by id, or 404 with {@code code} and {@code missing} as the detail. */
    private <T> CompletableFuture<Reply> lookup(Function<ChainCore, T> find,
                                                BiFunction<ViewMapper, T, Object> view,
                                                String code, String missing) {
        return ok(chain.query((core, views) -> {
            T found = find.apply(core);
            if (found == null) {
                throw new CompletionException(ApiError.notFound(code, missing));
            }
            return view.apply(views, found);
        }));
    }

    private CompletableFuture<Reply> volumesOf(QueryStringDecoder uri) throws ApiError {
        String owner = param(uri, "owner");
        if (owner == null) {
            throw ApiError.badRequest("bad_request", "list volumes with /volumes?owner=ADDRESS");
        }
        Address address;
        try {
            address = Address.parse(owner);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("invalid_address", e.getMessage());
        }
        return ok(chain.query((core, views) -> views.volumesOf(address)));
    }

    private CompletableFuture<Reply> quote(QueryStringDecoder uri) throws ApiError {
        long sizeMb = parseId(require(param(uri, "sizeMb"), "/quote?sizeMb=N&days=D"), "sizeMb");
        long days = parseId(require(param(uri, "days"), "/quote?sizeMb=N&days=D"), "days");
        if (sizeMb < 1 || days < 1) {
            throw ApiError.badRequest("bad_request", "sizeMb and days must be at least 1");
        }
        return ok(chain.query((core, views) -> {
            int maxDays = core.ledger.params.maxLeaseDays();
            if (days > maxDays) {
                throw new CompletionException(ApiError.badRequest("lease_too_long", "a lease is at "
                        + "most " + maxDays + " days, asked for " + days));
            }
            if (sizeMb > (long) org.cnt.chain.types.Volume.MAX_SLICES) {
                throw new CompletionException(ApiError.badRequest("invalid_size",
                        "size too large: " + sizeMb + " MB"));
            }
            return views.quote(sizeMb, (int) days);
        }));
    }

    private CompletableFuture<Reply> submit(FullHttpRequest request) throws ApiError {
        Views.SubmitTx body;
        try {
            body = Json.mapper().readValue(request.content().toString(StandardCharsets.UTF_8),
                    Views.SubmitTx.class);
        } catch (JacksonException e) {
            throw ApiError.badRequest("malformed_json", "the body is not valid JSON: "
                    + e.getOriginalMessage());
        }
        if (body == null || body.tx() == null) {
            throw ApiError.badRequest("malformed_json",
                    "the body must be {\"tx\": \"<hex of the signed transaction>\"}");
        }
        Tx tx;
        try {
            tx = Tx.decode(HexFormat.of().parseHex(body.tx()));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("malformed_encoding", "tx is not hex: " + e.getMessage());
        } catch (CodecException e) {
            throw ApiError.badRequest("malformed_encoding", "tx is not a valid transaction: "
                    + e.getMessage());
        }
        return chain.submit(tx).thenApply(rejection -> rejection == null
                ? Reply.json(HttpResponseStatus.ACCEPTED, new Views.Submitted(tx.id()))
                : Reply.json(statusOf(rejection), new Views.Error(rejection.code(),
                        rejection.detail())));
    }

    private static HttpResponseStatus statusOf(Rejection rejection) {
        return switch (rejection.code()) {
            case "bad_signature", "wrong_chain" -> HttpResponseStatus.BAD_REQUEST;
            case "nonce_too_low", "nonce_gap", "nonce_pending", "already_pending",
                 "already_included" -> HttpResponseStatus.CONFLICT;
            case "mempool_full", "too_many_pending" -> HttpResponseStatus.TOO_MANY_REQUESTS;
            case "unknown_volume", "unknown_farmer" -> HttpResponseStatus.NOT_FOUND;
            case "insufficient_balance" -> HttpResponseStatus.PAYMENT_REQUIRED;
            default -> HttpResponseStatus.UNPROCESSABLE_ENTITY;
        };
    }

    private CompletableFuture<Reply> txStatus(Hash id, long waitMs) {
        return chain.query((core, views) -> {
            Views.TxStatus status = TxStatuses.of(core, id);
            if (!status.status().equals("pending") || waitMs == 0) {
                return CompletableFuture.completedFuture(status);
            }
            CompletableFuture<Void> settled = core.tracker.await(id);
            if (settled == null) {
                return CompletableFuture.completedFuture(status);
            }
            return settled.completeOnTimeout(null, waitMs, TimeUnit.MILLISECONDS)
                    .thenComposeAsync(done -> chain.query((c, v) -> TxStatuses.of(c, id)));
        }).thenCompose(future -> future).thenApply(status -> Reply.json(HttpResponseStatus.OK,
                status));
    }

    private static long waitMs(QueryStringDecoder uri) throws ApiError {
        String raw = param(uri, "waitMs");
        return raw == null ? 0 : Math.min(MAX_WAIT_MS, parseId(raw, "waitMs"));
    }

    private void streamHeads(ChannelHandlerContext ctx) {
        if (!heads.subscribe(ctx.channel())) {
            write(ctx, Reply.json(HttpResponseStatus.SERVICE_UNAVAILABLE, new Views.Error(
                    "too_many_subscribers", "at most " + HeadStream.MAX_SUBSCRIBERS
                            + " head streams at once")), false);
            return;
        }
        DefaultHttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.OK);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream");
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        HttpUtil.setTransferEncodingChunked(response, true);
        ctx.writeAndFlush(response);
    }

    private static String hashArg(String arg) throws ApiError {
        if (arg == null || !arg.matches("[0-9a-fA-F]{64}")) {
            throw ApiError.badRequest("bad_request", "expected a 64-hex-digit id, got '" + arg + "'");
        }
        return arg;
    }

    private static String param(QueryStringDecoder uri, String name) {
        List<String> values = uri.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    private static long parseId(String text, String what) throws ApiError {
        try {
            long value = Long.parseLong(text);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("bad_request", what + " must be a non-negative integer, got '"
                    + text + "'");
        }
    }

    private static void write(ChannelHandlerContext ctx, Reply reply, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, reply.status(),
                Unpooled.wrappedBuffer(reply.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
        HttpUtil.setContentLength(response, reply.body().length);
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("closing API connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
