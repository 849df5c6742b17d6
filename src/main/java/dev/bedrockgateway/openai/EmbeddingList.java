package dev.bedrockgateway.openai;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** components/schemas/CreateEmbeddingResponse. */
@RegisterForReflection
public record EmbeddingList(String object, List<Embedding> data, String model, EmbeddingUsage usage) {

    /**
     * One vector: {@code embedding} is a float array, or with {@code encoding_format: base64} the little-endian
     * float32 bytes in base64.
     */
    @RegisterForReflection
    public record Embedding(String object, int index, Object embedding) {
    }

    @RegisterForReflection
    public record EmbeddingUsage(int promptTokens, int totalTokens) {
    }
}
