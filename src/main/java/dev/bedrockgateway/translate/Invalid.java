package dev.bedrockgateway.translate;

import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;

/** The 400s of a field with a wrong value or type, worded as OpenAI words them. */
public final class Invalid {

    private Invalid() {
    }

    /** {@code Invalid value for 'param': <what>.} */
    public static OpenAiException value(String param, String what) {
        return OpenAiException.invalidRequest(param, ErrorTypes.CODE_INVALID_VALUE,
                "Invalid value for '" + param + "': " + what + ".");
    }

    /** {@code Invalid type for 'param': expected <expected>.} */
    public static OpenAiException type(String param, String expected) {
        return OpenAiException.invalidRequest(param, ErrorTypes.CODE_INVALID_TYPE,
                "Invalid type for '" + param + "': expected " + expected + ".");
    }

    /** {@code Missing required parameter: 'param'.} */
    public static OpenAiException missing(String param) {
        return OpenAiException.invalidRequest(param, "Missing required parameter: '" + param + "'.");
    }
}
