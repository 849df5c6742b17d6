package dev.bedrockgateway.translate.claude;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.bedrockgateway.anthropic.StreamEvent;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/** Claude's chunks as Anthropic's events: bytes passed, usage noted, Bedrock's metrics taken out. */
class ClaudeStreamTest {

    static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void eventsPassAsTheyCameAndUsageAddsUp() {
        ClaudeStream stream = new ClaudeStream();
        assertNull(stream.usage());
        byte[] start = bytes("{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":7,"
                + "\"cache_read_input_tokens\":100,\"cache_creation_input_tokens\":20,\"output_tokens\":1}}}");
        List<StreamEvent> first = stream.onChunk(start);
        assertSame(start, first.get(0).data());
        assertEquals("ping", first.get(1).type());
        byte[] delta = bytes("{ \"type\" : \"content_block_delta\", \"index\":0,\"delta\":{\"type\":\"text_delta\","
                + "\"text\":\"\\u00e9\"}}");
        assertSame(delta, stream.onChunk(delta).get(0).data());
        stream.onChunk(bytes("{\"type\":\"message_delta\",\"delta\":{},\"usage\":{\"output_tokens\":42}}"));
        List<StreamEvent> stop = stream.onChunk(bytes("{\"type\":\"message_stop\","
                + "\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":7}}"));
        assertEquals("{\"type\":\"message_stop\"}", new String(stop.get(0).data(), StandardCharsets.UTF_8));

        TokenUsage usage = stream.usage();
        assertEquals(7, usage.inputTokens());
        assertEquals(42, usage.outputTokens());
        assertEquals(100, usage.cacheReadInputTokens());
        assertEquals(20, usage.cacheWriteInputTokens());
    }

    @Test
    void whatIsNotAnEventIsLeftOut() {
        ClaudeStream stream = new ClaudeStream();
        assertEquals(List.of(), stream.onChunk(bytes("[1,2]")));
        assertEquals(List.of(), stream.onChunk(bytes("{\"no_type\":1}")));
        assertEquals(List.of(), stream.onChunk(bytes("not json")));
        assertEquals("content_block_stop", ClaudeStream.type(bytes("{\"index\":{\"a\":[1]},\"type\":\"content_block_stop\"}")));
    }
}
