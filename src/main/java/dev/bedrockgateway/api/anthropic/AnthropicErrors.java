package dev.bedrockgateway.api.anthropic;

import java.util.Map;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.bedrockgateway.anthropic.AnthropicJson;
import dev.bedrockgateway.api.ErrorReply;
import dev.bedrockgateway.error.OpenAiException;

/**
 * Anthropic's error shape, {@code {"type":"error","error":{"type":...,"message":...}}}, with the status and type
 * Anthropic's API uses for each kind of failure (https://docs.anthropic.com/en/api/errors):
 *
 * <pre>
 * gateway status                          Anthropic status  error.type
 * 400, 405, 406, 409, 414, 415, 422, 431  same              invalid_request_error
 * 401                                     401               authentication_error
 * 403                                     403               permission_error
 * 404                                     404               not_found_error
 * 413                                     413               request_too_large
 * 429                                     429               rate_limit_error (Retry-After kept)
 * 503 (Bedrock unavailable or model not   529               overloaded_error: what Anthropic answers when it
 *   ready, no deployment usable, a store                    cannot serve for now; its SDKs and Claude Code retry it
 *   down, the gateway's memory guard)
 * 504                                     504               timeout_error
 * other 5xx                               same              api_error
 * </pre>
 *
 * The OpenAI-only fields ({@code param}, {@code code}) have no place in Anthropic's shape; the message names the
 * field instead.
 */
public final class AnthropicErrors {

    /** Anthropic's status for "overloaded". */
    static final int OVERLOADED = 529;

    private AnthropicErrors() {
    }

    public static ErrorReply reply(OpenAiException e) {
        int status = status(e);
        return new ErrorReply(status, Map.of(), AnthropicJson.write(body(status, e.getMessage())));
    }

    /** The data of a stream's {@code error} event for {@code e}. */
    static ObjectNode body(OpenAiException e) {
        return body(status(e), e.getMessage());
    }

    private static int status(OpenAiException e) {
        return e.status() == 503 ? OVERLOADED : e.status();
    }

    /** The error document, also the data of a stream's {@code error} event. */
    public static ObjectNode body(int status, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("type", "error");
        body.putObject("error").put("type", type(status)).put("message", message);
        return body;
    }

    static String type(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, OVERLOADED -> "overloaded_error";
            case 504 -> "timeout_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }
}
