package dev.bedrockgateway.openai;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A reasoning block with its signature, as LiteLLM exposes Claude extended thinking ({@code thinking_blocks}).
 * OpenAI has no field for the signature, yet Bedrock rejects a multi-turn tool loop whose assistant turn lost it:
 * clients send these blocks back in the assistant message to keep the loop valid.
 *
 * @param type {@code thinking}, or {@code redacted_thinking} (then {@code data} holds the opaque content)
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ThinkingBlock(String type, String thinking, String signature, String data) {

    public static final String THINKING = "thinking";
    public static final String REDACTED = "redacted_thinking";
}
