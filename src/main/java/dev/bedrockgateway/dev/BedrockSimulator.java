package dev.bedrockgateway.dev;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * A local stand-in for the Bedrock Runtime endpoint that speaks the real wire protocol (restJson1 plus
 * {@code application/vnd.amazon.eventstream}), so the unmodified AWS SDK client can be pointed at it with an
 * endpoint override. The chat model behind Converse is {@link SimulatedModel}, the one behind InvokeModel for Claude
 * {@link SimulatedClaude} (which answers alike), the embedding models {@link SimulatedEmbeddings}.
 *
 * <p>Routes, all {@code POST}; see
 * <a href="https://docs.aws.amazon.com/bedrock/latest/APIReference/API_Operations_Amazon_Bedrock_Runtime.html">the
 * Bedrock Runtime API reference</a>:
 * <ul>
 * <li>{@code /model/{modelId}/converse} and {@code /converse-stream}: any model id; Claude ids that take extended
 * thinking answer {@code additionalModelRequestFields.thinking} with signed reasoningContent blocks first (streamed as
 * reasoning text deltas, then a signature delta) and check the reasoning sent back, as {@link SimulatedModel}
 * describes;</li>
 * <li>{@code /model/{modelId}/invoke}: Anthropic's Messages API in Bedrock's form for ids that contain {@code
 * anthropic.claude} (base ids, cross-region inference profile ids, ARNs), the Titan, Cohere and Nova embedding
 * bodies for theirs;</li>
 * <li>{@code /model/{modelId}/invoke-with-response-stream}: the Messages API's stream events, each in a {@code chunk}
 * frame, for Claude ids only;</li>
 * <li>{@code /model/{modelId}/count-tokens}: the input tokens InvokeModel (Claude) or Converse would report for the
 * same request, for Claude foundation-model ids (an inference profile is refused, as by Bedrock).</li>
 * </ul>
 * HTTP/1.1 and HTTP/2 (h2c with prior knowledge, or ALPN over TLS) on one port.
 * Requests must carry SigV4 material of the right shape ({@code Authorization} and {@code X-Amz-Date}); the signature
 * itself is not checked.
 *
 * <p>Directives: words in the last user turn (for embeddings, in the texts to embed) that steer the answer, for dev
 * mode and tests; they steer every route alike. Unknown {@code simulate:} words are refused with a 400
 * ValidationException.
 * <ul>
 * <li>{@code simulate:throttle} (429 ThrottlingException), {@code simulate:error} (500 InternalServerException),
 * {@code simulate:denied} (403 AccessDeniedException), {@code simulate:unavailable} (503
 * ServiceUnavailableException): that error instead of the answer, before any stream frame;</li>
 * <li>{@code simulate:latency-ms=N}: N ms before the answer, or before a stream's first frame, instead of the
 * configured latency;</li>
 * <li>{@code simulate:gap-ms=N}: N ms before each content delta of a stream (the first one's counted from the
 * stream's start) instead of the configured gap (a slow stream);</li>
 * <li>{@code simulate:stall}: a stream sends its start (messageStart, or message_start and the first
 * content_block_start) and its first delta, then stays silent until the client goes away; a call without a stream is
 * never answered;</li>
 * <li>{@code simulate:endless}: a stream never ends, its deltas repeat one gap apart (at least 50 ms, so that it does
 * not flood its client) until the client goes away (a Messages API stream sends all its deltas, then repeats those of
 * its last block); a call without a stream is never answered.</li>
 * </ul>
 * {@link #abandoned()} counts the answers whose client went away before they were complete, so that a test can see
 * that a cancelled call really stopped.
 *
 * <p>Besides dev mode and tests it serves the benchmark, as its own process ({@link SimulatorMain}).
 *
 * <p>{@link #start()} and {@link #close()} block, so they must not be called on a Vert.x event-loop thread.
 */
public final class BedrockSimulator implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Bedrock's documented request payload quota for the runtime API. */
    static final int MAX_BODY_BYTES = 20 * 1024 * 1024;

    private static final String HOST = "127.0.0.1";
    private static final Duration BLOCKING_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration MAX_DEFAULT_GAP = Duration.ofMillis(50);
    private static final Duration ENDLESS_MIN_GAP = Duration.ofMillis(50);
    private static final String EVENT_STREAM_CONTENT_TYPE = "application/vnd.amazon.eventstream";

    // Response header names in lower case: HTTP/2 forbids upper case, and strict h2 peers (curl/nghttp2) reset the
    // stream over it even though the SDK's Netty client is lenient.
    private static final String CONTENT_TYPE = "content-type";
    private static final String REQUEST_ID = "x-amzn-requestid";
    private static final String ERROR_TYPE = "x-amzn-errortype";
    private static final String INPUT_TOKEN_COUNT = "x-amzn-bedrock-input-token-count";
    private static final String OUTPUT_TOKEN_COUNT = "x-amzn-bedrock-output-token-count";
    private static final String CACHE_READ_TOKEN_COUNT = "x-amzn-bedrock-cache-read-input-token-count";
    private static final String CACHE_WRITE_TOKEN_COUNT = "x-amzn-bedrock-cache-write-input-token-count";
    private static final String INVOCATION_LATENCY = "x-amzn-bedrock-invocation-latency";
    /** The content type of the model's own answer inside InvokeModelWithResponseStream's chunks. */
    private static final String MODEL_CONTENT_TYPE = "x-amzn-bedrock-content-type";

    /**
     * Bedrock pads each chunk with a prefix of this, of varying length, so that frame sizes do not give away the
     * lengths of the tokens inside.
     */
    private static final String PADDING = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private static final Pattern ROUTE = Pattern.compile(
            "^/model/([^/]+)/(converse|converse-stream|invoke|invoke-with-response-stream|count-tokens)$");

    /**
     * Shape of a SigV4 {@code Authorization} header; the signature itself is not recomputed. See
     * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
     */
    private static final Pattern SIGV4 = Pattern.compile(
            "^AWS4-HMAC-SHA256 Credential=[^/\\s,]+/\\d{8}/[^/\\s,]+/([^/\\s,]+)/aws4_request,\\s*"
                    + "SignedHeaders=[^,\\s]+,\\s*Signature=[0-9a-fA-F]+$");

    /**
     * How the simulator serves.
     *
     * @param port       TCP port on 127.0.0.1, or 0 for any free port
     * @param latency    delay before an answer, or before a stream's first frame
     * @param gap        delay between two content deltas of a stream
     * @param replyWords when positive, every text reply has exactly this many words, so a stream as many deltas
     * @param tls        the key and certificate to serve HTTPS with, or null for plain HTTP
     */
    public record Settings(int port, Duration latency, Duration gap, int replyWords, Tls tls) {

        public Settings {
            Objects.requireNonNull(latency, "latency");
            Objects.requireNonNull(gap, "gap");
            if (latency.isNegative() || gap.isNegative() || replyWords < 0) {
                throw new IllegalArgumentException("negative latency, gap or reply length: " + latency + ", " + gap
                        + ", " + replyWords);
            }
        }

        /**
         * Dev mode's: stream deltas a tenth of the latency apart (at most 50 ms), so streaming is observable without
         * slowing tests down.
         */
        public static Settings of(int port, Duration latency) {
            Duration tenth = latency.dividedBy(10);
            return new Settings(port, latency, tenth.compareTo(MAX_DEFAULT_GAP) > 0 ? MAX_DEFAULT_GAP : tenth, 0, null);
        }
    }

    /** PEM files of the server's private key and certificate (chain); the certificate should name localhost. */
    public record Tls(Path key, Path certificate) {
    }

    private final Vertx vertx;
    private final Settings settings;
    private final SimulatedClaude claude;
    private final AtomicInteger abandoned = new AtomicInteger();
    private HttpServer server;

    /**
     * @param vertx   the Vert.x instance whose event loop serves requests and runs the latency timers
     * @param port    TCP port on 127.0.0.1, or 0 for any free port
     * @param latency delay before a response (or the first stream frame), see {@link Settings#of}
     */
    public BedrockSimulator(Vertx vertx, int port, Duration latency) {
        this(vertx, Settings.of(port, Objects.requireNonNull(latency, "latency")));
    }

    /** @param vertx the Vert.x instance whose event loop serves requests and runs the latency timers */
    public BedrockSimulator(Vertx vertx, Settings settings) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.claude = new SimulatedClaude(settings.replyWords());
    }

    /**
     * Starts listening on 127.0.0.1 and returns the base URL to use as the SDK's endpoint override (with TLS
     * {@code https://localhost:PORT}, the name the certificate is for).
     */
    public synchronized URI start() {
        requireOffEventLoop();
        if (server != null) {
            throw new IllegalStateException("Simulator already started on port " + server.actualPort());
        }
        // h2c with prior knowledge is what the SDK's Netty client speaks over plain http when set to HTTP/2.
        HttpServerOptions options = new HttpServerOptions()
                .setHost(HOST)
                .setPort(settings.port())
                .setHttp2ClearTextEnabled(true);
        if (settings.tls() != null) {
            options.setSsl(true).setUseAlpn(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setKeyPath(settings.tls().key().toString())
                    .setCertPath(settings.tls().certificate().toString()));
        }
        HttpServer listening = await(vertx.createHttpServer(options).requestHandler(this::handle).listen());
        server = listening;
        return settings.tls() != null
                ? URI.create("https://localhost:" + listening.actualPort())
                : URI.create("http://" + HOST + ":" + listening.actualPort());
    }

    /**
     * Answers whose client went away (closed the connection, reset the HTTP/2 stream) before they were complete: a
     * stream cut off, a call never answered. A call that was cancelled shows here.
     */
    public int abandoned() {
        return abandoned.get();
    }

    /** Stops listening and closes open connections; a no-op when not started. */
    @Override
    public synchronized void close() {
        requireOffEventLoop();
        if (server == null) {
            return;
        }
        HttpServer closing = server;
        server = null;
        await(closing.close());
    }

    /** Waiting on an event loop for work scheduled on an event loop can deadlock. */
    private static void requireOffEventLoop() {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("BedrockSimulator.start/close block; call them off the event loop");
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture()
                    .get(BLOCKING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the simulator", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Simulator server did not start or stop", e);
        }
    }

    private void handle(HttpServerRequest request) {
        long started = System.nanoTime();
        HttpServerResponse response = request.response();
        response.putHeader(REQUEST_ID, UUID.randomUUID().toString());
        response.closeHandler(ignored -> {
            if (!response.ended()) {
                abandoned.incrementAndGet();
            }
        });
        // The whole body is read before any answer so the connection stays reusable for the SDK's pool.
        readBody(request, body -> dispatch(request, body, started));
    }

    /**
     * Like {@code request.body()}, but stops buffering at {@link #MAX_BODY_BYTES}: {@code body()} would hold an
     * arbitrarily large (or chunked, length-less) upload in memory before we could refuse it.
     */
    private static void readBody(HttpServerRequest request, Consumer<Buffer> onBody) {
        String declared = request.getHeader("Content-Length");
        if (declared != null && parseLength(declared) > MAX_BODY_BYTES) {
            rejectTooLarge(request);
            return;
        }
        if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
            request.response().writeContinue();
        }
        Buffer body = Buffer.buffer();
        boolean[] rejected = {false};
        request.handler(chunk -> {
            if (rejected[0]) {
                return;
            }
            if (body.length() + chunk.length() > MAX_BODY_BYTES) {
                rejected[0] = true;
                rejectTooLarge(request);
                return;
            }
            body.appendBuffer(chunk);
        });
        // A client that goes away mid-upload needs no answer; without a handler Vert.x would log the reset.
        request.exceptionHandler(ignored -> { });
        request.endHandler(ignored -> {
            if (!rejected[0]) {
                onBody.accept(body);
            }
        });
    }

    private static long parseLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void rejectTooLarge(HttpServerRequest request) {
        AwsError error = new AwsError(413, "ValidationException",
                "Request body exceeds the " + MAX_BODY_BYTES / (1024 * 1024) + " MB limit");
        Future<Void> sent = sendError(request.response(), error);
        // HTTP/1.x cannot skip the unread rest of the body, so the connection is unusable afterwards.
        if (request.version() != HttpVersion.HTTP_2) {
            sent.onComplete(ignored -> request.connection().close());
        }
    }

    private void dispatch(HttpServerRequest request, Buffer body, long started) {
        HttpServerResponse response = request.response();
        try {
            authenticate(request);
            Matcher route = route(request);
            String modelId = decodePathSegment(route.group(1));
            JsonNode json = parseJson(body);
            switch (route.group(2)) {
                case "converse" -> converse(response, modelId, json, started);
                case "converse-stream" -> converseStream(response, modelId, json, started);
                case "invoke" -> {
                    if (ClaudeModels.isClaude(modelId)) {
                        invokeClaude(response, modelId, json, started);
                    } else {
                        invoke(response, modelId, json, started);
                    }
                }
                case "invoke-with-response-stream" -> invokeClaudeStream(response, modelId, json, started);
                default -> countTokens(response, modelId, json);
            }
        } catch (AwsError e) {
            sendError(response, e);
        } catch (RuntimeException e) {
            sendError(response, new AwsError(500, "InternalServerException", "Simulator failure: " + e));
        }
    }

    /**
     * Checks only the presence and shape of SigV4 material: enough to catch a client that forgot to sign, without
     * sharing the secret key with the simulator.
     */
    private static void authenticate(HttpServerRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization == null || authorization.isBlank()) {
            throw new AwsError(403, "UnrecognizedClientException", "Missing Authentication Token");
        }
        Matcher sigv4 = SIGV4.matcher(authorization.trim());
        if (!sigv4.matches()) {
            throw new AwsError(403, "UnrecognizedClientException",
                    "The security token included in the request is invalid.");
        }
        if (!"bedrock".equals(sigv4.group(1))) {
            throw new AwsError(403, "InvalidSignatureException",
                    "Credential should be scoped to correct service: 'bedrock'.");
        }
        if (request.getHeader("X-Amz-Date") == null) {
            throw new AwsError(403, "IncompleteSignatureException",
                    "Authorization header requires existence of a 'X-Amz-Date' header.");
        }
    }

    private static Matcher route(HttpServerRequest request) {
        Matcher route = ROUTE.matcher(request.path());
        if (request.method() != HttpMethod.POST || !route.matches()) {
            throw new AwsError(404, "UnknownOperationException",
                    "No Bedrock Runtime operation for " + request.method() + " " + request.path());
        }
        return route;
    }

    /**
     * The SDK percent-encodes the model id as one path segment ({@code :} as %3A, the {@code /} of ARNs as %2F).
     * '+' is literal in a path, unlike in the form encoding {@link URLDecoder} implements.
     */
    static String decodePathSegment(String raw) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw AwsError.validation("The provided model identifier is invalid.");
        }
    }

    private static ObjectNode parseJson(Buffer body) {
        try {
            JsonNode json = JSON.readTree(body.getBytes());
            if (json == null || !json.isObject()) {
                throw AwsError.validation("Malformed input request: the body must be a JSON object");
            }
            return (ObjectNode) json;
        } catch (JsonProcessingException e) {
            throw AwsError.validation("Malformed input request: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw AwsError.validation("Malformed input request: " + e.getMessage());
        }
    }

    private void converse(HttpServerResponse response, String modelId, JsonNode request, long started) {
        SimulatedModel.Reply reply = SimulatedModel.respond(modelId, request, settings.replyWords());
        if (answers(reply.directives())) {
            later(latency(reply.directives()),
                    () -> sendJson(response, SimulatedModel.converseResponse(reply, elapsedMillis(started))));
        }
    }

    private void converseStream(HttpServerResponse response, String modelId, JsonNode request, long started) {
        SimulatedModel.Reply reply = SimulatedModel.respond(modelId, request, settings.replyWords());
        serveStream(response, reply.directives(), Map.of(), gap -> {
            List<SimulatedModel.StreamEvent> events = SimulatedModel.streamEvents(reply, elapsedMillis(started));
            List<Frame> frames = converseFrames(events);
            int firstDelta = 0;
            while (firstDelta < frames.size() - 1 && !frames.get(firstDelta).delta()) {
                firstDelta++;
            }
            return new Streamed(frames, firstDelta + 1, converseCycle(events));
        });
    }

    private void invoke(HttpServerResponse response, String modelId, JsonNode request, long started) {
        SimulatedEmbeddings.Result result = SimulatedEmbeddings.invoke(modelId, request);
        if (!answers(result.directives())) {
            return;
        }
        later(latency(result.directives()), () -> {
            // Headers InvokeModel reports on every call; clients use them for accounting.
            response.putHeader(INPUT_TOKEN_COUNT, Integer.toString(result.inputTokens()))
                    .putHeader(INVOCATION_LATENCY, Long.toString(elapsedMillis(started)));
            sendJson(response, result.body());
        });
    }

    private void invokeClaude(HttpServerResponse response, String modelId, JsonNode request, long started) {
        SimulatedClaude.Reply reply = claude.respond(modelId, request);
        if (!answers(reply.directives())) {
            return;
        }
        later(latency(reply.directives()), () -> {
            // Bedrock's accounting headers: the input count is the uncached part, the cache's parts have their own.
            PromptCache.Usage input = reply.input();
            response.putHeader(INPUT_TOKEN_COUNT, Integer.toString(input.uncached()))
                    .putHeader(OUTPUT_TOKEN_COUNT, Integer.toString(reply.outputTokens()))
                    .putHeader(CACHE_READ_TOKEN_COUNT, Integer.toString(input.read()))
                    .putHeader(CACHE_WRITE_TOKEN_COUNT, Integer.toString(input.written()))
                    .putHeader(INVOCATION_LATENCY, Long.toString(elapsedMillis(started)));
            sendJson(response, SimulatedClaude.message(reply));
        });
    }

    private void invokeClaudeStream(HttpServerResponse response, String modelId, JsonNode request, long started) {
        if (!ClaudeModels.isClaude(modelId)) {
            throw AwsError.validation("The simulator serves InvokeModelWithResponseStream only for Anthropic Claude "
                    + "models, not " + modelId);
        }
        SimulatedClaude.Reply reply = claude.respond(modelId, request);
        serveStream(response, reply.directives(), Map.of(MODEL_CONTENT_TYPE, "application/json"), gap -> {
            List<ObjectNode> events = SimulatedClaude.streamEvents(reply, elapsedMillis(started), gap.toMillis());
            List<Frame> frames = events.stream().map(BedrockSimulator::chunkFrame).toList();
            int lastDelta = frames.size() - 1;
            while (lastDelta > 0 && !frames.get(lastDelta).delta()) {
                lastDelta--;
            }
            List<Buffer> cycle = SimulatedClaude.repeatedDeltas(events).stream()
                    .map(event -> chunkFrame(event).bytes()).toList();
            return new Streamed(frames, lastDelta + 1, cycle);
        });
    }

    /**
     * CountTokens (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_CountTokens.html): the input
     * tokens InvokeModel or Converse would report for the same request, cached or not ({@code input_tokens +
     * cache_creation_input_tokens + cache_read_input_tokens}). Like Bedrock, it takes foundation-model ids only.
     */
    private void countTokens(HttpServerResponse response, String modelId, JsonNode request) {
        if (!ModelIds.isFoundationModel(modelId)) {
            throw AwsError.validation("The provided model identifier is invalid.");
        }
        if (!ClaudeModels.isClaude(modelId)) {
            throw AwsError.validation("The provided model doesn't support counting tokens.");
        }
        JsonNode input = request.path("input");
        if (input.has("invokeModel") == input.has("converse")) {
            throw AwsError.validation("1 validation error detected: Value at 'input' failed to satisfy constraint: "
                    + "Member must have exactly one of invokeModel, converse set");
        }
        SimulatedClaude.Counted counted;
        if (input.has("invokeModel")) {
            counted = SimulatedClaude.count(modelId, decodedBody(input.path("invokeModel").path("body")));
        } else {
            SimulatedModel.Reply reply = SimulatedModel.respond(modelId, input.path("converse"), 0);
            counted = new SimulatedClaude.Counted(reply.inputTokens(), reply.directives());
        }
        if (answers(counted.directives())) {
            later(latency(counted.directives()),
                    () -> sendJson(response, JSON.createObjectNode().put("inputTokens", counted.inputTokens())));
        }
    }

    /** The InvokeModel body inside a CountTokens request: a blob, so base64 in restJson1. */
    private static ObjectNode decodedBody(JsonNode body) {
        if (!body.isTextual()) {
            throw AwsError.validation("1 validation error detected: Value null at 'input.invokeModel.body' failed to "
                    + "satisfy constraint: Member must not be null");
        }
        try {
            return parseJson(Buffer.buffer(Base64.getDecoder().decode(body.asText())));
        } catch (IllegalArgumentException e) {
            throw AwsError.validation("Malformed input request: input.invokeModel.body is not base64");
        }
    }

    /** An answer in one piece (not a stream) either comes whole or, when asked to stall or not to end, never. */
    private static boolean answers(Directives directives) {
        return directives.ending() == Directives.Ending.COMPLETE;
    }

    private Duration latency(Directives directives) {
        return directives.latency() != null ? directives.latency() : settings.latency();
    }

    /** One event-stream frame; a delta carries generated content, and a paced stream leaves a gap before each. */
    record Frame(Buffer bytes, boolean delta) {
    }

    /**
     * A stream answer: its frames, and how it goes on when asked never to end: its first {@code opening} frames as
     * paced, then the writes of {@code cycle} over and over.
     */
    private record Streamed(List<Frame> frames, int opening, List<Buffer> cycle) {
    }

    /**
     * Serves a stream after the latency, as {@code directives} ask: whole, stalled after its first delta, or endless.
     * The frames are made only then, so that they can report the latency.
     */
    private void serveStream(HttpServerResponse response, Directives directives, Map<String, String> headers,
            Function<Duration, Streamed> answer) {
        later(latency(directives), () -> {
            Duration gap = directives.gap() != null ? directives.gap() : settings.gap();
            Streamed streamed = answer.apply(gap);
            response.setStatusCode(200)
                    .putHeader(CONTENT_TYPE, EVENT_STREAM_CONTENT_TYPE)
                    .setChunked(true);
            headers.forEach(response::putHeader);
            switch (directives.ending()) {
                case COMPLETE -> stream(response, writes(streamed.frames(), !gap.isZero()).iterator(), gap, true);
                case STALL -> stream(response, stalled(writes(streamed.frames(), true)), gap, false);
                case ENDLESS -> stream(response, endless(streamed),
                        gap.compareTo(ENDLESS_MIN_GAP) < 0 ? ENDLESS_MIN_GAP : gap, false);
            }
        });
    }

    /**
     * The frames of a stream grouped into writes. Paced, the first write carries the stream's start (the frames before
     * the first content delta: messageStart, as Bedrock sends it when the stream opens), each delta starts a write of
     * its own a gap after the previous write (as a model generates tokens, the first included), and the frames after
     * the last delta go with it. Unpaced, it all goes in one write.
     */
    static List<Buffer> writes(List<Frame> frames, boolean paced) {
        List<Buffer> writes = new ArrayList<>();
        Buffer current = Buffer.buffer();
        for (Frame frame : frames) {
            if (paced && frame.delta() && current.length() > 0) {
                writes.add(current);
                current = Buffer.buffer();
            }
            current.appendBuffer(frame.bytes());
        }
        writes.add(current);
        return writes;
    }

    static List<Frame> converseFrames(List<SimulatedModel.StreamEvent> events) {
        return events.stream()
                .map(event -> new Frame(encodeFrame(event), event.type().equals("contentBlockDelta")))
                .toList();
    }

    /** A stalled stream's writes: its start and its first delta, then nothing. */
    private static Iterator<Buffer> stalled(List<Buffer> writes) {
        return writes.subList(0, Math.min(2, writes.size())).iterator();
    }

    /** A stream's opening writes, paced, then its cycle again and again. */
    private static Iterator<Buffer> endless(Streamed streamed) {
        List<Buffer> opening = writes(streamed.frames().subList(0, streamed.opening()), true);
        List<Buffer> cycle = streamed.cycle();
        return new Iterator<>() {
            private long written;

            @Override
            public boolean hasNext() {
                return written < opening.size() || !cycle.isEmpty();
            }

            @Override
            public Buffer next() {
                Buffer write = written < opening.size()
                        ? opening.get((int) written)
                        : cycle.get((int) ((written - opening.size()) % cycle.size()));
                written++;
                return write;
            }
        };
    }

    /**
     * What an endless ConverseStream repeats after its first delta: its other content deltas, then the first again
     * with the space before it that it lacked at the start.
     */
    private static List<Buffer> converseCycle(List<SimulatedModel.StreamEvent> events) {
        List<SimulatedModel.StreamEvent> deltas = events.stream()
                .filter(event -> event.type().equals("contentBlockDelta")).toList();
        if (deltas.isEmpty()) {
            return List.of();
        }
        List<Buffer> cycle = new ArrayList<>();
        deltas.subList(1, deltas.size()).forEach(delta -> cycle.add(encodeFrame(delta)));
        cycle.add(encodeFrame(spaced(deltas.get(0))));
        return cycle;
    }

    private static SimulatedModel.StreamEvent spaced(SimulatedModel.StreamEvent delta) {
        JsonNode text = delta.payload().path("delta").path("text");
        if (!text.isTextual() || text.asText().startsWith(" ")) {
            return delta;
        }
        ObjectNode payload = delta.payload().deepCopy();
        ((ObjectNode) payload.get("delta")).put("text", " " + text.asText());
        return new SimulatedModel.StreamEvent(delta.type(), payload);
    }

    /**
     * Writes {@code writes} a gap apart, so clients see the answer arrive incrementally as from Bedrock; ends the
     * response after the last one if {@code end}, otherwise leaves it open (until the client goes away).
     */
    private void stream(HttpServerResponse response, Iterator<Buffer> writes, Duration gap, boolean end) {
        if (response.closed() || !writes.hasNext()) {
            return;
        }
        if (response.writeQueueFull()) {
            response.drainHandler(ignored -> stream(response, writes, gap, end));
            return;
        }
        Buffer write = writes.next();
        if (end && !writes.hasNext()) {
            response.end(write);
            return;
        }
        response.write(write);
        later(gap, () -> stream(response, writes, gap, end));
    }

    /**
     * Frame layout per https://smithy.io/2.0/aws/amazon-eventstream.html; the SDK selects the {@code
     * ConverseStreamOutput} member from {@code :event-type}.
     */
    static Buffer encodeFrame(SimulatedModel.StreamEvent event) {
        return encodeFrame(event.type(), event.payload());
    }

    /**
     * An InvokeModelWithResponseStream {@code chunk} frame
     * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_PayloadPart.html): the model's event JSON,
     * base64 in {@code bytes}, which the SDK hands over as a PayloadPart, and Bedrock's padding in {@code p}.
     */
    static Frame chunkFrame(ObjectNode event) {
        ObjectNode payload = JSON.createObjectNode()
                .put("bytes", Base64.getEncoder().encodeToString(event.toString().getBytes(StandardCharsets.UTF_8)))
                .put("p", PADDING.substring(0, ThreadLocalRandom.current().nextInt(1, PADDING.length() + 1)));
        return new Frame(encodeFrame("chunk", payload), SimulatedClaude.isDelta(event));
    }

    private static Buffer encodeFrame(String eventType, ObjectNode payloadJson) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":event-type", HeaderValue.fromString(eventType));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("event"));
        byte[] payload = payloadJson.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer frame = new Message(headers, payload).toByteBuffer();
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        return Buffer.buffer(bytes);
    }

    private static void sendJson(HttpServerResponse response, JsonNode body) {
        if (response.closed()) {
            return;
        }
        response.setStatusCode(200)
                .putHeader(CONTENT_TYPE, "application/json")
                .end(body.toString());
    }

    /**
     * restJson1 error: the SDK picks the exception class from {@code x-amzn-ErrorType} and the text from the body's
     * {@code message}. See
     * https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html#operation-error-serialization
     */
    private static Future<Void> sendError(HttpServerResponse response, AwsError error) {
        if (response.ended() || response.closed()) {
            return Future.succeededFuture();
        }
        String body = JSON.createObjectNode().put("message", error.getMessage()).toString();
        return response.setStatusCode(error.status)
                .putHeader(ERROR_TYPE, error.type)
                .putHeader(CONTENT_TYPE, "application/json")
                .end(body);
    }

    private void later(Duration delay, Runnable action) {
        long millis = delay.toMillis();
        if (millis <= 0) {
            // Next event-loop turn rather than recursion: long streams would otherwise grow the stack per frame.
            vertx.runOnContext(ignored -> action.run());
        } else {
            vertx.setTimer(millis, ignored -> action.run());
        }
    }

    private static long elapsedMillis(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    /** An error answered in AWS's shape; thrown for control flow only, hence without a stack trace. */
    static final class AwsError extends RuntimeException {
        final int status;
        final String type;

        AwsError(int status, String type, String message) {
            super(message, null, false, false);
            this.status = status;
            this.type = type;
        }

        static AwsError validation(String message) {
            return new AwsError(400, "ValidationException", message);
        }
    }
}
