package dev.bedrockgateway.translate;

import dev.bedrockgateway.openai.Usage;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * Bedrock {@code TokenUsage} -> OpenAI {@code usage}. Bedrock's {@code inputTokens} excludes tokens read from or
 * written to the prompt cache, while OpenAI's {@code prompt_tokens} counts the whole prompt and reports the cached
 * part in {@code prompt_tokens_details.cached_tokens}.
 */
public final class Usages {

    private Usages() {
    }

    public static Usage fromTokenUsage(TokenUsage usage) {
        if (usage == null) {
            return new Usage(0, 0, 0, new Usage.PromptTokensDetails(0));
        }
        int cacheRead = orZero(usage.cacheReadInputTokens());
        int prompt = orZero(usage.inputTokens()) + cacheRead + orZero(usage.cacheWriteInputTokens());
        int completion = orZero(usage.outputTokens());
        return new Usage(prompt, completion, prompt + completion, new Usage.PromptTokensDetails(cacheRead));
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
