package dev.bedrockgateway.translate.responses;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.openai.ChatMessage;
import dev.bedrockgateway.openai.ContentPart;
import dev.bedrockgateway.openai.MessageContent;
import dev.bedrockgateway.openai.ThinkingBlock;
import dev.bedrockgateway.openai.ToolCall;
import dev.bedrockgateway.translate.Invalid;

/**
 * The items of a conversation (components/schemas/InputItem) -> chat messages, the form the shared chat translator
 * takes, one message per item (the translator merges neighbours of one role into one turn, as Bedrock requires):
 * <ul>
 * <li>{@code message} (with or without {@code type}): its role and parts ({@code input_text}, {@code input_image},
 * {@code input_file}; {@code output_text} and {@code refusal} for the assistant);</li>
 * <li>{@code function_call} -> an assistant tool call; {@code function_call_output} -> a tool message;</li>
 * <li>{@code reasoning} -> the next assistant turn's thinking blocks, opened from its {@code encrypted_content}
 * ({@link ReasoningSeal}); a reasoning item without it carries no signature Bedrock could take, and is left out.</li>
 * </ul>
 * Each item is also kept in a normal form with an {@code id}, for {@code input_items} and the stored context. Fields
 * inside items that the gateway does not read are ignored; the request's own fields are checked strictly.
 */
final class InputItems {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> ROLES = Set.of("user", "assistant", "system", "developer");

    /** Where one chat message came from: its item's param, and the item's type, to name a field in it. */
    record Origin(String at, String type) {
    }

    private final ReasoningSeal seal;
    private final List<ChatMessage> messages = new ArrayList<>();
    private final List<Origin> origins = new ArrayList<>();
    private final ArrayNode items = NODES.arrayNode();

    InputItems(ReasoningSeal seal) {
        this.seal = seal;
    }

    List<ChatMessage> messages() {
        return messages;
    }

    List<Origin> origins() {
        return origins;
    }

    /** Every item read, in its normal form, in order. */
    ArrayNode items() {
        return items;
    }

    /** A plain string input: one user message. */
    void text(String text, String at) {
        ObjectNode item = NODES.objectNode().put("type", "message").put("role", "user");
        item.putArray("content").addObject().put("type", "input_text").put("text", text);
        add(item, at);
    }

    /**
     * The items of an array, each named {@code at[i]}; or, with {@code fixedAt}, all named so (the stored context of
     * {@code previous_response_id}, which the client cannot point into).
     */
    void all(JsonNode array, String at, boolean fixedAt) {
        for (int i = 0; i < array.size(); i++) {
            add(array.get(i), fixedAt ? at : at + "[" + i + "]");
        }
    }

    void add(JsonNode node, String at) {
        if (!(node instanceof ObjectNode item)) {
            throw Invalid.type(at, "an object");
        }
        String type = item.has("type") ? text(item, "type", at) : item.has("role") ? "message" : null;
        if (type == null) {
            throw Invalid.missing(at + ".type");
        }
        switch (type) {
            case "message" -> message(item, at);
            case "function_call" -> functionCall(item, at);
            case "function_call_output" -> functionCallOutput(item, at);
            case "reasoning" -> reasoning(item, at);
            case "item_reference" -> throw OpenAiException.invalidRequest(at + ".type",
                    ErrorTypes.CODE_UNSUPPORTED_PARAMETER, "Items of type 'item_reference' are not supported by"
                            + " bedrock-gateway: send the item itself, or continue with 'previous_response_id'.");
            default -> throw OpenAiException.invalidRequest(at + ".type", ErrorTypes.CODE_UNSUPPORTED_PARAMETER,
                    "Items of type '" + type + "' are not supported by bedrock-gateway: built-in OpenAI tools do"
                            + " not exist on Amazon Bedrock. Supported: message, function_call, function_call_output,"
                            + " reasoning.");
        }
    }

    private void message(ObjectNode item, String at) {
        String role = text(item, "role", at);
        if (role == null) {
            throw Invalid.missing(at + ".role");
        }
        if (!ROLES.contains(role)) {
            throw OpenAiException.invalidRequest(at + ".role", ErrorTypes.CODE_INVALID_VALUE, "Invalid value: '"
                    + role + "'. Supported values are: 'user', 'assistant', 'system', 'developer'.");
        }
        boolean assistant = role.equals("assistant");
        JsonNode content = item.get("content");
        ArrayNode normal = NODES.arrayNode();
        MessageContent chat;
        if (content != null && content.isTextual()) {
            chat = new MessageContent.Text(content.textValue());
            ObjectNode part = normal.addObject().put("type", assistant ? "output_text" : "input_text")
                    .put("text", content.textValue());
            if (assistant) {
                part.putArray("annotations");
                part.putArray("logprobs");
            }
        } else if (content != null && content.isArray()) {
            List<ContentPart> parts = new ArrayList<>(content.size());
            for (int j = 0; j < content.size(); j++) {
                parts.add(part(content.get(j), at + ".content[" + j + "]", assistant));
                ObjectNode copy = ((ObjectNode) content.get(j)).deepCopy();
                if ("output_text".equals(copy.path("type").asText())) {
                    // As OpenAI lists them: an answer's text part always has both arrays.
                    for (String list : List.of("annotations", "logprobs")) {
                        if (!copy.path(list).isArray()) {
                            copy.putArray(list);
                        }
                    }
                }
                normal.add(copy);
            }
            chat = new MessageContent.Parts(parts);
        } else {
            throw content == null || content.isNull()
                    ? Invalid.missing(at + ".content")
                    : Invalid.type(at + ".content", "a string or an array of content parts");
        }
        ChatMessage message = switch (role) {
            case "user" -> new ChatMessage.User(chat, null);
            case "system" -> new ChatMessage.System(chat, null);
            case "developer" -> new ChatMessage.Developer(chat, null);
            default -> new ChatMessage.Assistant(chat, null, null, null, null, null, null, null);
        };
        ObjectNode out = NODES.objectNode();
        out.put("id", id(item, "msg")).put("type", "message").put("role", role).set("content", normal);
        out.put("status", "completed");
        append(message, new Origin(at, "message"), out);
    }

    private static ContentPart part(JsonNode node, String at, boolean assistant) {
        if (!(node instanceof ObjectNode part)) {
            throw Invalid.type(at, "an object");
        }
        String type = text(part, "type", at);
        if (type == null) {
            throw Invalid.missing(at + ".type");
        }
        switch (type) {
            case "input_text", "output_text" -> {
                return new ContentPart.TextPart(requiredText(part, "text", at), null);
            }
            case "refusal" -> {
                return new ContentPart.RefusalPart(requiredText(part, "refusal", at));
            }
            case "input_image" -> {
                unsupportedReference(part, "file_id", at, "an image");
                String url = text(part, "image_url", at);
                if (url == null) {
                    throw Invalid.missing(at + ".image_url");
                }
                return new ContentPart.ImagePart(new ContentPart.ImageUrl(url, text(part, "detail", at)), null);
            }
            case "input_file" -> {
                unsupportedReference(part, "file_id", at, "a file");
                unsupportedReference(part, "file_url", at, "a file");
                return new ContentPart.FilePart(new ContentPart.FileObject(text(part, "file_data", at), null,
                        text(part, "filename", at)), null);
            }
            default -> throw OpenAiException.invalidRequest(at + ".type", ErrorTypes.CODE_INVALID_VALUE,
                    "Invalid value: '" + type + "'. Supported values are: " + (assistant ? "'output_text', 'refusal'"
                            : "'input_text', 'input_image', 'input_file'") + ".");
        }
    }

    private static void unsupportedReference(ObjectNode part, String field, String at, String what) {
        JsonNode value = part.get(field);
        if (value != null && !value.isNull()) {
            throw OpenAiException.invalidRequest(at + "." + field, ErrorTypes.CODE_UNSUPPORTED_PARAMETER,
                    "'" + field + "' refers to OpenAI's Files API or the web, which bedrock-gateway does not have:"
                            + " send " + what + " inline as a base64 data URL.");
        }
    }

    private void functionCall(ObjectNode item, String at) {
        String callId = requiredText(item, "call_id", at);
        String name = requiredText(item, "name", at);
        String arguments = requiredText(item, "arguments", at);
        String namespace = text(item, "namespace", at);
        String bedrockName = namespace == null ? name : ToolNames.join(namespace, name);
        ChatMessage call = new ChatMessage.Assistant(null, null, null, List.of(new ToolCall(callId, "function",
                new ToolCall.FunctionCall(bedrockName, arguments))), null, null, null, null);
        ObjectNode out = NODES.objectNode().put("id", id(item, "fc")).put("type", "function_call")
                .put("status", "completed").put("call_id", callId).put("name", name).put("arguments", arguments);
        if (namespace != null) {
            out.put("namespace", namespace);
        }
        append(call, new Origin(at, "function_call"), out);
    }

    private void functionCallOutput(ObjectNode item, String at) {
        String callId = requiredText(item, "call_id", at);
        JsonNode output = item.get("output");
        MessageContent content;
        if (output != null && output.isTextual()) {
            content = new MessageContent.Text(output.textValue());
        } else if (output != null && output.isArray()) {
            List<ContentPart> parts = new ArrayList<>(output.size());
            for (int j = 0; j < output.size(); j++) {
                parts.add(part(output.get(j), at + ".output[" + j + "]", false));
            }
            content = new MessageContent.Parts(parts);
        } else {
            throw output == null || output.isNull()
                    ? Invalid.missing(at + ".output")
                    : Invalid.type(at + ".output", "a string or an array of content parts");
        }
        ObjectNode out = NODES.objectNode().put("id", id(item, "fco")).put("type", "function_call_output")
                .put("status", "completed").put("call_id", callId);
        out.set("output", output);
        append(new ChatMessage.Tool(content, callId), new Origin(at, "function_call_output"), out);
    }

    private void reasoning(ObjectNode item, String at) {
        ObjectNode out = NODES.objectNode().put("id", id(item, "rs")).put("type", "reasoning");
        JsonNode summary = item.get("summary");
        out.set("summary", summary != null && summary.isArray() ? summary : NODES.arrayNode());
        if (item.get("content") instanceof ArrayNode content) {
            out.set("content", content);
        }
        String sealed = text(item, "encrypted_content", at);
        if (sealed == null) {
            items.add(out);
            return;
        }
        out.put("encrypted_content", sealed);
        List<ThinkingBlock> blocks = seal.open(sealed, at + ".encrypted_content");
        append(new ChatMessage.Assistant(null, null, null, null, null, null, null, blocks),
                new Origin(at, "reasoning"), out);
    }

    private void append(ChatMessage message, Origin origin, ObjectNode item) {
        messages.add(message);
        origins.add(origin);
        items.add(item);
    }

    private static String id(ObjectNode item, String prefix) {
        JsonNode id = item.get("id");
        return id != null && id.isTextual() && !id.textValue().isEmpty() ? id.textValue() : ResponseIds.of(prefix);
    }

    /** A string field, or null when absent. */
    private static String text(ObjectNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw Invalid.type(at + "." + field, "a string");
        }
        return value.textValue();
    }

    private static String requiredText(ObjectNode node, String field, String at) {
        String value = text(node, field, at);
        if (value == null) {
            throw Invalid.missing(at + "." + field);
        }
        return value;
    }
}
