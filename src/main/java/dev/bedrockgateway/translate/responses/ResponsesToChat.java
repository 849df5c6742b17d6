package dev.bedrockgateway.translate.responses;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.openai.ChatCompletionRequest;
import dev.bedrockgateway.openai.ResponsesRequest;
import dev.bedrockgateway.translate.Invalid;

/**
 * OpenAI Responses request -> the chat completion request it amounts to, which the chat translator turns into
 * Converse requests: one translation of conversations, tools, reasoning and structured output for both APIs.
 * <ul>
 * <li>{@code instructions} -> a developer message first (Bedrock's {@code system}); the earlier context of
 * {@code previous_response_id}, then {@code input} ({@link InputItems});</li>
 * <li>function tools as they are; a {@code namespace} tool's function tools as {@code <namespace>__<name>};
 * built-in OpenAI tools are refused by name ({@link ResponsesChecks});</li>
 * <li>{@code tool_choice} {@code {"type":"function","name"}} -> chat's form; {@code allowed_tools} -> only those
 * tools, with its mode;</li>
 * <li>{@code text.format} -> {@code response_format}; {@code reasoning.effort} -> {@code reasoning_effort};
 * {@code max_output_tokens} -> {@code max_completion_tokens}; sampling and neutral options as they are.</li>
 * </ul>
 */
public final class ResponsesToChat {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ResponsesToChat() {
    }

    /**
     * @param previous the stored context of {@code previous_response_id}, or null
     * @param seal opens the reasoning items sent back
     * @throws OpenAiException 400 naming the Responses field for anything that is not a valid request
     */
    public static ResponsesInput read(ResponsesRequest request, ArrayNode previous, ReasoningSeal seal) {
        ResponsesChecks.validate(request);
        InputItems items = new InputItems(seal);
        instructions(request.instructions(), items);
        int contextStart = items.items().size();
        if (previous != null) {
            items.all(previous, "previous_response_id", true);
        }
        int inputStart = items.items().size();
        JsonNode input = request.input();
        if (input == null || input.isNull()) {
            throw Invalid.missing("input");
        } else if (input.isTextual()) {
            items.text(input.textValue(), "input");
        } else if (input.isArray()) {
            items.all(input, "input", false);
        } else {
            throw Invalid.type("input", "a string or an array of input items");
        }
        List<ChatCompletionRequest.Tool> tools = new ArrayList<>();
        List<Integer> toolIndexes = new ArrayList<>();
        Map<String, String[]> namespaced = new HashMap<>();
        Map<String, String> hosted = new LinkedHashMap<>();
        tools(request.tools(), tools, toolIndexes, namespaced, hosted);
        JsonNode toolChoice = toolChoice(request.toolChoice(), tools, namespaced);
        ResponsesRequest.ReasoningOptions reasoning = request.reasoning();
        boolean stream = Boolean.TRUE.equals(request.stream());
        ChatCompletionRequest chat = new ChatCompletionRequest(request.model(), items.messages(),
                request.temperature(), request.topP(), null, stream, null, null, null,
                request.maxOutputTokens(), null, null, null, null, null, null, request.user(),
                tools.isEmpty() ? null : tools, toolChoice, request.parallelToolCalls(),
                responseFormat(request.text()), null, request.metadata(), request.serviceTier(),
                reasoning == null ? null : reasoning.effort(),
                request.text() == null ? null : request.text().verbosity(), null, null, null, null, null, null,
                request.safetyIdentifier(), request.promptCacheKey(), request.promptCacheRetention(),
                request.promptCacheOptions(), request.moderation(), null, null);
        ArrayNode all = items.items();
        ArrayNode inputItems = slice(all, inputStart);
        ArrayNode context = slice(all, contextStart);
        String summary = reasoning == null ? null
                : reasoning.summary() != null ? reasoning.summary() : reasoning.generateSummary();
        // Any summary left is one of OpenAI's values (ResponsesChecks.validate): the thinking is shown as a summary.
        return new ResponsesInput(request, chat, inputItems, context, summary != null,
                namespaced, hosted, new ParamNames(items.origins(), toolIndexes));
    }

    private static void instructions(JsonNode instructions, InputItems items) {
        if (instructions == null || instructions.isNull()) {
            return;
        }
        if (instructions.isTextual()) {
            if (!instructions.textValue().isBlank()) {
                ObjectNode item = NODES.objectNode().put("type", "message").put("role", "developer");
                item.put("content", instructions.textValue());
                items.add(item, "instructions");
            }
        } else if (instructions.isArray()) {
            items.all(instructions, "instructions", false);
        } else {
            throw Invalid.type("instructions", "a string or an array of input items");
        }
    }

    private static void tools(List<JsonNode> declared, List<ChatCompletionRequest.Tool> tools,
            List<Integer> toolIndexes, Map<String, String[]> namespaced, Map<String, String> hosted) {
        if (declared == null) {
            return;
        }
        for (int i = 0; i < declared.size(); i++) {
            String at = "tools[" + i + "]";
            JsonNode tool = declared.get(i);
            if (tool == null || !tool.isObject()) {
                throw Invalid.type(at, "an object");
            }
            String type = tool.path("type").asText("");
            switch (type) {
                case "function" -> {
                    tools.add(function(tool, null));
                    toolIndexes.add(i);
                }
                case "namespace" -> {
                    String namespace = tool.path("name").asText("");
                    if (namespace.isBlank()) {
                        throw Invalid.missing(at + ".name");
                    }
                    JsonNode inner = tool.get("tools");
                    if (inner == null || !inner.isArray()) {
                        throw Invalid.type(at + ".tools", "an array of function tools");
                    }
                    for (int j = 0; j < inner.size(); j++) {
                        JsonNode function = inner.get(j);
                        if (function == null || !function.isObject()
                                || !"function".equals(function.path("type").asText("function"))) {
                            throw Invalid.value(at + ".tools[" + j + "]", "a namespace groups function tools");
                        }
                        ChatCompletionRequest.Tool flat = function(function, namespace);
                        namespaced.put(flat.function().name(),
                                new String[] { namespace, function.path("name").asText() });
                        tools.add(flat);
                        toolIndexes.add(i);
                    }
                }
                case "" -> throw Invalid.missing(at + ".type");
                default -> hosted.put(at, type);
            }
        }
    }

    private static ChatCompletionRequest.Tool function(JsonNode tool, String namespace) {
        String name = tool.path("name").isTextual() ? tool.get("name").textValue() : null;
        JsonNode strict = tool.get("strict");
        return new ChatCompletionRequest.Tool("function", new ChatCompletionRequest.FunctionDefinition(
                namespace == null || name == null ? name : ToolNames.join(namespace, name),
                tool.path("description").isTextual() ? tool.get("description").textValue() : null,
                tool.get("parameters"), strict != null && strict.isBoolean() ? strict.booleanValue() : null));
    }

    private static JsonNode toolChoice(JsonNode choice, List<ChatCompletionRequest.Tool> tools,
            Map<String, String[]> namespaced) {
        if (choice == null || choice.isNull() || choice.isTextual() || !choice.isObject()) {
            return choice;
        }
        String type = choice.path("type").asText("");
        if ("function".equals(type)) {
            String name = choice.path("name").asText(null);
            String namespace = choice.path("namespace").asText(null);
            ObjectNode chat = NODES.objectNode().put("type", "function");
            chat.putObject("function").put("name", namespace == null || name == null ? name
                    : ToolNames.join(namespace, name));
            return chat;
        }
        if ("allowed_tools".equals(type)) {
            JsonNode allowed = choice.get("tools");
            if (allowed == null || !allowed.isArray()) {
                throw Invalid.type("tool_choice.tools", "an array of tools");
            }
            Set<String> names = new HashSet<>();
            allowed.forEach(t -> names.add(t.path("name").asText()));
            tools.removeIf(t -> !names.contains(t.function().name()) && !names.contains(
                    namespaced.containsKey(t.function().name()) ? namespaced.get(t.function().name())[1] : null));
            String mode = choice.path("mode").asText("auto");
            if (!Set.of("auto", "required").contains(mode)) {
                throw Invalid.value("tool_choice.mode", "'" + mode + "' is not one of 'auto', 'required'");
            }
            return NODES.textNode(mode);
        }
        return choice; // hosted tool choices: the chat translator refuses them by type
    }

    private static ChatCompletionRequest.ResponseFormat responseFormat(ResponsesRequest.TextOptions text) {
        JsonNode format = text == null ? null : text.format();
        if (format == null || format.isNull()) {
            return null;
        }
        if (!format.isObject()) {
            throw Invalid.type("text.format", "an object");
        }
        String type = format.path("type").asText(null);
        if (!"json_schema".equals(type)) {
            return new ChatCompletionRequest.ResponseFormat(type, null);
        }
        ObjectNode jsonSchema = ((ObjectNode) format).deepCopy();
        jsonSchema.remove("type");
        return new ChatCompletionRequest.ResponseFormat(type, jsonSchema);
    }

    private static ArrayNode slice(ArrayNode all, int from) {
        ArrayNode out = NODES.arrayNode(all.size() - from);
        for (int i = from; i < all.size(); i++) {
            out.add(all.get(i));
        }
        return out;
    }
}
