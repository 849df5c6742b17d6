package dev.bedrockgateway.translate.claude;

import com.fasterxml.jackson.databind.JsonNode;

import dev.bedrockgateway.anthropic.AnthropicJson;

import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * Claude's {@code usage} object as the gateway meters it: {@code input_tokens} (the uncached input),
 * {@code output_tokens}, {@code cache_read_input_tokens} and {@code cache_creation_input_tokens}, which Bedrock
 * prices apart (https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching#tracking-cache-performance).
 */
public final class ClaudeUsage {

    private ClaudeUsage() {
    }

    /**
     * The {@code usage} of a Claude message, read without building the rest of it (its content may be large); null
     * when it has none.
     */
    public static TokenUsage ofMessage(byte[] message) {
        JsonNode usage = AnthropicJson.field(message, "usage");
        return usage != null && usage.isObject() ? of(usage) : null;
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
