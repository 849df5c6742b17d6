package dev.bedrockgateway.openai;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Body of {@code POST /v1/embeddings} (components/schemas/CreateEmbeddingRequest), plus LiteLLM's
 * {@code input_type} extension for Cohere models ({@code search_document}, {@code search_query}, ...).
 */
@RegisterForReflection
public record EmbeddingRequest(String model, JsonNode input, String encodingFormat, Integer dimensions, String user,
        String inputType) implements OpenAiRequest {
}
