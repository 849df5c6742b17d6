package dev.bedrockgateway.openai;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Body of {@code POST /v1/chat/completions}: every parameter OpenAI documents (components/schemas/
 * CreateChatCompletionRequest), so each one is either translated, accepted as neutral, or rejected by name —
 * none is dropped silently. Unions whose JSON shape varies ({@code stop}, {@code tool_choice}) stay
 * {@link JsonNode} and are checked by the translator, which can name the offending field precisely.
 * <p>
 * Two extension fields: {@code thinking} (Anthropic's {@code {"type":"enabled","budget_tokens":N}}, as LiteLLM
 * accepts it) and {@code additional_model_request_fields} (passed to Converse's field of that name, for model
 * options OpenAI has no name for).
 */
@RegisterForReflection
public record ChatCompletionRequest(
        String model,
        List<ChatMessage> messages,
        Double temperature,
        Double topP,
        Integer n,
        Boolean stream,
        StreamOptions streamOptions,
        JsonNode stop,
        Integer maxTokens,
        Integer maxCompletionTokens,
        Double presencePenalty,
        Double frequencyPenalty,
        JsonNode logitBias,
        Boolean logprobs,
        Integer topLogprobs,
        Long seed,
        String user,
        List<Tool> tools,
        JsonNode toolChoice,
        Boolean parallelToolCalls,
        ResponseFormat responseFormat,
        Boolean store,
        JsonNode metadata,
        String serviceTier,
        String reasoningEffort,
        String verbosity,
        List<String> modalities,
        JsonNode audio,
        JsonNode prediction,
        JsonNode webSearchOptions,
        JsonNode functions,
        JsonNode functionCall,
        String safetyIdentifier,
        String promptCacheKey,
        String promptCacheRetention,
        JsonNode promptCacheOptions,
        JsonNode moderation,
        JsonNode thinking,
        JsonNode additionalModelRequestFields) implements OpenAiRequest {

    @RegisterForReflection
    public record StreamOptions(Boolean includeUsage, Boolean includeObfuscation) {
    }

    @RegisterForReflection
    public record Tool(String type, FunctionDefinition function) {
    }

    @RegisterForReflection
    public record FunctionDefinition(String name, String description, JsonNode parameters, Boolean strict) {
    }

    @RegisterForReflection
    public record ResponseFormat(String type, JsonNode jsonSchema) {
    }
}
