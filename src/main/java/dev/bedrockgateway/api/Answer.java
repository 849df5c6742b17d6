package dev.bedrockgateway.api;

import java.util.List;
import java.util.Map;

import dev.bedrockgateway.observability.GatewayMetrics;
import io.smallrye.mutiny.Multi;
import io.vertx.core.buffer.Buffer;

/**
 * A response decided once Bedrock answered: its media type and headers, and a body that is either one JSON
 * document or a stream of SSE frames. Resources return a {@code Uni<Answer>}, so nothing is sent before the answer
 * exists and an earlier failure goes through the error mapper as an ordinary HTTP error; {@link AnswerWriter} sends
 * it.
 *
 * @param contentType {@code application/json} or {@code text/event-stream}
 * @param headers further response headers, one value each
 * @param document the JSON answer, or null for a stream
 * @param frames the SSE frames, or null for a JSON answer
 */
public record Answer(String contentType, Map<String, String> headers, byte[] document, Multi<Buffer> frames) {

    static Answer json(List<String> droppedParams, Object document) {
        return new Answer("application/json", Sse.headers(false, droppedParams), OpenAiJson.write(document), null);
    }

    /** An SSE answer; the stream counts in {@code gateway_streams_in_flight} while the client reads it. */
    static Answer sse(List<String> droppedParams, Multi<?> chunks, GatewayMetrics metrics) {
        return new Answer(Sse.EVENT_STREAM, Sse.headers(true, droppedParams), null, Sse.frames(chunks)
                .onSubscription().invoke(metrics::streamOpened)
                .onTermination().invoke(metrics::streamClosed));
    }
}
