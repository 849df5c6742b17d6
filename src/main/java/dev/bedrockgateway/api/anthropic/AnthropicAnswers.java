package dev.bedrockgateway.api.anthropic;

import java.util.List;
import java.util.Map;

import dev.bedrockgateway.anthropic.AnthropicJson;
import dev.bedrockgateway.anthropic.StreamEvent;
import dev.bedrockgateway.api.Answer;
import dev.bedrockgateway.api.NamedEvents;
import dev.bedrockgateway.bedrock.BedrockErrors;
import io.smallrye.mutiny.Multi;
import io.vertx.core.buffer.Buffer;

/**
 * Anthropic's answers: JSON documents, and server-sent events as Anthropic writes them ({@code event: <type>} then
 * {@code data: <json>}); a failure after the stream started is one {@code error} event
 * (https://docs.anthropic.com/en/docs/build-with-claude/streaming#error-events) and the stream ends without
 * {@code message_stop}, so no client takes it for a complete answer.
 */
final class AnthropicAnswers {

    /** Names what the gateway changed or dropped so that Bedrock takes the request (docs/anthropic.md). */
    static final String ADAPTED_HEADER = "x-bedrock-gateway-adapted";
    static final String EVENT_STREAM = "text/event-stream; charset=utf-8";

    private AnthropicAnswers() {
    }

    static Answer json(List<String> adaptations, byte[] document) {
        return Answer.json("application/json", headers(false, adaptations), document);
    }

    /** The events, each list of them (one Bedrock event's or chunk's) in one buffer, empty for an empty list. */
    static Answer sse(List<String> adaptations, Multi<List<StreamEvent>> events) {
        Multi<Buffer> frames = events.map(AnthropicAnswers::frames)
                .onFailure().recoverWithItem(failure -> frame(new StreamEvent("error",
                        AnthropicJson.write(AnthropicErrors.body(BedrockErrors.toOpenAi(failure))))));
        return Answer.stream(EVENT_STREAM, headers(true, adaptations), frames);
    }

    private static Buffer frames(List<StreamEvent> events) {
        if (events.size() == 1) {
            return frame(events.get(0));
        }
        Buffer frames = Buffer.buffer(events.size() * 256);
        for (StreamEvent event : events) {
            frames.appendBuffer(frame(event));
        }
        return frames;
    }

    static Buffer frame(StreamEvent event) {
        return NamedEvents.frame(event.type(), event.data());
    }

    private static Map<String, String> headers(boolean stream, List<String> adaptations) {
        return Answer.headers(stream, ADAPTED_HEADER, adaptations.isEmpty() ? null : String.join("; ", adaptations));
    }
}
