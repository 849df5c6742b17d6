package dev.bedrockgateway.api.openai;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.bedrockgateway.bedrock.BedrockErrors;
import dev.bedrockgateway.openai.OpenAiJson;
import io.smallrye.mutiny.Multi;
import io.vertx.core.buffer.Buffer;

/**
 * Server-sent events exactly as OpenAI writes them: {@code data: <json>\n\n} per chunk, then {@code data: [DONE]};
 * a failure after the stream started is one {@code data: {"error":{...}}} frame, and the stream ends without
 * {@code [DONE]} so no client takes it for a complete answer. The chunks one Bedrock event became leave as one
 * buffer, empty when the event became none (the answer's writer sends the response's head for the first, and
 * nothing for the others; see {@link dev.bedrockgateway.api.AnswerWriter}).
 */
final class Sse {

    static final String EVENT_STREAM = "text/event-stream";
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    // Bytes, not a Buffer: a class's constants may be computed while the native image is built, and a Netty buffer
    // must not be frozen into it.
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private Sse() {
    }

    /** One buffer per list of chunks (one Bedrock event's), then {@code [DONE]} or an error frame. */
    static Multi<Buffer> frames(Multi<? extends List<?>> chunks) {
        return chunks.map(Sse::frames)
                .onCompletion().continueWith(Buffer.buffer(DONE))
                .onFailure().recoverWithItem(failure -> frame(OpenAiJson.errorBody(BedrockErrors.toOpenAi(failure))));
    }

    private static Buffer frames(List<?> chunks) {
        if (chunks.size() == 1) {
            return frame(OpenAiJson.write(chunks.get(0)));
        }
        Buffer frames = Buffer.buffer(chunks.size() * 256);
        for (Object chunk : chunks) {
            frames.appendBytes(DATA).appendBytes(OpenAiJson.write(chunk)).appendBytes(END);
        }
        return frames;
    }

    private static Buffer frame(byte[] json) {
        return Buffer.buffer(DATA.length + json.length + END.length).appendBytes(DATA).appendBytes(json)
                .appendBytes(END);
    }
}
