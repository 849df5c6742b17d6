package dev.bedrockgateway.api;

import java.util.Map;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/**
 * A refusal as one wire format writes it: status, headers and body.
 *
 * @param status the HTTP status (Anthropic's 529 where the format has it)
 * @param headers further headers ({@code Retry-After}, Bedrock's {@code x-amzn-ErrorType})
 * @param body the error document, {@code application/json}
 */
public record ErrorReply(int status, Map<String, String> headers, byte[] body) {

    /** Writes this refusal as the whole answer of {@code response}, for the routes that answer before RESTEasy. */
    public Future<Void> send(HttpServerResponse response) {
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        headers.forEach(response::putHeader);
        return response.end(Buffer.buffer(body));
    }
}
