package dev.bedrockgateway.api.openai;

import java.nio.charset.StandardCharsets;

import dev.bedrockgateway.bedrock.BedrockErrors;
import dev.bedrockgateway.openai.OpenAiJson;
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
        return chunks.map(chunk -> frame(OpenAiJson.write(chunk)))
                .onCompletion().continueWith(DONE.copy())
                .onFailure().recoverWithItem(failure -> frame(OpenAiJson.errorBody(BedrockErrors.toOpenAi(failure))));
    }

    private static Buffer frame(byte[] json) {
        return Buffer.buffer(DATA.length + json.length + END.length).appendBytes(DATA).appendBytes(json)
                .appendBytes(END);
    }
}
