package dev.bedrockgateway.translate.chat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.openai.ChatCompletionRequest;
import dev.bedrockgateway.openai.ChatMessage;
import dev.bedrockgateway.openai.ToolCall;
import dev.bedrockgateway.translate.Documents;
import dev.bedrockgateway.translate.Invalid;
import dev.bedrockgateway.translate.UnsupportedParams;
import software.amazon.awssdk.services.bedrockruntime.model.AnyToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.AutoToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointBlock;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointType;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.SpecificToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * Tools both ways in a request: {@code tools} and {@code tool_choice} -> {@code toolConfig}, assistant
 * {@code tool_calls} -> {@code toolUse} blocks, {@code role: tool} messages -> {@code toolResult} blocks
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/tool-use.html).
 */
final class Tools {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Tools() {
    }

    /** {@code tool_choice: "none"}: the model must not be able to call a tool. */
    static boolean choiceIsNone(JsonNode choice) {
        return choice != null && choice.isTextual() && "none".equals(choice.textValue());
    }

    /**
     * Converse needs a {@code toolConfig} whenever tools are offered and whenever the history holds toolUse blocks,
     * even when the request declares no tools: each tool named in the history is then declared with an empty schema.
     * {@code tool_choice: none} has no Converse twin, so then no tool is offered at all and earlier tool turns travel
     * as text ({@link Conversation}). A toolResult with no toolUse before it adds no tool: Bedrock refuses such a
     * result whatever the configuration.
     *
     * @param structured the forced tool of {@code response_format}, or null
     */
    static ToolConfiguration toolConfig(ChatCompletionRequest request, Set<String> toolNamesInHistory,
            StructuredOutput structured, UnsupportedParams params) {
        boolean none = choiceIsNone(request.toolChoice());
        List<ChatCompletionRequest.Tool> tools = request.tools() == null ? List.of() : request.tools();
        List<Tool> specs = new ArrayList<>();
        Set<String> declared = new LinkedHashSet<>();
        for (int i = 0; i < tools.size(); i++) {
            ChatCompletionRequest.Tool tool = tools.get(i);
            String at = "tools[" + i + "]";
            if (tool == null) {
                throw Invalid.type(at, "an object");
            }
            if (tool.type() != null && !"function".equals(tool.type())) {
                throw OpenAiException.invalidRequest(at + ".type", ErrorTypes.CODE_UNSUPPORTED_PARAMETER,
                        "Only tools of type 'function' are supported.");
            }
            if (tool.function() == null || tool.function().name() == null || tool.function().name().isBlank()) {
                throw OpenAiException.invalidRequest(at + ".function.name", "'function.name' is required.");
            }
            JsonNode schema = tool.function().parameters();
            if (schema != null && !schema.isNull() && !schema.isObject()) {
                throw Invalid.type(at + ".function.parameters", "a JSON Schema object");
            }
            String name = tool.function().name();
            if (!declared.add(name)) {
                throw OpenAiException.invalidRequest(at + ".function.name", ErrorTypes.CODE_INVALID_VALUE,
                        "Tool names must be unique; '" + name + "' is declared twice.");
            }
            specs.add(spec(name, tool.function().description(), schema));
        }
        ToolChoice choice = toolChoice(request.toolChoice(), declared, params);
        if (structured != null && declared.contains(structured.toolName())) {
            throw Invalid.value("response_format.json_schema.name", "'" + structured.toolName()
                    + "' is also the name of a declared tool");
        }
        if (none) {
            return structured == null ? null : ToolConfiguration.builder().tools(structured.tool())
                    .toolChoice(forced(structured.toolName())).build();
        }
        for (String used : toolNamesInHistory) {
            if (declared.add(used)) {
                specs.add(spec(used, "Tool used earlier in this conversation.", null));
            }
        }
        if (structured != null) {
            boolean onlyTool = specs.isEmpty();
            specs.add(structured.tool());
            if (onlyTool) {
                choice = forced(structured.toolName());
            } else if (choice == null || choice.auto() != null) {
                // The answer is either a real tool call or the JSON answer: some tool must be called.
                choice = ToolChoice.fromAny(AnyToolChoice.builder().build());
            }
        }
        if (specs.isEmpty()) {
            return null;
        }
        ToolConfiguration.Builder config = ToolConfiguration.builder().tools(specs);
        if (choice != null) {
            config.toolChoice(choice);
        }
        return config.build();
    }

    /** The same tools with a cache point after them. */
    static ToolConfiguration cached(ToolConfiguration config) {
        List<Tool> tools = new ArrayList<>(config.tools());
        tools.add(Tool.fromCachePoint(CachePointBlock.builder().type(CachePointType.DEFAULT).build()));
        return config.toBuilder().tools(tools).build();
    }

    static ToolChoice forced(String name) {
        return ToolChoice.fromTool(SpecificToolChoice.builder().name(name).build());
    }

    /** A tool declaration; no schema means an object with no properties. */
    static Tool spec(String name, String description, JsonNode schema) {
        JsonNode inputSchema = schema == null || schema.isNull()
                ? JSON.createObjectNode().put("type", "object").set("properties", JSON.createObjectNode())
                : schema;
        ToolSpecification.Builder spec = ToolSpecification.builder().name(name)
                .inputSchema(ToolInputSchema.fromJson(Documents.fromJson(inputSchema)));
        if (description != null && !description.isBlank()) {
            spec.description(description);
        }
        return Tool.fromToolSpec(spec.build());
    }

    /** auto -> auto, required -> any, {function:{name}} -> tool; null when the model's default applies. */
    private static ToolChoice toolChoice(JsonNode choice, Set<String> declared, UnsupportedParams params) {
        if (choice == null || choice.isNull()) {
            return null;
        }
        if (choice.isTextual()) {
            return switch (choice.textValue()) {
                case "none" -> null;
                case "auto" -> declared.isEmpty() ? null : ToolChoice.fromAuto(AutoToolChoice.builder().build());
                case "required" -> {
                    requireTools(declared);
                    yield ToolChoice.fromAny(AnyToolChoice.builder().build());
                }
                default -> throw Invalid.value("tool_choice",
                        "'" + choice.textValue() + "' is not one of 'none', 'auto', 'required'");
            };
        }
        if (!choice.isObject()) {
            throw Invalid.type("tool_choice", "a string or an object");
        }
        String type = choice.path("type").asText("function");
        if (!"function".equals(type)) {
            params.unsupported("tool_choice", "of type '" + type + "' cannot be honoured on Amazon Bedrock");
            return null;
        }
        String name = choice.path("function").path("name").asText(null);
        if (name == null || name.isBlank()) {
            throw OpenAiException.invalidRequest("tool_choice.function.name", "'function.name' is required.");
        }
        requireTools(declared);
        if (!declared.contains(name)) {
            throw Invalid.value("tool_choice.function.name", "'" + name + "' is not one of the declared tools");
        }
        return forced(name);
    }

    private static void requireTools(Set<String> declared) {
        if (declared.isEmpty()) {
            throw OpenAiException.invalidRequest("tool_choice", ErrorTypes.CODE_INVALID_VALUE,
                    "'tool_choice' requires 'tools' to be specified.");
        }
    }

    /** An assistant's tool call -> a toolUse block, or its text form when tools are switched off. */
    static ContentBlock toolUse(ToolCall call, String at, boolean asText) {
        if (call == null || call.function() == null) {
            throw OpenAiException.invalidRequest(at + ".function", "'function' is required in tool calls.");
        }
        if (call.id() == null || call.id().isBlank()) {
            throw OpenAiException.invalidRequest(at + ".id", "'id' is required in tool calls.");
        }
        if (call.type() != null && !"function".equals(call.type())) {
            throw OpenAiException.invalidRequest(at + ".type", ErrorTypes.CODE_UNSUPPORTED_PARAMETER,
                    "Only tool calls of type 'function' are supported.");
        }
        String name = call.function().name();
        if (name == null || name.isBlank()) {
            throw OpenAiException.invalidRequest(at + ".function.name", "'function.name' is required in tool calls.");
        }
        JsonNode arguments = parseArguments(call.function().arguments(), at + ".function.arguments");
        if (asText) {
            return ContentBlock.fromText("[called tool " + name + " with " + arguments + "]");
        }
        return ContentBlock.fromToolUse(ToolUseBlock.builder().toolUseId(call.id()).name(name)
                .input(Documents.fromJson(arguments)).build());
    }

    private static JsonNode parseArguments(String arguments, String at) {
        if (arguments == null || arguments.isBlank()) {
            return JSON.createObjectNode();
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(arguments);
        } catch (JsonProcessingException e) {
            throw OpenAiException.invalidRequest(at, ErrorTypes.CODE_INVALID_VALUE,
                    "Tool call arguments must be a JSON object encoded as a string; this is not valid JSON.");
        }
        if (parsed == null || !parsed.isObject()) {
            throw OpenAiException.invalidRequest(at, ErrorTypes.CODE_INVALID_VALUE,
                    "Tool call arguments must be a JSON object encoded as a string.");
        }
        return parsed;
    }

    /** The id a {@code role: tool} message must carry. */
    static String toolCallId(ChatMessage.Tool tool, String at) {
        if (tool.toolCallId() == null || tool.toolCallId().isBlank()) {
            throw OpenAiException.invalidRequest(at + ".tool_call_id", "'tool_call_id' is required for tool messages.");
        }
        return tool.toolCallId();
    }

    /**
     * A {@code role: tool} message's content -> a toolResult block, or its text form when tools are switched off (an
     * image is then {@code [image]}).
     */
    static ContentBlock toolResult(String toolCallId, List<ToolResultContentBlock> content, boolean asText) {
        if (asText) {
            List<String> texts = content.stream().map(c -> c.text() != null ? c.text() : "[image]").toList();
            return ContentBlock.fromText("[tool result for " + toolCallId + ": " + String.join("\n", texts) + "]");
        }
        return ContentBlock.fromToolResult(ToolResultBlock.builder().toolUseId(toolCallId).content(content).build());
    }
}
