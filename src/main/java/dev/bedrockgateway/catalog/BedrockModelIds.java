package dev.bedrockgateway.catalog;

import java.util.Optional;
import java.util.Set;

/**
 * What can safely be read from a Bedrock model id: a base id ({@code anthropic.claude-3-haiku-20240307-v1:0}), a
 * system-defined cross-region inference profile id (a geography before the base id,
 * {@code us.anthropic.claude-...}), or an ARN, which names no model at all for an application inference profile. A
 * provider or geography is only read when it is one of the known ones below; anything else is left alone
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html).
 */
public final class BedrockModelIds {

    /** Geographies of system-defined cross-region inference profile ids. */
    static final Set<String> PROFILE_GEOGRAPHIES = Set.of("us", "us-gov", "eu", "apac", "jp", "au", "ca", "global");

    /** Model providers on Bedrock. */
    static final Set<String> PROVIDERS = Set.of("anthropic", "meta", "mistral", "amazon", "cohere", "ai21",
            "deepseek", "openai", "qwen", "writer", "stability", "twelvelabs", "luma", "google", "nvidia", "minimax",
            "moonshot");

    private BedrockModelIds() {
    }

    /** The geography of a cross-region profile id ({@code us} for {@code us.amazon.nova-lite-v1:0}), else empty. */
    public static Optional<String> profileGeography(String modelId) {
        int dot = modelId.indexOf('.');
        if (dot > 0 && PROFILE_GEOGRAPHIES.contains(modelId.substring(0, dot))) {
            return Optional.of(modelId.substring(0, dot));
        }
        return Optional.empty();
    }

    /** The base model id of a cross-region profile id ({@code us.amazon.nova-lite-v1:0} -> {@code amazon.nova-lite-v1:0}); any other id unchanged. */
    public static String withoutProfilePrefix(String modelId) {
        return profileGeography(modelId).map(geo -> modelId.substring(geo.length() + 1)).orElse(modelId);
    }

    /** The provider the id plainly names ({@code anthropic} for {@code us.anthropic.claude-...}), else empty. */
    public static Optional<String> provider(String modelId) {
        String base = withoutProfilePrefix(modelId);
        int dot = base.indexOf('.');
        if (dot > 0 && PROVIDERS.contains(base.substring(0, dot))) {
            return Optional.of(base.substring(0, dot));
        }
        return Optional.empty();
    }

    /**
     * Whether the id (or an inference profile ARN that spells it out) is one of Anthropic's Claude models, whose
     * extended thinking the gateway maps; an application inference profile ARN does not say.
     */
    public static boolean isAnthropicClaude(String modelId) {
        return modelId.contains("anthropic.claude");
    }
}
