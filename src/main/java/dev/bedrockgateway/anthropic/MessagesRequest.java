package dev.bedrockgateway.anthropic;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.bedrockgateway.error.OpenAiException;

/**
 * Anthropic's Messages request (https://docs.anthropic.com/en/api/messages): the body as the client sent it, kept whole
 * for Claude (which takes it as it is), and the fields the gateway itself reads. Checked as Anthropic's API checks
 * them, with its wording ({@code max_tokens: Field required}).
 *
 * @param body the request as sent
 * @param model the model name (a catalog name)
 * @param stream whether the answer is a stream of events
 * @param maxTokens {@code max_tokens}; 0 for a token count, which has none
 * @param betas the flags of the {@code anthropic-beta} header, in order
 */
public record MessagesRequest(ObjectNode body, String model, boolean stream, int maxTokens, List<String> betas) {

    /**
     * @param countTokens a {@code count_tokens} request, which has no {@code max_tokens} and no stream
     * @throws OpenAiException 400 for a request of the wrong shape, naming the field
     */
    public static MessagesRequest of(ObjectNode body, String betaHeader, boolean countTokens) {
        JsonNode model = body.get("model");
        if (model == null || model.isNull()) {
            throw invalid("model", "model: Field required");
        }
        if (!model.isTextual()) {
            throw invalid("model", "model: Input should be a valid string");
        }
        JsonNode messages = body.get("messages");
        if (messages == null || messages.isNull()) {
            throw invalid("messages", "messages: Field required");
        }
        if (!messages.isArray()) {
            throw invalid("messages", "messages: Input should be a valid list");
        }
        int maxTokens = 0;
        boolean stream = false;
        if (!countTokens) {
            JsonNode max = body.get("max_tokens");
            if (max == null || max.isNull()) {
                throw invalid("max_tokens", "max_tokens: Field required");
            }
            if (!max.isIntegralNumber() || !max.canConvertToInt()) {
                throw invalid("max_tokens", "max_tokens: Input should be a valid integer");
            }
            maxTokens = max.intValue();
            if (maxTokens < 1) {
                throw invalid("max_tokens", "max_tokens: Input should be greater than or equal to 1");
            }
            JsonNode streamed = body.get("stream");
            if (streamed != null && !streamed.isNull() && !streamed.isBoolean()) {
                throw invalid("stream", "stream: Input should be a valid boolean");
            }
            stream = streamed != null && streamed.asBoolean(false);
        }
        return new MessagesRequest(body, model.asText(), stream, maxTokens, betas(betaHeader));
    }

    /** {@code anthropic-beta: a,b} (the SDKs join several flags with commas). */
    static List<String> betas(String header) {
        if (header == null || header.isBlank()) {
            return List.of();
        }
        List<String> flags = new ArrayList<>(4);
        for (String flag : header.split(",")) {
            if (!flag.isBlank() && !flags.contains(flag.trim())) {
                flags.add(flag.trim());
            }
        }
        return flags;
    }

    private static OpenAiException invalid(String param, String message) {
        return OpenAiException.invalidRequest(param, message);
    }
}
