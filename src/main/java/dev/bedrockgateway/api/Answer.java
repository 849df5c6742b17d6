package dev.bedrockgateway.api;

import java.util.HashMap;
import java.util.Map;

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

    /** A JSON answer. */
    public static Answer json(String contentType, Map<String, String> headers, byte[] document) {
        return new Answer(contentType, headers, document, null);
    }

    /** A streamed answer, its frames ready to write as they are. */
    public static Answer stream(String contentType, Map<String, String> headers, Multi<Buffer> frames) {
        return new Answer(contentType, headers, null, frames);
    }

    /**
     * The headers besides the media type: no caching for a stream, and {@code name: value} when there is a value (what
     * the gateway changed of the request, say); none at all for a plain JSON answer.
     */
    public static Map<String, String> headers(boolean stream, String name, String value) {
        if (!stream && value == null) {
            return Map.of();
        }
        Map<String, String> headers = new HashMap<>(4);
        if (stream) {
            headers.put("Cache-Control", "no-cache");
        }
        if (value != null) {
            headers.put(name, value);
        }
        return headers;
    }

    /** The same answer with other frames (a stream's frames observed on their way). */
    public Answer withFrames(Multi<Buffer> other) {
        return new Answer(contentType, headers, document, other);
    }
}
