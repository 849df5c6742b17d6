package dev.bedrockgateway.api;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import dev.bedrockgateway.config.GatewayConfig;
import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.openai.ErrorResponse;
import java.util.Map;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Request size limits enforced before any body byte is read, answered in OpenAI's error shape (the HTTP layer's
 * own 413 and 431 have no body). Runs on the event loop ahead of every other route. The HTTP layer's limits
 * ({@code quarkus.http.limits.*}) are set above these, as a backstop for what never reaches a route.
 */
@Singleton
public class RequestLimits {

    private final Buffer bodyTooLarge;
    private final Buffer headersTooLarge;
    private final long maxBytes;
    private final int maxHeaderBytes;

    public RequestLimits(GatewayConfig config) {
        this.maxBytes = config.limits().maxRequestBytes();
        this.maxHeaderBytes = config.limits().maxHeaderBytes();
        this.bodyTooLarge = error("The request body is larger than the gateway's limit of " + maxBytes + " bytes.",
                "request_too_large");
        this.headersTooLarge = error("The request headers are larger than the gateway's limit of " + maxHeaderBytes
                + " bytes.", "request_headers_too_large");
    }

    private static Buffer error(String message, String code) {
        return Buffer.buffer(OpenAiJson.write(new ErrorResponse(new ErrorResponse.Error(message,
                ErrorTypes.INVALID_REQUEST, null, code))));
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::check);
    }

    private void check(RoutingContext rc) {
        String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && exceeds(length)) {
            refuse(rc, 413, bodyTooLarge);
        } else if (headerBytes(rc.request().headers()) > maxHeaderBytes) {
            refuse(rc, 431, headersTooLarge);
        } else {
            rc.next();
        }
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
     * thrown away before the connection could serve another request.
     */
    private static void refuse(RoutingContext rc, int status, Buffer body) {
        HttpServerRequest request = rc.request();
        boolean http1 = request.version() != HttpVersion.HTTP_2;
        HttpServerResponse response = rc.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (http1) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        response.end(body).onComplete(done -> {
            if (http1) {
                request.connection().close();
            }
        });
    }

    private boolean exceeds(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim()) > maxBytes;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
