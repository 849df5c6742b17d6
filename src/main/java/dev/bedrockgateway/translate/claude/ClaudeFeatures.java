package dev.bedrockgateway.translate.claude;

import java.util.List;
import java.util.Map;

/**
 * What Bedrock takes of Anthropic's first-party features, per Claude model ({@code gateway.anthropic.*}): models are
 * named by substrings of their Bedrock model id, {@code *} for all.
 *
 * @param betaFlags each {@code anthropic-beta} flag Bedrock takes, with the models that take it
 * @param adaptiveThinking the models that take {@code thinking: {"type": "adaptive"}}
 */
public record ClaudeFeatures(Map<String, List<String>> betaFlags, List<String> adaptiveThinking) {

    /** Its beta flag: where Bedrock takes it, it takes {@code context_management}. */
    public static final String CONTEXT_MANAGEMENT_BETA = "context-management-2025-06-27";
    /** Its beta flag: where Bedrock takes it, it takes {@code output_config.effort}. */
    public static final String EFFORT_BETA = "effort-2025-11-24";
    /** Thinking between tool calls; adaptive thinking has it built in. */
    public static final String INTERLEAVED_THINKING_BETA = "interleaved-thinking-2025-05-14";

    public ClaudeFeatures {
        betaFlags = Map.copyOf(betaFlags);
        adaptiveThinking = List.copyOf(adaptiveThinking);
    }

    public boolean takesBeta(String flag, String modelId) {
        List<String> models = betaFlags.get(flag);
        return models != null && matches(models, modelId);
    }

    public boolean takesAdaptiveThinking(String modelId) {
        return matches(adaptiveThinking, modelId);
    }

    private static boolean matches(List<String> models, String modelId) {
        for (String model : models) {
            if (model.equals("*") || (!model.isBlank() && modelId.contains(model.trim()))) {
                return true;
            }
        }
        return false;
    }
}
