package dev.bedrockgateway.api.anthropic;

import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Produces;

import dev.bedrockgateway.config.GatewayConfig;
import dev.bedrockgateway.translate.claude.ClaudeFeatures;

/** The feature table of Claude on Bedrock, from {@code gateway.anthropic.*}. */
public class AnthropicFeatures {

    @Produces
    @Singleton
    ClaudeFeatures features(GatewayConfig config) {
        return new ClaudeFeatures(config.anthropic().betaFlags(), config.anthropic().adaptiveThinking());
    }
}
