package dev.bedrockgateway.translate.messages;

import java.util.Iterator;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.translate.Invalid;

/**
 * Reading an Anthropic request body field by field, with the 400s Anthropic's own validation gives: every error names
 * the field by its path ({@code messages[2].content[0].source.type}), an unknown field is
 * {@code <path>: Extra inputs are not permitted} and a missing one {@code <path>: Field required}, as Anthropic words
 * them (https://docs.anthropic.com/en/api/errors). A JSON {@code null} counts as absent, as Anthropic's SDKs send
 * unset optional fields either way.
 */
final class Fields {

    private Fields() {
    }

    /** {@code at.field}, or {@code field} at the top level. */
    static String path(String at, String field) {
        return at.isEmpty() ? field : at + "." + field;
    }

    /** {@code at[i]}. */
    static String index(String at, int i) {
        return at + "[" + i + "]";
    }

    /** The node as an object, or a 400 naming it. */
    static ObjectNode object(JsonNode node, String at) {
        if (node == null || !node.isObject()) {
            throw Invalid.type(at, "an object");
        }
        return (ObjectNode) node;
    }

    /** Refuses the first field of {@code node} that is not in {@code known}. */
    static void only(ObjectNode node, String at, Set<String> known) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!known.contains(name)) {
                throw extra(path(at, name));
            }
        }
    }

    static OpenAiException extra(String param) {
        return OpenAiException.invalidRequest(param, ErrorTypes.CODE_UNKNOWN_PARAMETER,
                param + ": Extra inputs are not permitted");
    }

    static OpenAiException required(String param) {
        return OpenAiException.invalidRequest(param, ErrorTypes.CODE_INVALID_VALUE, param + ": Field required");
    }

    /** A field Anthropic defines that has no faithful twin on this path. */
    static OpenAiException unsupported(String param, String why) {
        return OpenAiException.invalidRequest(param, ErrorTypes.CODE_UNSUPPORTED_PARAMETER, param + ": " + why);
    }

    /** The field's value; null when absent or JSON null. */
    static JsonNode optional(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value;
    }

    static JsonNode required(ObjectNode node, String field, String at) {
        JsonNode value = optional(node, field);
        if (value == null) {
            throw required(path(at, field));
        }
        return value;
    }

    static String requiredText(ObjectNode node, String field, String at) {
        JsonNode value = required(node, field, at);
        if (!value.isTextual()) {
            throw Invalid.type(path(at, field), "a string");
        }
        return value.textValue();
    }

    static String optionalText(ObjectNode node, String field, String at) {
        JsonNode value = optional(node, field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw Invalid.type(path(at, field), "a string");
        }
        return value.textValue();
    }

    static boolean optionalBoolean(ObjectNode node, String field, String at) {
        JsonNode value = optional(node, field);
        if (value == null) {
            return false;
        }
        if (!value.isBoolean()) {
            throw Invalid.type(path(at, field), "a boolean");
        }
        return value.booleanValue();
    }

    /** The {@code type} every content block, tool choice and source carries. */
    static String type(ObjectNode node, String at) {
        return requiredText(node, "type", at);
    }
}
