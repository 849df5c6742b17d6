package dev.bedrockgateway.openai;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A function call made by the assistant: in request history and in responses alike. */
@RegisterForReflection
public record ToolCall(String id, String type, FunctionCall function) {

    @RegisterForReflection
    public record FunctionCall(String name, String arguments) {
    }
}
