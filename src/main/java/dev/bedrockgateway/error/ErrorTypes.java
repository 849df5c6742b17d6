package dev.bedrockgateway.error;

/**
 * The {@code error.type} and {@code error.code} values the gateway writes. Types follow what OpenAI's own API and
 * its SDKs use (the SDKs pick their exception class from the HTTP status; these strings are for humans and logs).
 */
public final class ErrorTypes {

    public static final String INVALID_REQUEST = "invalid_request_error";
    public static final String PERMISSION = "permission_error";
    public static final String RATE_LIMIT = "rate_limit_error";
    public static final String SERVER = "server_error";

    public static final String CODE_INVALID_API_KEY = "invalid_api_key";
    public static final String CODE_MODEL_NOT_FOUND = "model_not_found";
    public static final String CODE_UNSUPPORTED_PARAMETER = "unsupported_parameter";
    public static final String CODE_UNKNOWN_PARAMETER = "unknown_parameter";
    public static final String CODE_INVALID_TYPE = "invalid_type";
    public static final String CODE_INVALID_VALUE = "invalid_value";
    public static final String CODE_INVALID_JSON = "invalid_json";
    public static final String CODE_RATE_LIMIT = "rate_limit_exceeded";

    private ErrorTypes() {
    }
}
