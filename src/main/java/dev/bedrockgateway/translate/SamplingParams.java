package dev.bedrockgateway.translate;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.openai.ChatCompletionRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;

/**
 * The sampling and option checks (and the stream request) chat and legacy completions share: OpenAI's value ranges (out of range is always a
 * 400, as OpenAI answers), and the options Bedrock cannot honour, which go through {@link UnsupportedParams}.
 */
final class SamplingParams {

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
    static boolean includeUsage(boolean stream, ChatCompletionRequest.StreamOptions options) {
        if (options == null) {
            return false;
        }
        if (!stream) {
            throw OpenAiException.invalidRequest("stream_options", ErrorTypes.CODE_INVALID_VALUE,
                    "The 'stream_options' parameter is only allowed when 'stream' is enabled.");
        }
        return Boolean.TRUE.equals(options.includeUsage());
    }

    /** The same Converse request for ConverseStream, which takes the same fields under another type. */
    static ConverseStreamRequest streamRequest(ConverseRequest request) {
        return ConverseStreamRequest.builder()
                .modelId(request.modelId())
                .messages(request.messages())
                .system(request.hasSystem() ? request.system() : null)
                .inferenceConfig(request.inferenceConfig())
                .toolConfig(request.toolConfig())
                .additionalModelRequestFields(request.additionalModelRequestFields())
                .build();
    }

    static Float temperature(Double value) {
        if (value == null) {
            return null;
        }
        if (value < 0 || value > 2) {
            throw invalidValue("temperature", value + " is not between 0 and 2");
        }
        return value.floatValue();
    }

    static Float topP(Double value) {
        if (value == null) {
            return null;
        }
        if (value < 0 || value > 1) {
            throw invalidValue("top_p", value + " is not between 0 and 1");
        }
        return value.floatValue();
    }

    static Integer maxTokens(String param, Integer value) {
        if (value != null && value < 1) {
            throw invalidValue(param, value + " is less than the minimum of 1");
        }
        return value;
    }

    /** Presence and frequency penalties: 0 is neutral; anything else has no Converse twin. */
    static void penalty(UnsupportedParams params, String name, Double value) {
        if (value == null) {
            return;
        }
        if (value < -2.0 || value > 2.0) {
            throw invalidValue(name, value + " is not between -2.0 and 2.0");
        }
        if (value != 0.0) {
            params.unsupported(name, "cannot be honoured: Amazon Bedrock Converse has no " + name.replace('_', ' '));
        }
    }

    /** {@code n}: 1 is neutral; more choices per request do not exist on Bedrock. */
    static void n(UnsupportedParams params, Integer n) {
        if (n == null) {
            return;
        }
        if (n < 1 || n > 128) {
            throw invalidValue("n", n + " is not between 1 and 128");
        }
        if (n > 1) {
            params.unsupported("n", "cannot be honoured: Amazon Bedrock returns one choice per request");
        }
    }

    static void seedAndLogitBias(UnsupportedParams params, Long seed, JsonNode logitBias) {
        if (seed != null) {
            params.unsupported("seed", "cannot be honoured: Amazon Bedrock Converse has no sampling seed");
        }
        if (logitBias != null && !logitBias.isNull()) {
            if (!logitBias.isObject()) {
                throw invalidType("logit_bias", "an object");
            }
            if (!logitBias.isEmpty()) {
                params.unsupported("logit_bias", "cannot be honoured: Amazon Bedrock has no token biasing");
            }
        }
    }

    /** {@code stop}: a string or up to 4 strings; empty strings are left out (Bedrock rejects them). */
    static List<String> stopSequences(JsonNode stop) {
        if (stop == null || stop.isNull()) {
            return List.of();
        }
        if (stop.isTextual()) {
            return stop.textValue().isEmpty() ? List.of() : List.of(stop.textValue());
        }
        if (!stop.isArray()) {
            throw invalidType("stop", "a string or an array of strings");
        }
        if (stop.size() > MAX_STOP_SEQUENCES) {
            throw invalidValue("stop", "at most " + MAX_STOP_SEQUENCES + " stop sequences are allowed");
        }
        List<String> sequences = new ArrayList<>();
        for (int i = 0; i < stop.size(); i++) {
            JsonNode s = stop.get(i);
            if (!s.isTextual()) {
                throw invalidType("stop[" + i + "]", "a string");
            }
            if (!s.textValue().isEmpty()) {
                sequences.add(s.textValue());
            }
        }
        return sequences;
    }

    static OpenAiException invalidValue(String param, String what) {
        return OpenAiException.invalidRequest(param, ErrorTypes.CODE_INVALID_VALUE,
                "Invalid value for '" + param + "': " + what + ".");
    }

    static OpenAiException invalidType(String param, String expected) {
        return OpenAiException.invalidRequest(param, ErrorTypes.CODE_INVALID_TYPE,
                "Invalid type for '" + param + "': expected " + expected + ".");
    }
}
