package dev.bedrockgateway.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import dev.bedrockgateway.config.GatewayConfig;
import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.observability.GatewayMetrics;
import dev.bedrockgateway.error.OpenAiException;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The checks every request meets first, before any body byte is read, answered in the error shape of the request's
 * API ({@link WireFormat}; the HTTP layer's own 400, 413, 414 and 431 have no body): a well-formed URI no longer than the limit, and the size limits of
 * headers and body. Runs on the event loop ahead of every other route. The HTTP layer's limits
 * ({@code quarkus.http.limits.*}) are set above these, as a backstop for what never reaches a route, and Quarkus's own
 * URI check is off ({@link dev.bedrockgateway.GatewayMain}) so that this one answers.
 *
 * <p>Also bounds the request bodies held in memory at once ({@code gateway.limits.max-in-flight-request-bytes}):
 * each costs several times its size in heap until its call to Bedrock is on the wire, and without a bound a few
 * concurrent large requests (images, long conversations) exhaust the heap and fail everything in flight.
 */
@Singleton
public class RequestLimits {

    private final OpenAiException malformedUri;
    private final OpenAiException uriTooLong;
    private final OpenAiException bodyTooLarge;
    private final OpenAiException headersTooLarge;
    private final OpenAiException overloaded;
    private final long maxBytes;
    private final int maxHeaderBytes;
    private final int maxUriBytes;
    private final long maxInFlightBytes;
    private final AtomicLong inFlightBytes = new AtomicLong();
    private final GatewayMetrics metrics;
    private final BodyHandler chunkedBodies;
    /** How long a refused request's remaining body is read and dropped before the connection closes anyway. */
    private static final long LINGER_MS = 2000;
    /** Marks a request whose chunked body {@link #chunkedBodies} reads. */
    private static final String CHUNKED_BODY = RequestLimits.class.getName() + ".chunked";

    public RequestLimits(GatewayConfig config, GatewayMetrics metrics) {
        this.metrics = metrics;
        this.maxBytes = config.limits().maxRequestBytes();
        this.maxHeaderBytes = config.limits().maxHeaderBytes();
        this.maxUriBytes = config.limits().maxUriBytes();
        this.maxInFlightBytes = config.limits().maxInFlightRequestBytes()
                .orElse(Runtime.getRuntime().maxMemory() / 16);
        this.malformedUri = error(400,
                "The request URL is malformed: it is not a valid URI (check its percent-encoding).",
                ErrorTypes.INVALID_REQUEST, "invalid_url");
        this.uriTooLong = error(414,
                "The request URL is longer than the gateway's limit of " + maxUriBytes + " bytes.",
                ErrorTypes.INVALID_REQUEST, "url_too_long");
        this.overloaded = error(503,
                "The gateway is holding as many request bodies as its memory allows; retry shortly.",
                ErrorTypes.SERVER, "server_overloaded");
        this.bodyTooLarge = error(413,
                "The request body is larger than the gateway's limit of " + maxBytes + " bytes.",
                ErrorTypes.INVALID_REQUEST, "request_too_large");
        this.headersTooLarge = error(431, "The request headers are larger than the gateway's limit of " + maxHeaderBytes
                + " bytes.", ErrorTypes.INVALID_REQUEST, "request_headers_too_large");
        // A chunked body announces no length: read it here, up to the limit, and hand it to RESTEasy (which takes a
        // body already read), so that one over the limit gets the same 413 in its API's shape as an announced one.
        // Left to RESTEasy, it was a bare 413 with no body.
        this.chunkedBodies = BodyHandler.create(false).setBodyLimit(maxBytes).setMergeFormAttributes(false);
    }

    private static OpenAiException error(int status, String message, String type, String code) {
        return new OpenAiException(status, type, code, null, message);
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::check).failureHandler(this::chunkedBodyTooLarge);
    }

    /** Health and metrics are internal, but a malformed URI gets a clear 400 there too, not a failure inside them. */
    void install(@Observes ManagementInterface management) {
        management.router().route().order(Integer.MIN_VALUE).handler(rc -> {
            if (validUri(rc.request().uri())) {
                rc.next();
            } else {
                refuse(rc, malformedUri);
            }
        });
    }

    private void check(RoutingContext rc) {
        String uri = rc.request().uri();
        long length = contentLength(rc.request().getHeader(HttpHeaders.CONTENT_LENGTH));
        if (uri.length() > maxUriBytes) {
            refuse(rc, uriTooLong);
        } else if (!validUri(uri)) {
            refuse(rc, malformedUri);
        } else if (length > maxBytes) {
            refuse(rc, bodyTooLarge);
        } else if (headerBytes(rc.request().headers()) > maxHeaderBytes) {
            refuse(rc, headersTooLarge);
        } else if (length > 0 && !reserve(length)) {
            metrics.rateLimited("memory");
            rc.response().putHeader("Retry-After", "1");
            refuse(rc, overloaded);
        } else if (length < 0 && rc.request().headers().contains(HttpHeaders.TRANSFER_ENCODING, HttpHeaders.CHUNKED,
                true)) {
            rc.put(CHUNKED_BODY, Boolean.TRUE);
            chunkedBodies.handle(rc); // next() once read, or fail(413) past the limit
        } else {
            if (length > 0) {
                // Called once the response ended or the connection closed, whichever comes first.
                rc.addEndHandler(done -> inFlightBytes.addAndGet(-length));
            }
            rc.next();
        }
    }

    /**
     * The body handler's refusal of a chunked body past the limit, answered as an announced one is. Once that answer
     * is out (the connection then closes under the rest of the body) or the client went away mid-body, there is no
     * one left to answer: nothing more is done, where Quarkus' error handler would log an error.
     */
    private void chunkedBodyTooLarge(RoutingContext rc) {
        if (rc.get(CHUNKED_BODY) == null) {
            rc.next();
        } else if (rc.statusCode() == 413 && !rc.response().headWritten()) {
            refuse(rc, bodyTooLarge);
        } else if (!rc.response().ended() && !(rc.failure() instanceof HttpClosedException)) {
            rc.next();
        }
    }

    /** The check Quarkus makes when its own is on: the URI must parse (percent-escapes included). */
    private static boolean validUri(String uri) {
        try {
            new URI(uri);
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Takes {@code length} bytes of the in-flight budget; a request is always taken when nothing else is held. */
    private boolean reserve(long length) {
        while (true) {
            long held = inFlightBytes.get();
            if (held > 0 && held + length > maxInFlightBytes) {
                return false;
            }
            if (inFlightBytes.compareAndSet(held, held + length)) {
                return true;
            }
        }
    }

    /** Request bodies currently held (for tests). */
    long inFlightBytes() {
        return inFlightBytes.get();
    }

    private static int headerBytes(MultiMap headers) {
        int total = 0;
        for (Map.Entry<String, String> header : headers) {
            total += header.getKey().length() + header.getValue().length() + 4;
        }
        return total;
    }

    /**
     * Answers and, on HTTP/1.x, closes the connection: the unread body would otherwise have to be received and
     * thrown away before the connection could serve another request. The close lingers while the client is still
     * sending, up to {@link #LINGER_MS}, its bytes read and dropped: closing a socket with unread bytes makes the
     * kernel reset the connection, and a client that is reading to the end then reports the reset, not the answer.
     */
    /** Answers in the error shape of the API the path belongs to ({@link WireFormat}). */
    private static void refuse(RoutingContext rc, OpenAiException error) {
        HttpServerRequest request = rc.request();
        boolean http1 = request.version() != HttpVersion.HTTP_2;
        if (http1) {
            rc.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        WireFormat.of(request.path()).reply(error).send(rc.response()).onComplete(done -> {
            if (!http1) {
                return;
            }
            if (request.isEnded()) {
                request.connection().close();
                return;
            }
            long timer = rc.vertx().setTimer(LINGER_MS, t -> request.connection().close());
            request.exceptionHandler(e -> { }).handler(dropped -> { }).endHandler(v -> {
                rc.vertx().cancelTimer(timer);
                request.connection().close();
            });
            request.resume();
        });
    }

    /** The announced body length, or -1 when there is none (chunked) or it is not a number. */
    private static long contentLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
