package dev.bedrockgateway.openai;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A legacy {@code text_completion} (components/schemas/CreateCompletionResponse); streamed chunks have the same
 * shape, with {@code finish_reason} null until the last, and {@code usage} only on the extra usage chunk.
 */
@RegisterForReflection
public record TextCompletion(String id, String object, long created, String model, List<Choice> choices,
        @JsonInclude(JsonInclude.Include.NON_NULL) Usage usage) {

    public static final String OBJECT = "text_completion";

    @RegisterForReflection
    public record Choice(String text, int index, Object logprobs, String finishReason) {
    }
}
