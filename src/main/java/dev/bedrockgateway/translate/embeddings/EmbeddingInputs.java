package dev.bedrockgateway.translate.embeddings;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;

/**
 * OpenAI's embeddings {@code input} -> the texts to embed. OpenAI takes a string, an array of strings, an array
 * of token ids or an array of token-id arrays, with at most 2048 inputs and no empty strings. Bedrock embedding
 * models take text only, so token ids are refused (there is no tokenizer to turn them back into text that would
 * embed the same). Every refusal is a 400 whose {@code param} names the offending element ({@code input},
 * {@code input[3]}).
 */
public final class EmbeddingInputs {

    /** OpenAI's limit on the number of inputs in one request. */
    public static final int MAX_INPUTS = 2048;

    private static final String TOKENS_MESSAGE = "Token-id input is not supported: Bedrock embedding models take "
            + "text only. Send 'input' as a string or an array of strings.";

    private EmbeddingInputs() {
    }

    /**
     * The texts of {@code input}, in order.
     *
     * @throws OpenAiException 400 for a missing or null input, an empty string (alone or in the array), an empty
     *         array, more than 2048 inputs, a value of the wrong type, or token ids
     */
    public static List<String> texts(JsonNode input) {
        if (input == null || input.isMissingNode() || input.isNull()) {
            throw OpenAiException.invalidRequest("input", ErrorTypes.CODE_INVALID_VALUE,
                    "'input' is required: a string or an array of strings to embed.");
        }
        if (input.isTextual()) {
            if (input.textValue().isEmpty()) {
                throw emptyString("input");
            }
            return List.of(input.textValue());
        }
        if (!input.isArray()) {
            throw OpenAiException.invalidRequest("input", ErrorTypes.CODE_INVALID_TYPE,
                    "Invalid type for 'input': expected a string or an array of strings, but got "
                            + kind(input) + ".");
        }
        if (input.isEmpty()) {
            throw OpenAiException.invalidRequest("input", ErrorTypes.CODE_INVALID_VALUE,
                    "'input' must not be an empty array.");
        }
        if (isTokenArray(input)) {
            throw OpenAiException.invalidRequest("input", ErrorTypes.CODE_INVALID_TYPE, TOKENS_MESSAGE);
        }
        if (input.size() > MAX_INPUTS) {
            throw OpenAiException.invalidRequest("input", ErrorTypes.CODE_INVALID_VALUE,
                    "'input' has " + input.size() + " items; at most " + MAX_INPUTS + " are allowed.");
        }
        List<String> texts = new ArrayList<>(input.size());
        for (int i = 0; i < input.size(); i++) {
            JsonNode item = input.get(i);
            String param = "input[" + i + "]";
            if (item.isTextual()) {
                if (item.textValue().isEmpty()) {
                    throw emptyString(param);
                }
                texts.add(item.textValue());
            } else if (item.isArray() && (item.isEmpty() || isTokenArray(item))) {
                throw OpenAiException.invalidRequest(param, ErrorTypes.CODE_INVALID_TYPE, TOKENS_MESSAGE);
            } else {
                throw OpenAiException.invalidRequest(param, ErrorTypes.CODE_INVALID_TYPE,
                        "Invalid type for '" + param + "': expected a string, but got " + kind(item) + ".");
            }
        }
        return texts;
    }

    /** A non-empty array of integers: one OpenAI token-id input. */
    private static boolean isTokenArray(JsonNode array) {
        if (array.isEmpty()) {
            return false;
        }
        for (JsonNode item : array) {
            if (!item.isIntegralNumber()) {
                return false;
            }
        }
        return true;
    }

    private static OpenAiException emptyString(String param) {
        return OpenAiException.invalidRequest(param, ErrorTypes.CODE_INVALID_VALUE,
                "'" + param + "' must not be an empty string.");
    }

    private static String kind(JsonNode node) {
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isNumber()) {
            return "a number";
        }
        if (node.isNull()) {
            return "null";
        }
        return node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }
}
