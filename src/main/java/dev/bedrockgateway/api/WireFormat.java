package dev.bedrockgateway.api;

import java.util.HashMap;
import java.util.Map;

import dev.bedrockgateway.api.anthropic.AnthropicErrors;
import dev.bedrockgateway.api.bedrock.BedrockApiErrors;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.openai.OpenAiJson;

/**
 * The API a request speaks, decided by its path, and so the shape of every refusal it gets: OpenAI's
 * {@code {"error":{...}}}, Anthropic's {@code {"type":"error","error":{...}}} under {@code /v1/messages}, Bedrock's
 * own ({@code x-amzn-ErrorType} and {@code {"message":...}}) under {@code /bedrock/}. Failures travel inside the
 * gateway as {@link OpenAiException}s (status, type, code, message); only their last step, the writing, differs.
 */
public enum WireFormat {

    OPENAI, ANTHROPIC, BEDROCK;

    /** The prefix of Bedrock's own routes behind the gateway. */
    public static final String BEDROCK_PREFIX = "/bedrock/";
    private static final String MESSAGES = "/v1/messages";

    public static WireFormat of(String path) {
        if (path == null) {
            return OPENAI;
        }
        if (path.startsWith(MESSAGES) && (path.length() == MESSAGES.length() || path.charAt(MESSAGES.length()) == '/')) {
            return ANTHROPIC;
        }
        return path.startsWith(BEDROCK_PREFIX) || path.equals("/bedrock") ? BEDROCK : OPENAI;
    }

    /** The refusal of {@code e} in this format, its own headers ({@code Retry-After}) included. */
    public ErrorReply reply(OpenAiException e) {
        ErrorReply reply = switch (this) {
            case OPENAI -> new ErrorReply(e.status(), Map.of(), OpenAiJson.errorBody(e));
            case ANTHROPIC -> AnthropicErrors.reply(e);
            case BEDROCK -> BedrockApiErrors.reply(e);
        };
        if (e.headers().isEmpty()) {
            return reply;
        }
        Map<String, String> headers = new HashMap<>(e.headers());
        headers.putAll(reply.headers());
        return new ErrorReply(reply.status(), headers, reply.body());
    }

    public ErrorReply reply(int status, String type, String param, String code, String message) {
        return reply(new OpenAiException(status, type, code, param, message));
    }
}
