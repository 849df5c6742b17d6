package dev.bedrockgateway.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * ConverseStream response bodies as Bedrock writes them: {@code application/vnd.amazon.eventstream} frames encoded
 * with the AWS SDK's own codec (prelude, headers, payload, CRCs).
 */
public final class EventStreamFrames {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public static EventStreamFrames stream() {
        return new EventStreamFrames();
    }

    /** An event frame: {@code :event-type} (messageStart, contentBlockDelta, ...) and its JSON payload. */
    public EventStreamFrames event(String eventType, String json) {
        return frame("event", ":event-type", eventType, json);
    }

    /** An exception frame, as Bedrock sends errors that happen after the stream started. */
    public EventStreamFrames exception(String exceptionType, String message) {
        return frame("exception", ":exception-type", exceptionType, "{\"message\":\"" + message + "\"}");
    }

    public EventStreamFrames text(int block, String text) {
        return event("contentBlockDelta", "{\"contentBlockIndex\":" + block + ",\"delta\":{\"text\":"
                + ConverseReplies.quote(text) + "}}");
    }

    public EventStreamFrames start() {
        return event("messageStart", "{\"role\":\"assistant\"}");
    }

    public EventStreamFrames stop(int block) {
        return event("contentBlockStop", "{\"contentBlockIndex\":" + block + "}");
    }

    public EventStreamFrames toolStart(int block, String id, String name) {
        return event("contentBlockStart", "{\"contentBlockIndex\":" + block + ",\"start\":{\"toolUse\":{"
                + "\"toolUseId\":\"" + id + "\",\"name\":\"" + name + "\"}}}");
    }

    public EventStreamFrames toolInput(int block, String fragment) {
        return event("contentBlockDelta", "{\"contentBlockIndex\":" + block + ",\"delta\":{\"toolUse\":{\"input\":"
                + ConverseReplies.quote(fragment) + "}}}");
    }

    public EventStreamFrames reasoning(int block, String text) {
        return event("contentBlockDelta", "{\"contentBlockIndex\":" + block + ",\"delta\":{\"reasoningContent\":{"
                + "\"text\":" + ConverseReplies.quote(text) + "}}}");
    }

    public EventStreamFrames signature(int block, String signature) {
        return event("contentBlockDelta", "{\"contentBlockIndex\":" + block + ",\"delta\":{\"reasoningContent\":{"
                + "\"signature\":\"" + signature + "\"}}}");
    }

    public EventStreamFrames messageStop(String stopReason) {
        return event("messageStop", "{\"stopReason\":\"" + stopReason + "\"}");
    }

    public EventStreamFrames metadata(int inputTokens, int outputTokens) {
        return event("metadata", "{\"usage\":{\"inputTokens\":" + inputTokens + ",\"outputTokens\":" + outputTokens
                + ",\"totalTokens\":" + (inputTokens + outputTokens) + "},\"metrics\":{\"latencyMs\":5}}");
    }

    private EventStreamFrames frame(String messageType, String typeHeader, String type, String json) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":message-type", HeaderValue.fromString(messageType));
        headers.put(typeHeader, HeaderValue.fromString(type));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        new Message(headers, json.getBytes(StandardCharsets.UTF_8)).encode(out);
        return this;
    }

    public byte[] bytes() {
        return out.toByteArray();
    }

    public ResponseDefinitionBuilder response() {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/vnd.amazon.eventstream")
                .withHeader("x-amzn-RequestId", "22222222-2222-2222-2222-222222222222").withBody(bytes());
    }
}
