package dev.bedrockgateway.openai;

/** What every OpenAI request body names: the model, and whether the answer streams. */
public interface OpenAiRequest {

    String model();

    /** {@code stream}; null for endpoints that never stream. */
    default Boolean stream() {
        return null;
    }
}
