package dev.bedrockgateway.translate;

import java.util.ArrayList;
import java.util.List;

import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;

/**
 * LiteLLM's {@code drop_params}: an option Bedrock cannot honour is either refused with a 400 naming it (the
 * default), or dropped and reported so the caller can surface it (a response header).
 */
public final class UnsupportedParams {

    private final boolean drop;
    private final List<String> dropped = new ArrayList<>();

    /**
     * @param drop {@code litellm_settings.drop_params}
     * @param unknown request fields OpenAI does not define (paths such as {@code foo} or {@code messages[0].bar}),
     *        collected by the JSON reader: the first is refused at once unless they are dropped
     */
    public UnsupportedParams(boolean drop, List<String> unknown) {
        this.drop = drop;
        unknown.forEach(this::unknown);
    }

    /** An OpenAI parameter with a non-neutral value that has no Bedrock equivalent. */
    public void unsupported(String param, String why) {
        if (!drop) {
            throw OpenAiException.invalidRequest(param, ErrorTypes.CODE_UNSUPPORTED_PARAMETER,
                    "Unsupported parameter: '" + param + "' " + why
                            + ". Remove it, or set litellm_settings.drop_params: true in the gateway's catalog to"
                            + " drop such parameters.");
        }
        dropped.add(param);
    }

    /** A parameter OpenAI does not define at all. */
    private void unknown(String param) {
        if (!drop) {
            throw OpenAiException.invalidRequest(param, ErrorTypes.CODE_UNKNOWN_PARAMETER,
                    "Unrecognized request argument supplied: " + param);
        }
        dropped.add(param);
    }

    public List<String> dropped() {
        return List.copyOf(dropped);
    }
}
