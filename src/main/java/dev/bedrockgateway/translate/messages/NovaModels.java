package dev.bedrockgateway.translate.messages;

/**
 * Amazon Nova, the one model family on this path whose Converse extras AWS documents: {@code topK} in
 * {@code additionalModelRequestFields.inferenceConfig}
 * (https://docs.aws.amazon.com/nova/latest/userguide/using-converse-api.html), a tool result's {@code status}, "only
 * supported by Amazon Nova and Anthropic Claude 3 and 4 models"
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ToolResultBlock.html), and prompt caching in
 * {@code system} and {@code messages}, not {@code tools}
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html). Read from a base id, a
 * cross-region inference profile id ({@code us.amazon.nova-...}) or an ARN that spells the id out; an application
 * inference profile ARN does not say, and counts as not Nova.
 */
final class NovaModels {

    private NovaModels() {
    }

    static boolean isNova(String modelId) {
        return modelId.contains("amazon.nova-");
    }
}
