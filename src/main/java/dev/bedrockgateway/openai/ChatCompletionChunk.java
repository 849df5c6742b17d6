package dev.bedrockgateway.openai;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A {@code chat.completion.chunk} (components/schemas/CreateChatCompletionStreamResponse). Every chunk of one
 * response carries the same {@code id}, {@code created} and {@code model}; {@code usage} appears only on the extra
 * last chunk that {@code stream_options.include_usage} asks for, whose {@code choices} is empty.
 */
@RegisterForReflection
public record ChatCompletionChunk(String id, String object, long created, String model, List<Choice> choices,
        @JsonInclude(JsonInclude.Include.NON_NULL) Usage usage) {

    public static final String OBJECT = "chat.completion.chunk";

    @RegisterForReflection
    public record Choice(int index, Delta delta, Object logprobs, String finishReason) {
    }

    /** Only what changed: each field is written when present. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delta(String role, String content, String reasoningContent, List<ToolCallDelta> toolCalls,
            List<ThinkingBlock> thinkingBlocks) {
    }

    /** A fragment of a tool call; {@code index} is dense and 0-based per response. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ToolCallDelta(int index, String id, String type, FunctionDelta function) {
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FunctionDelta(String name, String arguments) {
    }
}
