package dev.bedrockgateway.openai;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A function call made by the assistant: in request history and in responses alike. */
@RegisterForReflection
public record ToolCall(String id, String type, FunctionCall function) {

    /** {@code parsed_arguments}: what the SDKs' {@code parse()} helpers add to an answer's call, sent back with it. */
    @RegisterForReflection
    @JsonIgnoreProperties("parsed_arguments")
    public record FunctionCall(String name, String arguments) {
    }
}
