package dev.bedrockgateway.openai;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Body of {@code POST /v1/responses}: every parameter OpenAI documents (components/schemas/CreateResponse), so each
 * one is translated, accepted as neutral, or refused by name. {@code input}, {@code instructions}, {@code tools} and
 * {@code tool_choice} are unions read by the translator ({@code translate.responses}), which names the offending item
 * precisely. {@code client_metadata} is Codex's, and neutral.
 */
@RegisterForReflection
public record ResponsesRequest(
        String model,
        JsonNode input,
        JsonNode instructions,
        List<JsonNode> tools,
        JsonNode toolChoice,
        Boolean parallelToolCalls,
        TextOptions text,
        ReasoningOptions reasoning,
        Integer maxOutputTokens,
        Integer maxToolCalls,
        Double temperature,
        Double topP,
        Integer topLogprobs,
        JsonNode metadata,
        Boolean store,
        Boolean stream,
        JsonNode streamOptions,
        String previousResponseId,
        JsonNode conversation,
        String truncation,
        List<String> include,
        String promptCacheKey,
        String promptCacheRetention,
        JsonNode promptCacheOptions,
        String safetyIdentifier,
        String user,
        String serviceTier,
        Boolean background,
        JsonNode prompt,
        JsonNode contextManagement,
        JsonNode moderation,
        JsonNode clientMetadata) implements OpenAiRequest {

    /** {@code store}: OpenAI keeps responses unless told not to. */
    public boolean stored() {
        return !Boolean.FALSE.equals(store);
    }

    @RegisterForReflection
    public record TextOptions(JsonNode format, String verbosity) {
    }

    @RegisterForReflection
    public record ReasoningOptions(String effort, String summary, String generateSummary) {
    }
}
