package dev.bedrockgateway.bedrock;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.catalog.ModelCatalog;
import dev.bedrockgateway.config.GatewayConfig;
import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpResponseHandler;
import software.amazon.awssdk.http.async.SdkHttpContentPublisher;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Every call to Bedrock's runtime API: Bedrock's own API relayed byte for byte, and the API surfaces' calls, whose
 * bodies {@link BedrockProtocol} wrote ({@link BedrockInvoker}). For each attempt the gateway builds the upstream
 * request itself — {@code POST {region's endpoint}/model/{model id}/{operation}} with the body unchanged and the
 * headers it is given — signs it with SigV4 (the SDK's public signer, signing name {@code bedrock}, the deployment's
 * region, the gateway's credentials: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html), and sends
 * it through the one HTTP client ({@link BedrockClients}). A client's own {@code Authorization} (its gateway key)
 * never leaves: nothing of the client's request is sent but what {@link Request} holds.
 *
 * <p>A 2xx answer is handed back as Bedrock sent it; any other status becomes the {@link UpstreamFailure} its error
 * code makes ({@link BedrockErrors#fromBedrock}), so the router retries exactly what it retries for the SDK's calls.
 * A stream resolves with its first complete frame, like {@link BedrockInvoker}'s streams, so that a failure before it
 * (an error status, an exception frame first, no frame within {@code gateway.bedrock.first-byte-timeout}) is still an
 * ordinary error that may be retried; after it the frames come one by one, and a failure (the connection, a silence
 * longer than {@code gateway.bedrock.stream-idle-timeout}, a corrupt frame) ends the stream with one exception frame.
 */
@ApplicationScoped
public class BedrockRelay {

    private static final Logger LOG = Logger.getLogger(BedrockRelay.class);

    /** SigV4 signing name of the Bedrock runtime (the SDK's {@code aws.auth#sigv4} option for the service). */
    static final String SIGNING_NAME = "bedrock";
    public static final String EVENT_STREAM = "application/vnd.amazon.eventstream";
    private static final String BEDROCK_HEADERS = "x-amzn-bedrock-";
    static final String REQUEST_ID = "x-amzn-requestid";
    private static final String ERROR_TYPE = "x-amzn-errortype";
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One call of Bedrock's runtime API for one deployment.
     *
     * @param operation {@code invoke}, {@code converse}, ... (the last path segment)
     * @param modelId the model id for the path, not yet URL-encoded
     * @param body the body, sent unchanged
     * @param headers the request headers to send besides the signature's ({@code Content-Type}, {@code Accept},
     *        {@code X-Amzn-Bedrock-*})
     */
    public record Request(String operation, String modelId, byte[] body, Map<String, String> headers) {
    }

    /**
     * A 2xx answer in one piece.
     *
     * @param headers Bedrock's response headers worth relaying ({@code x-amzn-requestid}, {@code x-amzn-bedrock-*}),
     *        names in lower case
     */
    public record Reply(String contentType, Map<String, String> headers, byte[] body) {
    }

    /** A 2xx stream, its first frame received. */
    public record Stream(String contentType, Map<String, String> headers, Multi<EventFrame> frames) {
    }

    private final BedrockClients clients;
    private final ModelCatalog catalog;
    private final Duration requestTimeout;
    private final Duration firstByteTimeout;
    private final Duration idleTimeout;
    private final Vertx vertx;

    public BedrockRelay(BedrockClients clients, ModelCatalog catalog, GatewayConfig config, Vertx vertx) {
        this.clients = clients;
        this.vertx = vertx;
        this.catalog = catalog;
        this.requestTimeout = config.bedrock().requestTimeout();
        this.firstByteTimeout = config.bedrock().firstByteTimeout();
        this.idleTimeout = config.bedrock().streamIdleTimeout();
    }

    /**
     * A call answered in one piece (InvokeModel, Converse, CountTokens), bounded by the request timeout (the
     * catalog's {@code request_timeout} when it sets one).
     */
    public Uni<Reply> call(Deployment deployment, Request request) {
        Duration timeout = requestTimeout();
        return Uni.createFrom().<Whole>emitter(emitter -> {
            Whole whole = new Whole();
            Exchange exchange = new Exchange(whole);
            emitter.onTermination(exchange::cancel);
            send(deployment, request, exchange);
            whole.done.whenComplete((answered, failure) -> {
                if (failure == null) {
                    emitter.complete(answered);
                } else {
                    emitter.fail(failure);
                }
            });
        })
                .ifNoItem().after(timeout).on(LoopScheduler.current())
                .failWith(() -> callTimedOut(timeout))
                .onFailure().transform(BedrockRelay::failure)
                .map(whole -> {
                    SdkHttpResponse response = whole.response;
                    byte[] body = whole.body.toByteArray();
                    if (!response.isSuccessful()) {
                        throw error(response, body);
                    }
                    return new Reply(contentType(response, "application/json"), relayed(response), body);
                });
    }

    /**
     * A streaming call (InvokeModelWithResponseStream, ConverseStream), resolved with its first frame. A failure after
     * it ends the frames with one exception frame ({@link #lastFrame}).
     */
    public Uni<Stream> stream(Deployment deployment, Request request) {
        return open(deployment, request, null).map(stream -> new Stream(stream.contentType(), stream.headers(),
                stream.frames().onFailure().recoverWithItem(BedrockRelay::lastFrame)));
    }

    /**
     * The same call, its frames as Bedrock sent them: a failure after the first frame fails the frames (a silence
     * longer than the idle timeout with {@link StreamStalled}), and an exception frame is a frame like any other.
     *
     * @param total when not null, the time from now within which the whole stream must have ended (and its first
     *        frame come, if that is sooner than the first-byte timeout): after it, the call fails or the frames do with
     *        the SDK's {@link ApiCallTimeoutException}, as its API call timeout would
     */
    Uni<Stream> open(Deployment deployment, Request request, Duration total) {
        long deadline = total == null ? 0 : System.nanoTime() + Math.max(1, total.toNanos());
        boolean firstByteFirst = total == null || firstByteTimeout.compareTo(total) <= 0;
        return Uni.createFrom().deferred(() -> {
            Frames frames = new Frames(deadline, total);
            Exchange exchange = new Exchange(frames);
            frames.exchange = exchange;
            return Uni.createFrom().<Stream>emitter(started -> {
                frames.emitter = started;
                send(deployment, request, exchange);
            })
                    // Failed, timed out or abandoned before the first frame: the call is aborted.
                    .onTermination().invoke((stream, failure, cancelled) -> {
                        if (failure != null || cancelled) {
                            exchange.cancel();
                        }
                    });
        })
                .ifNoItem().after(firstByteFirst ? firstByteTimeout : total).on(LoopScheduler.current())
                .failWith(() -> firstByteFirst ? noFirstEvent() : callTimedOut(total))
                .onFailure().transform(BedrockRelay::failure);
    }

    /** The time one call may take: the catalog's {@code request_timeout} when it sets one, else the gateway's. */
    Duration requestTimeout() {
        return catalog.current().settings().requestTimeout().orElse(requestTimeout);
    }

    /** The failure of a stream whose first event did not come in time: retried, as nothing was relayed yet. */
    static OpenAiException noFirstEvent() {
        return new UpstreamFailure(504, ErrorTypes.SERVER, "timeout",
                "Bedrock did not start answering within the gateway's first-byte timeout.", null, null, true);
    }

    /** What the SDK's API call timeout fails a call with. */
    static OpenAiException callTimedOut(Duration timeout) {
        return BedrockErrors.toOpenAi(ApiCallTimeoutException.create(timeout.toMillis()));
    }

    /** Builds, signs and sends the request; the answer goes to the exchange's handler. */
    private void send(Deployment deployment, Request request, Exchange exchange) {
        SdkHttpFullRequest.Builder http = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST)
                .uri(uri(deployment.region(), request));
        request.headers().forEach(http::putHeader);
        http.putHeader("Content-Length", Integer.toString(request.body().length));
        SdkHttpFullRequest unsigned = http.build();
        clients.credentials().resolveIdentity().thenAccept(credentials -> {
            if (exchange.over()) {
                return;
            }
            SignedRequest signed = SIGNER.sign(r -> r.identity(credentials).request(unsigned)
                    .payload(ContentStreamProvider.fromByteArrayUnsafe(request.body()))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SIGNING_NAME)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, deployment.region()));
            exchange.started(clients.http().execute(AsyncExecuteRequest.builder()
                    .request(signed.request())
                    .requestContentPublisher(new Body(request.body()))
                    .responseHandler(exchange)
                    .build()));
        }).exceptionally(failure -> {
            exchange.onError(failure);  // credentials that cannot be had, a signing failure
            return null;
        });
    }

    /** {@code /model/{modelId}/{operation}} on the region's endpoint, the model id encoded as the SDK encodes it. */
    private URI uri(String region, Request request) {
        String base = clients.endpoint(region).toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + "/model/" + SdkHttpUtils.urlEncode(request.modelId()) + "/" + request.operation());
    }

    /** The headers of Bedrock's answer a client of its API reads: the request id, token counts and latency. */
    static Map<String, String> relayed(SdkHttpResponse response) {
        Map<String, String> headers = new LinkedHashMap<>();
        response.forEachHeader((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!values.isEmpty() && (lower.startsWith(BEDROCK_HEADERS) || lower.equals(REQUEST_ID))) {
                headers.put(lower, values.get(0));
            }
        });
        return headers;
    }

    private static String contentType(SdkHttpResponse response, String otherwise) {
        return response.firstMatchingHeader("Content-Type").orElse(otherwise);
    }

    /**
     * A non-2xx answer as the failure its error code makes: the code from {@code x-amzn-ErrorType}, else the body's
     * {@code __type} or {@code code}; the message from the body's {@code message} (restJson1,
     * https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html#operation-error-serialization).
     */
    static UpstreamFailure error(SdkHttpResponse response, byte[] body) {
        String code = response.firstMatchingHeader(ERROR_TYPE).orElse(null);
        String message = null;
        JsonNode json = parse(body);
        if (json != null) {
            message = text(json, "message", "Message");
            if (code == null) {
                code = text(json, "__type", "code");
            }
        }
        return BedrockErrors.fromBedrock(code, response.statusCode(), message,
                response.firstMatchingHeader(REQUEST_ID).orElse(null));
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode json = JSON.readTree(body);
            return json != null && json.isObject() ? json : null;
        } catch (Exception notJson) {
            return null;
        }
    }

    private static String text(JsonNode json, String... names) {
        for (String name : names) {
            JsonNode value = json.get(name);
            if (value != null && value.isTextual()) {
                return value.asText();
            }
        }
        return null;
    }

    /** Any failure of a call as the gateway's: transport failures are the SDK's "could not complete the call". */
    private static Throwable failure(Throwable failure) {
        Throwable t = BedrockErrors.unwrap(failure);
        if (t instanceof OpenAiException) {
            return t;
        }
        if (t instanceof SdkException) {
            return BedrockErrors.toOpenAi(t);
        }
        return BedrockErrors.toOpenAi(SdkClientException.create("The call to Bedrock failed: " + t, t));
    }


    /**
     * One HTTP exchange with Bedrock: hands the answer to its handler until it is over, and can be cancelled (the
     * client gone, a timeout), which aborts the HTTP request unless the answer already arrived whole.
     */
    private static final class Exchange implements SdkAsyncHttpResponseHandler {
        private final SdkAsyncHttpResponseHandler handler;
        private final AtomicBoolean over = new AtomicBoolean();
        private volatile CompletableFuture<Void> call;
        private volatile Subscription body;

        Exchange(SdkAsyncHttpResponseHandler handler) {
            this.handler = handler;
        }

        void started(CompletableFuture<Void> future) {
            call = future;
            if (over.get()) {
                future.cancel(true);
            }
        }

        boolean over() {
            return over.get();
        }

        /** The answer was read to its end: nothing is left to cancel. */
        void finished() {
            over.set(true);
        }

        void cancel() {
            if (over.compareAndSet(false, true)) {
                Subscription s = body;
                if (s != null) {
                    s.cancel();
                }
                CompletableFuture<Void> future = call;
                if (future != null) {
                    future.cancel(true);
                }
            }
        }

        @Override
        public void onHeaders(SdkHttpResponse headers) {
            handler.onHeaders(headers);
        }

        @Override
        public void onStream(org.reactivestreams.Publisher<ByteBuffer> stream) {
            handler.onStream(subscriber -> stream.subscribe(new Subscriber<ByteBuffer>() {
                @Override
                public void onSubscribe(Subscription s) {
                    body = s;
                    if (over.get()) {
                        s.cancel();
                        return;
                    }
                    subscriber.onSubscribe(s);
                }

                @Override
                public void onNext(ByteBuffer bytes) {
                    subscriber.onNext(bytes);
                }

                @Override
                public void onError(Throwable t) {
                    subscriber.onError(t);
                }

                @Override
                public void onComplete() {
                    finished();
                    subscriber.onComplete();
                }
            }));
        }

        @Override
        public void onError(Throwable error) {
            handler.onError(error);
        }
    }

    /** Adds the buffer's remaining bytes to {@code out}, without a copy when the buffer is backed by an array. */
    private static void append(ByteArrayOutputStream out, ByteBuffer bytes) {
        if (bytes.hasArray()) {
            out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
        } else {
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            out.write(copy, 0, copy.length);
        }
    }

    /** An answer read whole. */
    private static final class Whole implements SdkAsyncHttpResponseHandler, Subscriber<ByteBuffer> {
        final CompletableFuture<Whole> done = new CompletableFuture<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream(1024);
        SdkHttpResponse response;

        @Override
        public void onHeaders(SdkHttpResponse headers) {
            response = headers;
        }

        @Override
        public void onStream(org.reactivestreams.Publisher<ByteBuffer> stream) {
            stream.subscribe(this);
        }

        @Override
        public void onSubscribe(Subscription s) {
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(ByteBuffer bytes) {
            append(body, bytes);
        }

        @Override
        public void onError(Throwable error) {
            done.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            done.complete(this);
        }
    }

    /**
     * A streamed answer, cut into frames as its bytes arrive. Until the first frame, the answer is undecided (an error
     * status, an exception frame or a failure fail the call); from it on, the frames flow to the client and a failure
     * becomes the stream's last frame. Called on the HTTP client's thread, one signal at a time.
     */
    private final class Frames implements SdkAsyncHttpResponseHandler, Subscriber<ByteBuffer> {
        /** When the whole stream must have ended ({@link System#nanoTime()}), 0 for no such bound. */
        final long deadline;
        final Duration total;
        UniEmitter<? super Stream> emitter;
        final AtomicBoolean started = new AtomicBoolean();
        final UnicastProcessor<EventFrame> frames = UnicastProcessor.create();
        final EventFrameReader reader = new EventFrameReader();
        Exchange exchange;
        SdkHttpResponse response;
        /** The body of an error status, read whole. */
        ByteArrayOutputStream errorBody;
        boolean failed;

        Frames(long deadline, Duration total) {
            this.deadline = deadline;
            this.total = total;
        }

        @Override
        public void onHeaders(SdkHttpResponse headers) {
            response = headers;
            if (!headers.isSuccessful()) {
                errorBody = new ByteArrayOutputStream(256);
            }
        }

        @Override
        public void onStream(org.reactivestreams.Publisher<ByteBuffer> stream) {
            stream.subscribe(this);
        }

        @Override
        public void onSubscribe(Subscription s) {
            // Bedrock's frames are few and small; the client's pace is kept by AnswerWriter, as for the SDK's streams.
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(ByteBuffer bytes) {
            if (failed) {
                return;
            }
            if (errorBody != null) {
                append(errorBody, bytes);
                return;
            }
            List<EventFrame> complete;
            try {
                complete = reader.feed(bytes);
            } catch (IllegalStateException corrupt) {
                fail(SdkClientException.create("Bedrock's stream is not a valid event stream: "
                        + corrupt.getMessage(), corrupt));
                exchange.cancel();
                return;
            }
            for (EventFrame frame : complete) {
                if (!started.get()) {
                    if (frame.isException()) {
                        // Refused before anything was relayed (a throttled stream): an ordinary, maybe retried, error.
                        failed = true;
                        exchange.cancel();
                        emitter.fail(BedrockErrors.fromBedrock(frame.exceptionType(), 0, message(frame.payload()),
                                response.firstMatchingHeader(REQUEST_ID).orElse(null)));
                        return;
                    }
                    frames.onNext(frame);
                    start();
                } else {
                    frames.onNext(frame);
                }
            }
        }

        @Override
        public void onError(Throwable error) {
            if (!(BedrockErrors.unwrap(error) instanceof CancellationException)) {
                fail(error);
            }
        }

        @Override
        public void onComplete() {
            if (failed) {
                return;
            }
            if (errorBody != null) {
                failed = true;
                emitter.fail(error(response, errorBody.toByteArray()));
                return;
            }
            if (reader.incomplete() > 0) {
                fail(SdkClientException.create("Bedrock's stream ended inside a frame."));
                return;
            }
            frames.onComplete();
            start();
        }

        private void fail(Throwable error) {
            if (failed) {
                return;
            }
            failed = true;
            if (started.get()) {
                frames.onError(error);
            } else {
                emitter.fail(error);
            }
        }

        private void start() {
            if (started.compareAndSet(false, true)) {
                Exchange call = exchange;
                Multi<EventFrame> relayed = IdleTimeout.failWhenIdleOrLate(frames, idleTimeout, StreamStalled::new,
                        deadline, () -> callTimedOut(total), vertx)
                        .onTermination().invoke((failure, cancelled) -> {
                            if (failure != null || cancelled) {
                                call.cancel();
                            }
                        });
                emitter.complete(new Stream(contentType(response, EVENT_STREAM), relayed(response), relayed));
            }
        }
    }

    /**
     * How a stream that failed after it started ends: with an exception frame, as Bedrock ends a stream that fails
     * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html#API_runtime_ConverseStream_ResponseSyntax),
     * never a clean-looking end or a hang.
     */
    static EventFrame lastFrame(Throwable failure) {
        if (failure instanceof StreamStalled) {
            LOG.debugf("Bedrock stream stalled mid-stream");
            return EventFrame.exception("modelTimeoutException",
                    "The Bedrock stream stalled: no event within the gateway's stream idle timeout.");
        }
        LOG.debugf("Bedrock stream failed mid-stream: %s", failure.toString());
        return EventFrame.exception("internalServerException", "The connection to Bedrock failed mid-stream.");
    }

    /** An exception frame's {@code message}. */
    static String message(byte[] payload) {
        JsonNode json = parse(payload);
        return json == null ? null : text(json, "message", "Message");
    }

    /** No frame within the stream idle timeout. */
    static final class StreamStalled extends RuntimeException {
        StreamStalled() {
            super("stream idle timeout", null, false, false);
        }
    }

    /** The request body, as the SDK's HTTP clients read one. */
    private static final class Body implements SdkHttpContentPublisher {
        private final byte[] bytes;

        Body(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public Optional<Long> contentLength() {
            return Optional.of((long) bytes.length);
        }

        @Override
        public void subscribe(Subscriber<? super ByteBuffer> subscriber) {
            AsyncRequestBody.fromBytesUnsafe(bytes).subscribe(subscriber);
        }
    }
}
