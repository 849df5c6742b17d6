package dev.bedrockgateway.api.admin;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.governance.BudgetDuration;

/**
 * An admin API body, read strictly: a JSON object with only the fields the endpoint takes, each of its type, so that
 * a typo ({@code max_bugdet}) or a wrong type is a 400 naming the field, never a silently ignored limit.
 */
final class AdminRequest {

    /** The admin API's JSON, both ways. */
    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final JsonNode body;

    private AdminRequest(JsonNode body) {
        this.body = body;
    }

    static AdminRequest read(byte[] bytes, Set<String> allowed) {
        JsonNode body;
        try {
            body = bytes == null || bytes.length == 0 ? MAPPER.createObjectNode() : MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw OpenAiException.invalidRequest(null, ErrorTypes.CODE_INVALID_JSON,
                    "We could not parse the JSON body of your request.");
        }
        if (body == null || !body.isObject()) {
            throw OpenAiException.invalidRequest(null, ErrorTypes.CODE_INVALID_TYPE,
                    "The request body must be a JSON object.");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw OpenAiException.invalidRequest(name, ErrorTypes.CODE_UNKNOWN_PARAMETER,
                        "Unrecognized request argument supplied: " + name);
            }
        }
        return new AdminRequest(body);
    }

    boolean has(String field) {
        return body.has(field);
    }

    String string(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw wrongType(field, "a string");
        }
        return node.asText();
    }

    String requiredString(String field) {
        String value = string(field);
        if (value == null || value.isBlank()) {
            throw OpenAiException.invalidRequest(field, "Missing required parameter: '" + field + "'.");
        }
        return value;
    }

    Integer count(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw wrongType(field, "an integer");
        }
        if (node.intValue() < 0) {
            throw invalidValue(field, "must not be negative");
        }
        return node.intValue();
    }

    Double money(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            throw wrongType(field, "a number");
        }
        double value = node.doubleValue();
        if (value < 0 || !Double.isFinite(value)) {
            throw invalidValue(field, "must be a non-negative amount of USD");
        }
        return value;
    }

    Boolean bool(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isBoolean()) {
            throw wrongType(field, "a boolean");
        }
        return node.booleanValue();
    }

    List<String> strings(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw wrongType(field, "an array of strings");
        }
        List<String> values = new ArrayList<>(node.size());
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw wrongType(field, "an array of strings");
            }
            values.add(item.asText());
        }
        return values;
    }

    Map<String, Object> object(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw wrongType(field, "an object");
        }
        return MAPPER.convertValue(node, new TypeReference<Map<String, Object>>() {
        });
    }

    /** A LiteLLM duration ({@code 30s}, {@code 30m}, {@code 24h}, {@code 30d}, {@code 1mo}), checked. */
    String duration(String field) {
        String value = string(field);
        if (value != null) {
            try {
                BudgetDuration.parse(value);
            } catch (IllegalArgumentException e) {
                throw invalidValue(field, "must be a duration such as 30s, 30m, 24h, 30d or 1mo, not '" + value + "'");
            }
        }
        return value;
    }

    /**
     * When the request gives {@code field}, the end of a period of that duration from {@code now} (null when given as
     * null); else {@code current}.
     */
    Instant periodEnd(String field, Instant now, Instant current) {
        if (!has(field)) {
            return current;
        }
        String duration = duration(field);
        return duration == null ? null : BudgetDuration.parse(duration).after(now);
    }

    /** The request's value of {@code field} when it gives one (null clears), else {@code current}; likewise below. */
    String string(String field, String current) {
        return has(field) ? string(field) : current;
    }

    String duration(String field, String current) {
        return has(field) ? duration(field) : current;
    }

    Integer count(String field, Integer current) {
        return has(field) ? count(field) : current;
    }

    Double money(String field, Double current) {
        return has(field) ? money(field) : current;
    }

    boolean bool(String field, boolean current) {
        Boolean value = bool(field);
        return value == null ? current : value;
    }

    Map<String, Object> object(String field, Map<String, Object> current) {
        return has(field) ? object(field) : current;
    }

    static OpenAiException wrongType(String field, String expected) {
        return OpenAiException.invalidRequest(field, ErrorTypes.CODE_INVALID_TYPE,
                "Invalid type for '" + field + "': expected " + expected + ".");
    }

    static OpenAiException invalidValue(String field, String why) {
        return OpenAiException.invalidRequest(field, ErrorTypes.CODE_INVALID_VALUE,
                "Invalid value for '" + field + "': " + why + ".");
    }
}
