package dev.bedrockgateway.translate.messages;

import software.amazon.awssdk.core.document.Document;

/**
 * Converse {@code stopReason} -> Anthropic {@code stop_reason}
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_ResponseSyntax,
 * https://docs.anthropic.com/en/api/handling-stop-reasons). Anthropic's enum is closed, so every Converse value,
 * including ones added after this SDK version, maps into it:
 * <ul>
 * <li>end_turn, tool_use, max_tokens, stop_sequence and model_context_window_exceeded keep their names;</li>
 * <li>guardrail_intervened and content_filtered -> {@code refusal}, Anthropic's word for an answer withheld for
 * safety;</li>
 * <li>malformed_model_output, malformed_tool_use and unknown values -> {@code end_turn}: the generation ended, and
 * Anthropic has no word for why;</li>
 * <li>an answer holding tool calls says {@code tool_use} even when the model said end_turn (some Converse models do),
 * since clients run tools on {@code stop_reason: tool_use}.</li>
 * </ul>
 */
final class StopReasons {

    private StopReasons() {
    }

    static String of(String stopReason, boolean madeToolCalls) {
        String reason = stopReason == null ? "end_turn" : switch (stopReason) {
            case "end_turn", "tool_use", "max_tokens", "stop_sequence", "model_context_window_exceeded" -> stopReason;
            case "guardrail_intervened", "content_filtered" -> "refusal";
            default -> "end_turn";
        };
        return madeToolCalls && "end_turn".equals(reason) ? "tool_use" : reason;
    }

    /**
     * Which stop sequence ended the answer: Converse does not say in its own fields, but a model may return it in
     * {@code additionalModelResponseFields.stop_sequence}; null otherwise, as Anthropic gives null when it is unknown.
     */
    static String stopSequence(String stopReason, Document additionalFields) {
        if (!"stop_sequence".equals(stopReason) || additionalFields == null || !additionalFields.isMap()) {
            return null;
        }
        Document sequence = additionalFields.asMap().get("stop_sequence");
        return sequence != null && sequence.isString() ? sequence.asString() : null;
    }
}
