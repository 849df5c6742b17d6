package dev.bedrockgateway.translate.claude;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

class ClaudeUsageTest {

    @Test
    void theUsageOfAMessageWhereverItStands() {
        TokenUsage usage = ClaudeUsage.ofMessage(("{\"id\":\"m\",\"content\":[{\"type\":\"tool_use\",\"input\":"
                + "{\"usage\":{\"input_tokens\":999}}}],\"usage\":{\"input_tokens\":5,\"output_tokens\":6,"
                + "\"cache_read_input_tokens\":7,\"cache_creation_input_tokens\":8},\"stop_reason\":\"end_turn\"}")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(5, usage.inputTokens());
        assertEquals(6, usage.outputTokens());
        assertEquals(7, usage.cacheReadInputTokens());
        assertEquals(8, usage.cacheWriteInputTokens());
        assertEquals(26, usage.totalTokens());
    }

    @Test
    void noUsageIsNull() {
        assertNull(ClaudeUsage.ofMessage("{\"id\":\"m\"}".getBytes(StandardCharsets.UTF_8)));
        assertNull(ClaudeUsage.ofMessage("[]".getBytes(StandardCharsets.UTF_8)));
        assertNull(ClaudeUsage.ofMessage("{\"usage\":".getBytes(StandardCharsets.UTF_8)));
    }
}
