package dev.bedrockgateway.translate;

/**
 * Bedrock {@code stopReason} -> OpenAI {@code finish_reason}. OpenAI's enum is closed (stop, length, tool_calls,
 * content_filter, function_call) and strict clients reject anything else, so every Bedrock value, including ones
 * added after this SDK version, maps into it. See
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_ResponseSyntax
 */
public final class FinishReasons {

    public static final String STOP = "stop";
    public static final String LENGTH = "length";
    public static final String TOOL_CALLS = "tool_calls";
    public static final String CONTENT_FILTER = "content_filter";

    private FinishReasons() {
    }

    public static String fromStopReason(String stopReason) {
        if (stopReason == null) {
            return STOP;
        }
        return switch (stopReason) {
            case "tool_use" -> TOOL_CALLS;
            case "max_tokens", "model_context_window_exceeded" -> LENGTH;
            case "guardrail_intervened", "content_filtered" -> CONTENT_FILTER;
            // end_turn, stop_sequence, and values OpenAI has no word for (malformed_model_output,
            // malformed_tool_use, future additions): the generation ended, which OpenAI calls "stop".
            default -> STOP;
        };
    }

    /**
     * A chat answer's finish reason: {@code tool_calls} whenever it holds tool calls (a model may say
     * {@code end_turn} after calling tools), and {@code stop} when its only tool call was the forced tool that carries
     * a {@code response_format} answer, which the client sees as content.
     */
    public static String forChat(String stopReason, boolean madeToolCalls, boolean structuredAnswer) {
        String reason = fromStopReason(stopReason);
        if (madeToolCalls && STOP.equals(reason)) {
            return TOOL_CALLS;
        }
        if (!madeToolCalls && structuredAnswer && TOOL_CALLS.equals(reason)) {
            return STOP;
        }
        return reason;
    }

    /** A legacy completion's finish reason: its enum has no {@code tool_calls} (stop, length, content_filter). */
    public static String forCompletion(String stopReason) {
        String reason = fromStopReason(stopReason);
        return TOOL_CALLS.equals(reason) ? STOP : reason;
    }
}
