package dev.bedrockgateway.translate;

import java.util.List;

/**
 * The models that take Converse's {@code cachePoint} blocks, and where
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html): Claude 3.7 Sonnet, 3.5 Haiku and the
 * Claude 4 family in {@code system}, {@code messages} and {@code tools}; Amazon Nova Micro, Lite, Pro and Premier in
 * {@code system} and {@code messages}. Read from a base id, a cross-region inference profile id or an ARN that spells
 * the id out; an application inference profile ARN does not say, and counts as not caching.
 */
public final class PromptCaching {

    private static final List<String> CLAUDE = List.of("anthropic.claude-3-7-sonnet", "anthropic.claude-3-5-haiku",
            "anthropic.claude-sonnet-4", "anthropic.claude-opus-4", "anthropic.claude-haiku-4");
    private static final List<String> NOVA = List.of("amazon.nova-micro", "amazon.nova-lite", "amazon.nova-pro",
            "amazon.nova-premier");

    private PromptCaching() {
    }

    /** Whether the model caches prompts at cache points in {@code system} and {@code messages}. */
    public static boolean supported(String modelId) {
        return CLAUDE.stream().anyMatch(modelId::contains) || NOVA.stream().anyMatch(modelId::contains);
    }

    /** Whether it also takes a cache point at the end of {@code tools}. */
    public static boolean toolsCached(String modelId) {
        return CLAUDE.stream().anyMatch(modelId::contains);
    }
}
