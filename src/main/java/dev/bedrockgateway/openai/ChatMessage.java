package dev.bedrockgateway.openai;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One entry of {@code messages}, told apart by {@code role}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "role")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ChatMessage.System.class, name = "system"),
        @JsonSubTypes.Type(value = ChatMessage.Developer.class, name = "developer"),
        @JsonSubTypes.Type(value = ChatMessage.User.class, name = "user"),
        @JsonSubTypes.Type(value = ChatMessage.Assistant.class, name = "assistant"),
        @JsonSubTypes.Type(value = ChatMessage.Tool.class, name = "tool"),
        @JsonSubTypes.Type(value = ChatMessage.Function.class, name = "function") })
public sealed interface ChatMessage {

    MessageContent content();

    @RegisterForReflection
    record System(MessageContent content, String name) implements ChatMessage {
    }

    @RegisterForReflection
    record Developer(MessageContent content, String name) implements ChatMessage {
    }

    @RegisterForReflection
    record User(MessageContent content, String name) implements ChatMessage {
    }

    /**
     * {@code annotations} (OpenAI's citations) and {@code parsed} (the SDKs' {@code parse()} helpers) are response
     * fields that clients send back when they append an answer to the history as it came: ignored, like OpenAI does.
     */
    @RegisterForReflection
    @JsonIgnoreProperties({ "annotations", "parsed" })
    record Assistant(MessageContent content, String refusal, String name, List<ToolCall> toolCalls,
            JsonNode functionCall, JsonNode audio, String reasoningContent, List<ThinkingBlock> thinkingBlocks)
            implements ChatMessage {
    }

    @RegisterForReflection
    record Tool(MessageContent content, String toolCallId) implements ChatMessage {
    }

    /** Deprecated by OpenAI in favour of {@code tool}; accepted by the parser so it can be rejected by name. */
    @RegisterForReflection
    record Function(MessageContent content, String name) implements ChatMessage {
    }
}
