package dev.bedrockgateway.api.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/** What the gateway reads of the bodies it relays on Bedrock's routes. */
class BedrockBodiesTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] chunk(String event) {
        return bytes("{\"bytes\":\"" + Base64.getEncoder().encodeToString(bytes(event)) + "\",\"p\":\"abc\"}");
    }

    @Test
    void maxTokensOfAnthropicAndConverseBodies() {
        assertEquals(OptionalInt.of(4096), BedrockBodies.maxTokens(bytes("""
                {"anthropic_version":"bedrock-2023-05-31","messages":[{"role":"user","content":[{"type":"text",
                 "text":"max_tokens"}]}],"max_tokens":4096,"system":{"max_tokens":1}}""")));
        assertEquals(OptionalInt.of(300), BedrockBodies.maxTokens(bytes("""
                {"messages":[],"inferenceConfig":{"temperature":0.5,"stopSequences":["x"],"maxTokens":300}}""")));
        assertEquals(OptionalInt.empty(), BedrockBodies.maxTokens(bytes("{\"inputText\":\"hello\"}")));
        assertEquals(OptionalInt.empty(), BedrockBodies.maxTokens(bytes("not json")));
        assertEquals(OptionalInt.empty(), BedrockBodies.maxTokens(bytes("{\"max_tokens\":")));
        assertEquals(OptionalInt.empty(), BedrockBodies.maxTokens(bytes("[1]")));
    }

    @Test
    void converseUsageWithThePromptCache() {
        TokenUsage usage = BedrockBodies.usage(bytes("""
                {"output":{"message":{"role":"assistant","content":[{"text":"usage"}]}},"stopReason":"end_turn",
                 "usage":{"inputTokens":10,"outputTokens":5,"totalTokens":45,"cacheReadInputTokens":20,
                 "cacheWriteInputTokens":10,"cacheDetails":[{"ttl":"5m","inputTokens":10}]},"metrics":{"latencyMs":1}}"""));
        assertEquals(10, usage.inputTokens());
        assertEquals(5, usage.outputTokens());
        assertEquals(20, usage.cacheReadInputTokens());
        assertEquals(10, usage.cacheWriteInputTokens());
        assertNull(BedrockBodies.usage(bytes("{\"metrics\":{\"latencyMs\":1}}")));
        assertNull(BedrockBodies.usage(bytes("{")));
    }

    @Test
    void invokeUsageFromBedrocksHeaders() {
        TokenUsage usage = BedrockBodies.invokeUsage(Map.of("x-amzn-bedrock-input-token-count", "12",
                "x-amzn-bedrock-output-token-count", "7", "x-amzn-bedrock-cache-read-input-token-count", "100"));
        assertEquals(12, usage.inputTokens());
        assertEquals(7, usage.outputTokens());
        assertEquals(100, usage.cacheReadInputTokens());
        assertNull(usage.cacheWriteInputTokens());
        assertEquals(0, BedrockBodies.invokeUsage(Map.of("x-amzn-bedrock-input-token-count", "4")).outputTokens());
        assertNull(BedrockBodies.invokeUsage(Map.of()));
    }

    @Test
    void claudeChunks() {
        BedrockBodies.Chunk start = BedrockBodies.chunk(chunk("""
                {"type":"message_start","message":{"id":"msg_1","content":[],"usage":{"input_tokens":25,
                 "cache_creation_input_tokens":100,"cache_read_input_tokens":0,"output_tokens":1}}}"""));
        assertFalse(start.content());
        assertEquals(25, start.started().inputTokens());
        assertEquals(100, start.started().cacheWriteInputTokens());
        assertFalse(BedrockBodies.chunk(chunk("{\"type\":\"content_block_start\",\"index\":0}")).content());
        assertTrue(BedrockBodies.chunk(chunk("""
                {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}""")).content());
        assertEquals(15, BedrockBodies.chunk(chunk("""
                {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":15}}"""))
                .outputSoFar());
        BedrockBodies.Chunk stop = BedrockBodies.chunk(chunk("""
                {"type":"message_stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":25,
                 "outputTokenCount":15,"invocationLatency":900,"firstByteLatency":300,"cacheReadInputTokenCount":0,
                 "cacheWriteInputTokenCount":100}}"""));
        assertFalse(stop.content());
        assertEquals(25, stop.usage().inputTokens());
        assertEquals(15, stop.usage().outputTokens());
        assertEquals(100, stop.usage().cacheWriteInputTokens());
    }

    @Test
    void chunksOfOtherModelFamilies() {
        assertTrue(BedrockBodies.chunk(chunk("{\"generation\":\"Hi\",\"prompt_token_count\":5}")).content());
        assertFalse(BedrockBodies.chunk(chunk("{\"messageStart\":{\"role\":\"assistant\"}}")).content());
        assertFalse(BedrockBodies.chunk(bytes("{\"bytes\":\"!!not base64\"}")).content());
    }
}
