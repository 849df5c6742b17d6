package dev.bedrockgateway.dev;

import java.util.List;
import java.util.Map;

/**
 * What each Claude model on Bedrock takes beyond the Messages API body every Claude model takes, keyed by substrings
 * of the model id, so that base ids, cross-region inference profile ids ({@code us.}, {@code eu.}, {@code global.}
 * ...) and ARNs that contain them match alike. A model id matches a family when it contains one of its substrings;
 * {@code claude-sonnet-4} covers Sonnet 4, 4.5 and 4.6.
 *
 * <p>Sources: the model parameter pages of
 * https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages-request-response.html
 * and Anthropic's per-model feature documentation. A beta flag a model does not take is refused by Bedrock with
 * "invalid beta flag"; a field it does not take with "&lt;field&gt;: Extra inputs are not permitted".
 */
final class ClaudeModels {

    /** Extended thinking ({@code thinking} with {@code enabled} or {@code disabled}): Claude 3.7 and every Claude 4. */
    private static final List<String> EXTENDED_THINKING =
            List.of("claude-3-7", "claude-sonnet-4", "claude-opus-4", "claude-haiku-4");
    /** {@code thinking: {"type": "adaptive"}}: the model decides how much to think. */
    private static final List<String> ADAPTIVE_THINKING = List.of("claude-opus-4-6", "claude-sonnet-4-6");
    private static final List<String> CONTEXT_MANAGEMENT = List.of("claude-sonnet-4-5", "claude-haiku-4-5",
            "claude-opus-4-5", "claude-opus-4-6", "claude-sonnet-4-6");
    private static final List<String> EFFORT = List.of("claude-opus-4-5", "claude-opus-4-6", "claude-sonnet-4-6");

    /** {@code anthropic_beta} flag -> the models that take it; a flag not listed here no model takes. */
    static final Map<String, List<String>> BETA_FLAGS = Map.of(
            "interleaved-thinking-2025-05-14", EXTENDED_THINKING,
            "fine-grained-tool-streaming-2025-05-14", EXTENDED_THINKING,
            "token-efficient-tools-2025-02-19", EXTENDED_THINKING,
            "computer-use-2025-01-24", EXTENDED_THINKING,
            "context-1m-2025-08-07", List.of("claude-sonnet-4"),
            "context-management-2025-06-27", CONTEXT_MANAGEMENT,
            "effort-2025-11-24", EFFORT,
            "output-128k-2025-02-19", List.of("claude-3-7"));

    /**
     * Top-level fields that only exist behind a beta flag: field -> flag. They are taken where the flag is, and only
     * when the request names the flag in {@code anthropic_beta}.
     */
    static final Map<String, String> BETA_FIELDS = Map.of(
            "context_management", "context-management-2025-06-27",
            "output_config", "effort-2025-11-24");

    /** Lets interleaved thinking's budget exceed {@code max_tokens}: it counts across the whole assistant turn. */
    static final String INTERLEAVED_THINKING = "interleaved-thinking-2025-05-14";

    private ClaudeModels() {
    }

    /** Whether the simulator answers {@code modelId} with Anthropic's Messages API (InvokeModel and its stream). */
    static boolean isClaude(String modelId) {
        return modelId.contains("anthropic.claude");
    }

    static boolean takesBeta(String modelId, String flag) {
        List<String> models = BETA_FLAGS.get(flag);
        return models != null && matches(modelId, models);
    }

    static boolean thinks(String modelId) {
        return matches(modelId, EXTENDED_THINKING);
    }

    static boolean thinksAdaptively(String modelId) {
        return matches(modelId, ADAPTIVE_THINKING);
    }

    private static boolean matches(String modelId, List<String> families) {
        for (String family : families) {
            if (modelId.contains(family)) {
                return true;
            }
        }
        return false;
    }
}
