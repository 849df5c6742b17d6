package dev.bedrockgateway.openai;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Token counts (components/schemas/CompletionUsage). */
@RegisterForReflection
public record Usage(
        int promptTokens,
        int completionTokens,
        int totalTokens,
        @JsonInclude(JsonInclude.Include.NON_NULL) PromptTokensDetails promptTokensDetails) {

    @RegisterForReflection
    public record PromptTokensDetails(int cachedTokens) {
    }
}
