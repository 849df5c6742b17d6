package dev.bedrockgateway.translate.chat;

import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.openai.ChatCompletionRequest;
import dev.bedrockgateway.translate.Invalid;
import dev.bedrockgateway.translate.UnsupportedParams;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;

/**
 * {@code response_format} json_object / json_schema: Bedrock has no JSON mode every model shares, so the answer is
 * requested as the input of a forced tool whose input schema is the requested schema ({@link Tools#toolConfig}); the
 * response side turns that input back into {@code content} with {@code finish_reason: "stop"}.
 *
 * @param toolName the name of the forced tool
 * @param tool its declaration
 */
record StructuredOutput(String toolName, Tool tool) {

    /** The name of the forced tool when the schema has none. */
    static final String DEFAULT_TOOL = "json_response";
    private static final Pattern TOOL_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    /** The forced tool {@code format} asks for; null for plain text, or when the model reasons (then unsupported). */
    static StructuredOutput of(ChatCompletionRequest.ResponseFormat format, boolean reasoning,
            UnsupportedParams params) {
        if (format == null || format.type() == null || "text".equals(format.type())) {
            return null;
        }
        String name;
        String description;
        JsonNode schema;
        switch (format.type()) {
            case "json_object" -> {
                name = DEFAULT_TOOL;
                description = "Respond with your complete answer as a JSON object, as the input of this tool.";
                schema = JsonNodeFactory.instance.objectNode().put("type", "object");
            }
            case "json_schema" -> {
                JsonNode jsonSchema = format.jsonSchema();
                if (jsonSchema == null || !jsonSchema.isObject()) {
                    throw OpenAiException.invalidRequest("response_format.json_schema",
                            "'response_format.json_schema' is required when type is 'json_schema'.");
                }
                name = jsonSchema.path("name").asText(DEFAULT_TOOL);
                if (!TOOL_NAME.matcher(name).matches()) {
                    throw Invalid.value("response_format.json_schema.name",
                            "must be 1-64 letters, digits, underscores or dashes");
                }
                description = jsonSchema.path("description").asText(
                        "Respond with your complete answer, as the input of this tool, following its schema.");
                schema = jsonSchema.get("schema");
                if (schema == null || schema.isNull()) {
                    schema = JsonNodeFactory.instance.objectNode().put("type", "object");
                } else if (!schema.isObject() || !"object".equals(schema.path("type").asText())) {
                    throw Invalid.value("response_format.json_schema.schema",
                            "the root must be a JSON Schema of type 'object'");
                }
            }
            default -> throw Invalid.value("response_format.type",
                    "'" + format.type() + "' is not one of 'text', 'json_object', 'json_schema'");
        }
        if (reasoning) {
            params.unsupported("response_format", "cannot be combined with extended thinking on Bedrock (a forced"
                    + " tool is not allowed while the model reasons)");
            return null;
        }
        return new StructuredOutput(name, Tools.spec(name, description, schema));
    }
}
