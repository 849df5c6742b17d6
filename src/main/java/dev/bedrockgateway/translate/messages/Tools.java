package dev.bedrockgateway.translate.messages;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.bedrockgateway.translate.Documents;
import dev.bedrockgateway.translate.Invalid;
import software.amazon.awssdk.services.bedrockruntime.model.AnyToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.AutoToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointBlock;
import software.amazon.awssdk.services.bedrockruntime.model.SpecificToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;

/**
 * {@code tools} and {@code tool_choice} -> Converse {@code toolConfig}
 * (https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/implement-tool-use,
 * https://docs.aws.amazon.com/bedrock/latest/userguide/tool-use.html).
 * <ul>
 * <li>A custom tool ({@code type} absent or {@code custom}): {@code name}, {@code description}, {@code input_schema}
 * -> a {@code toolSpec}; {@code strict} -> {@code strict}; {@code cache_control} -> a {@code cachePoint} after it
 * where the model takes one there ({@link CacheControls}).</li>
 * <li>Any other {@code type} ({@code web_search_20250305}, {@code bash_20250124}, {@code text_editor_...},
 * {@code computer_...}) is one of Anthropic's server tools or Anthropic-defined tools, which only Anthropic's models
 * run or know: a 400 naming the tool.</li>
 * <li>{@code tool_choice}: {@code auto} -> auto, {@code any} -> any, {@code tool} -> tool (which must be declared);
 * {@code none} has no Converse twin, so no tool is offered at all and earlier tool calls and results travel as text
 * ({@link Conversation}), as the chat translator does.</li>
 * <li>{@code disable_parallel_tool_use: true} has no Converse twin either; it is dropped and reported in
 * {@code dropped}: every Anthropic client already handles an answer with several {@code tool_use} blocks, so the
 * answer stays valid, and refusing it would break clients that always send it.</li>
 * <li>Converse needs a {@code toolConfig} whenever the history holds toolUse or toolResult blocks: tools the history
 * names that the request does not declare are declared with an empty schema.</li>
 * </ul>
 */
final class Tools {

    /** Converse's tool name rule (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ToolSpecification.html). */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    private static final Set<String> TOOL_FIELDS = Set.of("type", "name", "description", "input_schema",
            "cache_control", "strict");
    private static final Set<String> CHOICE_FIELDS = Set.of("type", "name", "disable_parallel_tool_use");

    /** A validated {@code tool_choice}: {@code type} is auto, any, tool or none; null when the request has none. */
    record Choice(String type, String name) {
        boolean none() {
            return "none".equals(type);
        }
    }

    /** The declared tools, in order, with their cache points, and their names. */
    record Declared(List<Tool> tools, Set<String> names) {
    }

    private Tools() {
    }

    static Choice choice(ObjectNode request, List<String> dropped) {
        JsonNode node = Fields.optional(request, "tool_choice");
        if (node == null) {
            return null;
        }
        ObjectNode choice = Fields.object(node, "tool_choice");
        String type = Fields.type(choice, "tool_choice");
        Fields.only(choice, "tool_choice", "none".equals(type) ? Set.of("type") : CHOICE_FIELDS);
        String name = null;
        switch (type) {
            case "auto", "any", "none" -> {
                if (choice.has("name")) {
                    throw Fields.extra("tool_choice.name");
                }
            }
            case "tool" -> name = Fields.requiredText(choice, "name", "tool_choice");
            default -> throw Invalid.value("tool_choice.type", "'" + type + "' is not one of 'auto', 'any', 'tool',"
                    + " 'none'");
        }
        if (Fields.optionalBoolean(choice, "disable_parallel_tool_use", "tool_choice")) {
            dropped.add("tool_choice.disable_parallel_tool_use");
        }
        return new Choice(type, name);
    }

    static Declared declared(ObjectNode request, CacheControls cacheControls) {
        JsonNode node = Fields.optional(request, "tools");
        List<Tool> tools = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        if (node == null) {
            return new Declared(tools, names);
        }
        if (!node.isArray()) {
            throw Invalid.type("tools", "an array");
        }
        for (int i = 0; i < node.size(); i++) {
            String at = Fields.index("tools", i);
            ObjectNode tool = Fields.object(node.get(i), at);
            String type = Fields.optionalText(tool, "type", at);
            if (type != null && !"custom".equals(type)) {
                String name = tool.path("name").asText(type);
                throw Fields.unsupported(Fields.path(at, "type"), "'" + name + "' is an Anthropic tool of type '"
                        + type + "', which only Anthropic runs; Amazon Bedrock Converse cannot offer it to this"
                        + " model. Declare a custom tool (name, description, input_schema) instead.");
            }
            Fields.only(tool, at, TOOL_FIELDS);
            String name = Fields.requiredText(tool, "name", at);
            if (!NAME.matcher(name).matches()) {
                throw Invalid.value(Fields.path(at, "name"), "'" + name + "' must be 1 to 64 letters, digits,"
                        + " underscores or hyphens");
            }
            if (!names.add(name)) {
                throw Invalid.value(Fields.path(at, "name"), "tool names must be unique; '" + name
                        + "' is declared twice");
            }
            ObjectNode schema = Fields.object(Fields.required(tool, "input_schema", at), Fields.path(at,
                    "input_schema"));
            ToolSpecification.Builder spec = ToolSpecification.builder().name(name)
                    .inputSchema(ToolInputSchema.fromJson(Documents.fromJson(schema)));
            String description = Fields.optionalText(tool, "description", at);
            if (description != null && !description.isBlank()) {
                spec.description(description);
            }
            if (Fields.optionalBoolean(tool, "strict", at)) {
                spec.strict(true);
            }
            tools.add(Tool.fromToolSpec(spec.build()));
            CachePointBlock cachePoint = cacheControls.inTools(tool, at);
            if (cachePoint != null) {
                tools.add(Tool.fromCachePoint(cachePoint));
            }
        }
        return new Declared(tools, names);
    }

    /**
     * The {@code toolConfig}; null when no tool is offered.
     *
     * @param historyNames names of the history's toolUse blocks (empty under {@code tool_choice: none}, where they
     *        travel as text)
     */
    static ToolConfiguration toolConfig(Declared declared, Choice choice, Set<String> historyNames) {
        if (choice != null && choice.none()) {
            return null;
        }
        List<Tool> tools = new ArrayList<>(declared.tools());
        Set<String> names = new LinkedHashSet<>(declared.names());
        ToolChoice toolChoice = null;
        if (choice != null) {
            toolChoice = switch (choice.type()) {
                case "auto" -> declared.names().isEmpty() ? null : ToolChoice.fromAuto(AutoToolChoice.builder()
                        .build());
                case "any" -> {
                    requireTools(declared);
                    yield ToolChoice.fromAny(AnyToolChoice.builder().build());
                }
                default -> {
                    requireTools(declared);
                    if (!declared.names().contains(choice.name())) {
                        throw Invalid.value("tool_choice.name", "'" + choice.name()
                                + "' is not one of the declared tools");
                    }
                    yield ToolChoice.fromTool(SpecificToolChoice.builder().name(choice.name()).build());
                }
            };
        }
        for (String used : historyNames) {
            if (names.add(used)) {
                tools.add(Tool.fromToolSpec(ToolSpecification.builder().name(used)
                        .description("Tool used earlier in this conversation.")
                        .inputSchema(ToolInputSchema.fromJson(Documents.fromJson(emptySchema()))).build()));
            }
        }
        if (names.isEmpty()) {
            return null;
        }
        ToolConfiguration.Builder config = ToolConfiguration.builder().tools(tools);
        if (toolChoice != null) {
            config.toolChoice(toolChoice);
        }
        return config.build();
    }

    private static ObjectNode emptySchema() {
        ObjectNode schema = JsonNodeFactory.instance.objectNode().put("type", "object");
        schema.putObject("properties");
        return schema;
    }

    private static void requireTools(Declared declared) {
        if (declared.names().isEmpty()) {
            throw Invalid.value("tool_choice", "'tool_choice' requires 'tools' to be specified");
        }
    }
}
