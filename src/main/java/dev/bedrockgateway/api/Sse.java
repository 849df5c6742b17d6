package dev.bedrockgateway.api;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.openai.ErrorResponse;
import io.smallrye.mutiny.Multi;
import io.vertx.core.buffer.Buffer;

/**
 * Server-sent events exactly as OpenAI writes them: {@code data: <json>\n\n} per chunk, then {@code data: [DONE]};
 * a failure after the stream started is one {@code data: {"error":{...}}} frame, and the stream ends without
 * {@code [DONE]} so no client takes it for a complete answer.
 */
final class Sse {

    static final String EVENT_STREAM = "text/event-stream";
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

    private Sse() {
    }

    static Multi<Buffer> frames(Multi<?> chunks) {
        return chunks.map(Sse::frame)
                .onCompletion().continueWith(DONE.copy())
                .onFailure().recoverWithItem(failure -> frame(new ErrorResponse(errorOf(failure))));
    }

    static Buffer frame(Object chunk) {
        byte[] json = OpenAiJson.write(chunk);
        return Buffer.buffer(DATA.length + json.length + END.length).appendBytes(DATA).appendBytes(json)
                .appendBytes(END);
    }

    private static ErrorResponse.Error errorOf(Throwable failure) {
        OpenAiException e = dev.bedrockgateway.bedrock.BedrockErrors.toOpenAi(failure);
        return new ErrorResponse.Error(e.getMessage(), e.type(), e.param(), e.code());
    }

    /** Response headers besides the media type: no caching for streams, and the dropped parameters if any. */
    static Map<String, String> headers(boolean stream, List<String> droppedParams) {
        if (!stream && droppedParams.isEmpty()) {
            return Map.of();
        }
        Map<String, String> headers = new java.util.HashMap<>();
        if (stream) {
            headers.put("Cache-Control", "no-cache");
        }
        if (!droppedParams.isEmpty()) {
            headers.put(ChatCompletionsResource.DROPPED_PARAMS_HEADER, String.join(",", droppedParams));
        }
        return headers;
    }
}
