package dev.bedrockgateway.translate.claude;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.bedrockgateway.anthropic.AnthropicJson;

/** The per-model table of {@link MessagesToInvoke}, with {@code new}: the HTTP-level cases are golden files. */
class MessagesToInvokeTest {

    static final ClaudeFeatures FEATURES = new ClaudeFeatures(Map.of(
            "interleaved-thinking-2025-05-14", List.of("claude-sonnet-4"),
            "effort-2025-11-24", List.of("claude-opus-4-5"),
            "everywhere-2026-01-01", List.of("*"),
            "nowhere-2026-01-01", List.of("none")), List.of("claude-opus-4-6"));

    static ObjectNode request(String json) {
        return AnthropicJson.readObject(json.getBytes(StandardCharsets.UTF_8));
    }

    static String body(ClaudeInvoke invoke) {
        return new String(invoke.body(), StandardCharsets.UTF_8);
    }

    @Test
    void theClientsRequestIsNeverChanged() {
        ObjectNode request = request("""
                {"model":"m","max_tokens":2048,"messages":[{"role":"system","content":"S"},{"role":"user","content":"U"}],
                 "thinking":{"type":"adaptive"},"output_config":{"effort":"low","format":{"type":"json"}}}""");
        String before = request.toString();
        MessagesToInvoke.toInvoke(request, List.of(), "anthropic.claude-sonnet-4-5", FEATURES);
        assertEquals(before, request.toString());
    }

    @Test
    void effortSetsTheBudgetAndOnlyEffortLeavesOutputConfig() {
        ClaudeInvoke invoke = MessagesToInvoke.toInvoke(request("""
                {"model":"m","max_tokens":10000,"messages":[{"role":"user","content":"U"}],
                 "thinking":{"type":"adaptive"},"output_config":{"effort":"low","format":{"type":"json"}}}"""),
                List.of(), "us.anthropic.claude-sonnet-4-5-v1:0", FEATURES);

        assertEquals("{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":10000,\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"U\"}],\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2500},"
                + "\"output_config\":{\"format\":{\"type\":\"json\"}},\"anthropic_beta\":[\"interleaved-thinking-2025-05-14\"]}",
                body(invoke));
        assertEquals(List.of("thinking adaptive became enabled with budget_tokens 2500", "output_config.effort dropped"),
                invoke.adaptations());
    }

    @Test
    void aModelTakingAFeatureGetsItWithItsFlag() {
        ClaudeInvoke opus46 = MessagesToInvoke.toInvoke(request("""
                {"model":"m","max_tokens":500,"messages":[{"role":"user","content":"U"}],"thinking":{"type":"adaptive"}}"""),
                List.of(), "global.anthropic.claude-opus-4-6-v1", FEATURES);
        assertEquals(List.of(), opus46.adaptations());
        assertEquals("{\"type\":\"adaptive\"}", AnthropicJson.parseAnswer(opus46.body()).get("thinking").toString());

        ClaudeInvoke opus45 = MessagesToInvoke.toInvoke(request("""
                {"model":"m","max_tokens":500,"messages":[{"role":"user","content":"U"}],"output_config":{"effort":"max"}}"""),
                List.of(), "anthropic.claude-opus-4-5-20251101-v1:0", FEATURES);
        assertEquals(List.of(), opus45.adaptations());
        assertEquals("[\"effort-2025-11-24\"]",
                AnthropicJson.parseAnswer(opus45.body()).get("anthropic_beta").toString());
    }

    @Test
    void flagsFromTheHeaderAndTheBodyOnceEachAndTheTableDecides() {
        ClaudeInvoke invoke = MessagesToInvoke.toInvoke(request("""
                {"model":"m","max_tokens":5,"messages":[],"anthropic_beta":"everywhere-2026-01-01"}"""),
                List.of("everywhere-2026-01-01", "nowhere-2026-01-01", "unknown-1"), "anthropic.claude-3-haiku",
                FEATURES);
        assertEquals("[\"everywhere-2026-01-01\"]",
                AnthropicJson.parseAnswer(invoke.body()).get("anthropic_beta").toString());
        assertEquals(List.of("anthropic-beta nowhere-2026-01-01 dropped", "anthropic-beta unknown-1 dropped"),
                invoke.adaptations());
    }

    @Test
    void systemMessagesJoinAStringSystemAsBlocksInOrder() {
        ClaudeInvoke invoke = MessagesToInvoke.toInvoke(request("""
                {"model":"m","max_tokens":5,"system":"Top","messages":[{"role":"user","content":"U"},
                 {"role":"system","content":[{"type":"text","text":"A","cache_control":{"type":"ephemeral"}}]},
                 {"role":"assistant","content":"V"},{"role":"system","content":"B"}]}"""),
                List.of(), "anthropic.claude-3-haiku", FEATURES);
        ObjectNode body = AnthropicJson.parseAnswer(invoke.body());
        assertEquals("[{\"type\":\"text\",\"text\":\"Top\"},{\"type\":\"text\",\"text\":\"A\",\"cache_control\":"
                + "{\"type\":\"ephemeral\"}},{\"type\":\"text\",\"text\":\"B\"}]", body.get("system").toString());
        assertEquals("[{\"role\":\"user\",\"content\":\"U\"},{\"role\":\"assistant\",\"content\":\"V\"}]",
                body.get("messages").toString());
        assertEquals(List.of("messages[1] role system moved to system", "messages[3] role system moved to system"),
                invoke.adaptations());
    }
}
