package dev.bedrockgateway.openai;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Body of the legacy {@code POST /v1/completions} (components/schemas/CreateCompletionRequest). {@code prompt} is a
 * string, an array of strings, or token arrays; {@code stop} a string or an array; both checked by the translator.
 */
@RegisterForReflection
public record CompletionRequest(
        String model,
        JsonNode prompt,
        String suffix,
        Integer maxTokens,
        Double temperature,
        Double topP,
        Integer n,
        Boolean stream,
        ChatCompletionRequest.StreamOptions streamOptions,
        Integer logprobs,
        Boolean echo,
        JsonNode stop,
        Double presencePenalty,
        Double frequencyPenalty,
        Integer bestOf,
        JsonNode logitBias,
        String user,
        Long seed) implements OpenAiRequest {
}
