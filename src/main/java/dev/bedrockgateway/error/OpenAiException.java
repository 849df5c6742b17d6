package dev.bedrockgateway.error;

import java.util.Map;

/**
 * A failure that reaches the client as OpenAI error JSON: {@code {"error":{"message","type","param","code"}}}
 * with the given HTTP status. Thrown by translators (400s), the catalog (404), auth (401) and the Bedrock error
 * table; written by the one exception mapper in the api package.
 */
public class OpenAiException extends RuntimeException {

    private final int status;
    private final String type;
    private final String param;
    private final String code;
    private final Map<String, String> headers;

    public OpenAiException(int status, String type, String code, String param, String message,
            Map<String, String> headers, Throwable cause) {
        super(message, cause, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public OpenAiException(int status, String type, String code, String param, String message) {
        this(status, type, code, param, message, null, null);
    }

    /** 400 for a request the gateway cannot take as it is; {@code param} names the offending field. */
    public static OpenAiException invalidRequest(String param, String message) {
        return new OpenAiException(400, ErrorTypes.INVALID_REQUEST, null, param, message);
    }

    public static OpenAiException invalidRequest(String param, String code, String message) {
        return new OpenAiException(400, ErrorTypes.INVALID_REQUEST, code, param, message);
    }

    /**
     * 404 {@code model_not_found} for a model name the gateway does not serve, as OpenAI words it: the name in
     * backticks and {@code param: null}.
     */
    public static OpenAiException modelNotFound(String model) {
        return new OpenAiException(404, ErrorTypes.INVALID_REQUEST, ErrorTypes.CODE_MODEL_NOT_FOUND, null,
                "The model `" + model + "` does not exist or you do not have access to it.");
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String param() {
        return param;
    }

    public String code() {
        return code;
    }

    /** Extra response headers such as {@code Retry-After}. */
    public Map<String, String> headers() {
        return headers;
    }
}
