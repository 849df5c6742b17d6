package dev.bedrockgateway.translate.claude;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * Claude's {@code usage} object as the gateway meters it: {@code input_tokens} (the uncached input),
 * {@code output_tokens}, {@code cache_read_input_tokens} and {@code cache_creation_input_tokens}, which Bedrock
 * prices apart (https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching#tracking-cache-performance).
 */
public final class ClaudeUsage {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClaudeUsage() {
    }

    /**
     * The {@code usage} of a Claude message, read without building the rest of it (its content may be large); null
     * when it has none.
     */
    public static TokenUsage ofMessage(byte[] message) {
        try (JsonParser parser = JSON.createParser(message)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("usage") && value == JsonToken.START_OBJECT) {
                    return of(parser.readValueAsTree());
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    public static TokenUsage of(JsonNode usage) {
        int input = usage.path("input_tokens").asInt(0);
        int output = usage.path("output_tokens").asInt(0);
        int read = usage.path("cache_read_input_tokens").asInt(0);
        int write = usage.path("cache_creation_input_tokens").asInt(0);
        return TokenUsage.builder().inputTokens(input).outputTokens(output).cacheReadInputTokens(read)
                .cacheWriteInputTokens(write).totalTokens(input + output + read + write).build();
    }
}
