package dev.bedrockgateway.catalog;

/** What a catalog entry serves, as LiteLLM's {@code model_info.mode} says it. */
public enum ModelMode {
    /** Chat models, reached through Converse; also serve legacy completions. */
    CHAT,
    /** LiteLLM's "completion" mode: a text model for /v1/completions; on Bedrock the same Converse path. */
    COMPLETION,
    /** Embedding models, reached through InvokeModel. */
    EMBEDDING;

    public boolean servesChat() {
        return this != EMBEDDING;
    }
}
