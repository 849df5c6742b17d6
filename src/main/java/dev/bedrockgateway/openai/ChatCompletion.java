package dev.bedrockgateway.openai;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A {@code chat.completion} object (components/schemas/CreateChatCompletionResponse). Fields OpenAI marks required
 * are always written, {@code null} included ({@code content}, {@code refusal}, {@code logprobs}); optional ones are
 * omitted when empty.
 */
@RegisterForReflection
public record ChatCompletion(String id, String object, long created, String model, List<Choice> choices,
        Usage usage) {

    public static final String OBJECT = "chat.completion";

    @RegisterForReflection
    public record Choice(int index, Message message, String finishReason, Object logprobs) {
    }

    @RegisterForReflection
    public record Message(
            String role,
            String content,
            String refusal,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ToolCall> toolCalls,
            @JsonInclude(JsonInclude.Include.NON_NULL) String reasoningContent,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ThinkingBlock> thinkingBlocks) {
    }
}
