package dev.bedrockgateway.dev;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * A local stand-in for the Bedrock Runtime endpoint that speaks the real wire protocol (restJson1 plus
 * {@code application/vnd.amazon.eventstream}), so the unmodified AWS SDK client can be pointed at it with an
 * endpoint override. The chat model behind it is {@link SimulatedModel}, the embedding models {@link
 * SimulatedEmbeddings}.
 *
 * <p>Routes: {@code POST /model/{modelId}/converse}, {@code /converse-stream} and {@code /invoke}; see
 * <a href="https://docs.aws.amazon.com/bedrock/latest/APIReference/API_Operations_Amazon_Bedrock_Runtime.html">the
 * Bedrock Runtime API reference</a>.
 *
 * <p>{@link #start()} and {@link #close()} block, so they must not be called on a Vert.x event-loop thread.
 */
public final class BedrockSimulator implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Bedrock's documented request payload quota for the runtime API. */
    static final int MAX_BODY_BYTES = 20 * 1024 * 1024;

    private static final String HOST = "127.0.0.1";
    private static final Duration BLOCKING_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration MAX_FRAME_GAP = Duration.ofMillis(50);
    private static final String EVENT_STREAM_CONTENT_TYPE = "application/vnd.amazon.eventstream";

    // Response header names in lower case: HTTP/2 forbids upper case, and strict h2 peers (curl/nghttp2) reset the
    // stream over it even though the SDK's Netty client is lenient.
    private static final String CONTENT_TYPE = "content-type";
    private static final String REQUEST_ID = "x-amzn-requestid";
    private static final String ERROR_TYPE = "x-amzn-errortype";
    private static final String INPUT_TOKEN_COUNT = "x-amzn-bedrock-input-token-count";
    private static final String INVOCATION_LATENCY = "x-amzn-bedrock-invocation-latency";

    private static final Pattern ROUTE = Pattern.compile("^/model/([^/]+)/(converse|converse-stream|invoke)$");

    /**
     * Shape of a SigV4 {@code Authorization} header; the signature itself is not recomputed. See
     * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
     */
    private static final Pattern SIGV4 = Pattern.compile(
            "^AWS4-HMAC-SHA256 Credential=[^/\\s,]+/\\d{8}/[^/\\s,]+/([^/\\s,]+)/aws4_request,\\s*"
                    + "SignedHeaders=[^,\\s]+,\\s*Signature=[0-9a-fA-F]+$");

    private final Vertx vertx;
    private final int port;
    private final Duration latency;
    private final Duration frameGap;
    private HttpServer server;

    /**
     * @param vertx   the Vert.x instance whose event loop serves requests and runs the latency timers
     * @param port    TCP port on 127.0.0.1, or 0 for any free port
     * @param latency delay before a response (or the first stream frame); stream frames then follow a tenth of it
     *                apart (at most 50 ms), so streaming is observable without slowing tests down
     */
    public BedrockSimulator(Vertx vertx, int port, Duration latency) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.port = port;
        this.latency = Objects.requireNonNull(latency, "latency");
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative: " + latency);
        }
        Duration tenth = latency.dividedBy(10);
        this.frameGap = tenth.compareTo(MAX_FRAME_GAP) > 0 ? MAX_FRAME_GAP : tenth;
    }

    /** Starts listening on 127.0.0.1 and returns the base URL to use as the SDK's endpoint override. */
    public synchronized URI start() {
        requireOffEventLoop();
        if (server != null) {
            throw new IllegalStateException("Simulator already started on port " + server.actualPort());
        }
        // h2c with prior knowledge is what the SDK's Netty client speaks over plain http when set to HTTP/2.
        HttpServerOptions options = new HttpServerOptions()
                .setHost(HOST)
                .setPort(port)
                .setHttp2ClearTextEnabled(true);
        HttpServer listening = await(vertx.createHttpServer(options).requestHandler(this::handle).listen());
        server = listening;
        return URI.create("http://" + HOST + ":" + listening.actualPort());
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
        request.response().putHeader(REQUEST_ID, UUID.randomUUID().toString());
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
                default -> invoke(response, modelId, json, started);
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

    private static JsonNode parseJson(Buffer body) {
        try {
            JsonNode json = JSON.readTree(body.getBytes());
            if (json == null || !json.isObject()) {
                throw AwsError.validation("Malformed input request: the body must be a JSON object");
            }
            return json;
        } catch (JsonProcessingException e) {
            throw AwsError.validation("Malformed input request: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw AwsError.validation("Malformed input request: " + e.getMessage());
        }
    }

    private void converse(HttpServerResponse response, String modelId, JsonNode request, long started) {
        SimulatedModel.Reply reply = SimulatedModel.respond(modelId, request);
        later(latency, () -> sendJson(response, SimulatedModel.converseResponse(reply, elapsedMillis(started))));
    }

    private void converseStream(HttpServerResponse response, String modelId, JsonNode request, long started) {
        SimulatedModel.Reply reply = SimulatedModel.respond(modelId, request);
        later(latency, () -> {
            List<SimulatedModel.StreamEvent> events = SimulatedModel.streamEvents(reply, elapsedMillis(started));
            response.setStatusCode(200)
                    .putHeader(CONTENT_TYPE, EVENT_STREAM_CONTENT_TYPE)
                    .setChunked(true);
            writeFrames(response, events.iterator());
        });
    }

    private void invoke(HttpServerResponse response, String modelId, JsonNode request, long started) {
        SimulatedEmbeddings.Result result = SimulatedEmbeddings.invoke(modelId, request);
        later(latency, () -> {
            // Headers InvokeModel reports on every call; clients use them for accounting.
            response.putHeader(INPUT_TOKEN_COUNT, Integer.toString(result.inputTokens()))
                    .putHeader(INVOCATION_LATENCY, Long.toString(elapsedMillis(started)));
            sendJson(response, result.body());
        });
    }

    /** One event-stream frame per write, so clients see the response arrive incrementally as from Bedrock. */
    private void writeFrames(HttpServerResponse response, Iterator<SimulatedModel.StreamEvent> events) {
        if (response.closed()) {
            return;
        }
        if (!events.hasNext()) {
            response.end();
            return;
        }
        if (response.writeQueueFull()) {
            response.drainHandler(ignored -> writeFrames(response, events));
            return;
        }
        response.write(encodeFrame(events.next()));
        later(frameGap, () -> writeFrames(response, events));
    }

    /**
     * Frame layout per https://smithy.io/2.0/aws/amazon-eventstream.html; the SDK selects the {@code
     * ConverseStreamOutput} member from {@code :event-type}.
     */
    static Buffer encodeFrame(SimulatedModel.StreamEvent event) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":event-type", HeaderValue.fromString(event.type()));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("event"));
        byte[] payload = event.payload().toString().getBytes(StandardCharsets.UTF_8);
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
