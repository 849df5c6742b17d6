package dev.bedrockgateway.translate.claude;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.bedrockgateway.anthropic.AnthropicJson;
import dev.bedrockgateway.anthropic.StreamEvent;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * One Claude stream from InvokeModelWithResponseStream, as Anthropic's server-sent events. Each of Bedrock's chunks is
 * already one of Anthropic's stream events
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages-request-response.html),
 * so the events pass with their bytes unchanged, except:
 * <ul>
 * <li>{@code message_stop} loses the {@code amazon-bedrock-invocationMetrics} Bedrock adds (Anthropic's event has no
 * such field, and its token counts are already in {@code message_start} and {@code message_delta});</li>
 * <li>a {@code ping} follows {@code message_start}, where Anthropic's API sends its first one.</li>
 * </ul>
 * Along the way it notes the usage ({@code message_start}'s input and cache tokens, {@code message_delta}'s final
 * output tokens) and the first content delta. A per-request state object.
 */
public final class ClaudeStream {

    private static final String METRICS = "amazon-bedrock-invocationMetrics";
    public static final StreamEvent PING = new StreamEvent("ping",
            "{\"type\": \"ping\"}".getBytes(StandardCharsets.US_ASCII));

    private int inputTokens;
    private int outputTokens;
    private int cacheRead;
    private int cacheWrite;
    private boolean usage;

    /**
     * The events to send for one chunk (its own, and a ping after {@code message_start}); empty for a chunk that is not
     * an Anthropic event.
     */
    public List<StreamEvent> onChunk(byte[] json) {
        String type = type(json);
        if (type == null) {
            return List.of();
        }
        switch (type) {
            case "message_start" -> {
                ObjectNode event = AnthropicJson.parseAnswer(json);
                if (event != null) {
                    counts(event.path("message").path("usage"));
                }
                return List.of(new StreamEvent(type, json), PING);
            }
            case "message_delta" -> {
                ObjectNode event = AnthropicJson.parseAnswer(json);
                if (event != null) {
                    counts(event.path("usage"));
                }
                return List.of(new StreamEvent(type, json));
            }
            case "message_stop" -> {
                ObjectNode event = AnthropicJson.parseAnswer(json);
                if (event != null && event.remove(METRICS) != null) {
                    return List.of(new StreamEvent(type, AnthropicJson.write(event)));
                }
                return List.of(new StreamEvent(type, json));
            }
            default -> {
                return List.of(new StreamEvent(type, json));
            }
        }
    }

    /** Whether the event of this type is content (the first one's time is the time to first token). */
    public static boolean isContent(StreamEvent event) {
        return event.type().equals("content_block_delta");
    }

    /** The tokens the stream reported so far; null if it reported none. */
    public TokenUsage usage() {
        if (!usage) {
            return null;
        }
        return TokenUsage.builder().inputTokens(inputTokens).outputTokens(outputTokens).cacheReadInputTokens(cacheRead)
                .cacheWriteInputTokens(cacheWrite).totalTokens(inputTokens + outputTokens + cacheRead + cacheWrite)
                .build();
    }

    /** The fields present; {@code message_delta} repeats the input counts in Anthropic's newer streams. */
    private void counts(JsonNode fields) {
        if (!fields.isObject()) {
            return;
        }
        usage = true;
        inputTokens = fields.path("input_tokens").asInt(inputTokens);
        outputTokens = fields.path("output_tokens").asInt(outputTokens);
        cacheRead = fields.path("cache_read_input_tokens").asInt(cacheRead);
        cacheWrite = fields.path("cache_creation_input_tokens").asInt(cacheWrite);
    }

    /** The event's {@code "type"}, read without building the tree (Anthropic writes it first). */
    static String type(byte[] json) {
        JsonNode type = AnthropicJson.field(json, "type");
        return type != null && type.isTextual() ? type.asText() : null;
    }
}
