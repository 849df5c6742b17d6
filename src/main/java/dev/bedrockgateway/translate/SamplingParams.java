package dev.bedrockgateway.translate;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.openai.ChatCompletionRequest;

/**
 * The sampling and option checks chat and legacy completions share: OpenAI's value ranges (out of range is always a
 * 400, as OpenAI answers), and the options Bedrock cannot honour, which go through {@link UnsupportedParams}.
 */
public final class SamplingParams {

    /** OpenAI allows up to 4 stop sequences; so do the Bedrock models with the smallest limit. */
    private static final int MAX_STOP_SEQUENCES = 4;

    private SamplingParams() {
    }

    /**
     * {@code stream_options}: allowed only with {@code stream: true}, as OpenAI rules; the gateway acts on it and
     * never forwards it.
     *
     * @return whether an extra last chunk with {@code usage} is wanted
     */
    public static boolean includeUsage(boolean stream, ChatCompletionRequest.StreamOptions options) {
        if (options == null) {
            return false;
        }
        if (!stream) {
            throw OpenAiException.invalidRequest("stream_options", ErrorTypes.CODE_INVALID_VALUE,
                    "The 'stream_options' parameter is only allowed when 'stream' is enabled.");
        }
        return Boolean.TRUE.equals(options.includeUsage());
    }

    public static Float temperature(Double value) {
        if (value == null) {
            return null;
        }
        if (value < 0 || value > 2) {
            throw Invalid.value("temperature", value + " is not between 0 and 2");
        }
        return value.floatValue();
    }

    public static Float topP(Double value) {
        if (value == null) {
            return null;
        }
        if (value < 0 || value > 1) {
            throw Invalid.value("top_p", value + " is not between 0 and 1");
        }
        return value.floatValue();
    }

    public static Integer maxTokens(String param, Integer value) {
        if (value != null && value < 1) {
            throw Invalid.value(param, value + " is less than the minimum of 1");
        }
        return value;
    }

    /** Presence and frequency penalties: 0 is neutral; anything else has no Converse twin. */
    public static void penalty(UnsupportedParams params, String name, Double value) {
        if (value == null) {
            return;
        }
        if (value < -2.0 || value > 2.0) {
            throw Invalid.value(name, value + " is not between -2.0 and 2.0");
        }
        if (value != 0.0) {
            params.unsupported(name, "cannot be honoured: Amazon Bedrock Converse has no " + name.replace('_', ' '));
        }
    }

    /** {@code n}: 1 is neutral; more choices per request do not exist on Bedrock. */
    public static void n(UnsupportedParams params, Integer n) {
        if (n == null) {
            return;
        }
        if (n < 1 || n > 128) {
            throw Invalid.value("n", n + " is not between 1 and 128");
        }
        if (n > 1) {
            params.unsupported("n", "cannot be honoured: Amazon Bedrock returns one choice per request");
        }
    }

    public static void seedAndLogitBias(UnsupportedParams params, Long seed, JsonNode logitBias) {
        if (seed != null) {
            params.unsupported("seed", "cannot be honoured: Amazon Bedrock Converse has no sampling seed");
        }
        if (logitBias != null && !logitBias.isNull()) {
            if (!logitBias.isObject()) {
                throw Invalid.type("logit_bias", "an object");
            }
            if (!logitBias.isEmpty()) {
                params.unsupported("logit_bias", "cannot be honoured: Amazon Bedrock has no token biasing");
            }
        }
    }

    /** {@code stop}: a string or up to 4 strings; empty strings are left out (Bedrock rejects them). */
    public static List<String> stopSequences(JsonNode stop) {
        if (stop == null || stop.isNull()) {
            return List.of();
        }
        if (stop.isTextual()) {
            return stop.textValue().isEmpty() ? List.of() : List.of(stop.textValue());
        }
        if (!stop.isArray()) {
            throw Invalid.type("stop", "a string or an array of strings");
        }
        if (stop.size() > MAX_STOP_SEQUENCES) {
            throw Invalid.value("stop", "at most " + MAX_STOP_SEQUENCES + " stop sequences are allowed");
        }
        List<String> sequences = new ArrayList<>();
        for (int i = 0; i < stop.size(); i++) {
            JsonNode s = stop.get(i);
            if (!s.isTextual()) {
                throw Invalid.type("stop[" + i + "]", "a string");
            }
            if (!s.textValue().isEmpty()) {
                sequences.add(s.textValue());
            }
        }
        return sequences;
    }

}
