package dev.bedrockgateway.translate.messages;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.services.bedrockruntime.model.CacheDetail;
import software.amazon.awssdk.services.bedrockruntime.model.CacheTTL;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * Converse {@code usage} -> Anthropic {@code usage}. The two count alike: Converse's {@code inputTokens}, like
 * Anthropic's {@code input_tokens}, leaves out the tokens read from or written to the prompt cache
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html), so {@code input_tokens =
 * inputTokens}, {@code cache_read_input_tokens = cacheReadInputTokens}, {@code cache_creation_input_tokens =
 * cacheWriteInputTokens}, {@code output_tokens = outputTokens}, each 0 when Converse leaves it out. Converse's
 * {@code cacheDetails} (cache writes by TTL) -> {@code cache_creation.ephemeral_5m_input_tokens} /
 * {@code ephemeral_1h_input_tokens} when Converse gives them.
 */
final class MessageUsage {

    private MessageUsage() {
    }

    static ObjectNode of(TokenUsage usage) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("input_tokens", usage == null ? 0 : orZero(usage.inputTokens()));
        json.put("output_tokens", usage == null ? 0 : orZero(usage.outputTokens()));
        json.put("cache_creation_input_tokens", usage == null ? 0 : orZero(usage.cacheWriteInputTokens()));
        json.put("cache_read_input_tokens", usage == null ? 0 : orZero(usage.cacheReadInputTokens()));
        return json;
    }

    /** {@link #of} with the {@code cache_creation} breakdown, which only the message object carries. */
    static ObjectNode withCacheCreation(TokenUsage usage) {
        ObjectNode json = of(usage);
        if (usage != null && usage.hasCacheDetails() && !usage.cacheDetails().isEmpty()) {
            int fiveMinutes = 0;
            int oneHour = 0;
            for (CacheDetail detail : usage.cacheDetails()) {
                if (detail.ttl() == CacheTTL.VALUE_1_H) {
                    oneHour += orZero(detail.inputTokens());
                } else {
                    fiveMinutes += orZero(detail.inputTokens());
                }
            }
            json.putObject("cache_creation").put("ephemeral_5m_input_tokens", fiveMinutes)
                    .put("ephemeral_1h_input_tokens", oneHour);
        }
        return json;
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
