package dev.bedrockgateway.translate.chat;

import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.openai.ChatCompletionRequest;
import dev.bedrockgateway.translate.PromptCaching;
import dev.bedrockgateway.translate.SamplingParams;
import dev.bedrockgateway.translate.UnsupportedParams;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;

/**
 * OpenAI chat completion request -> Bedrock Converse request
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html). Pure and total: every input
 * maps, or is refused with a 400 whose {@code param} names the field. Each concern has its own class: options,
 * reasoning, structured output, the conversation's turns, tools, images and files. {@code prompt_cache_key}, OpenAI's
 * sign that requests share a prefix (Codex sends it on every turn), puts cache points after the system prompt, the
 * tools and the last turn, on models that cache prompts ({@link PromptCaching}), unless the client placed its own.
 */
public final class ChatToConverse {

    private ChatToConverse() {
    }

    /**
     * @param params the request's unsupported and unknown options: refused, or dropped under {@code drop_params}
     */
    public static ChatTranslation toConverse(ChatCompletionRequest request, Deployment deployment,
            UnsupportedParams params) {
        boolean stream = Boolean.TRUE.equals(request.stream());
        boolean includeUsage = SamplingParams.includeUsage(stream, request.streamOptions());
        ChatOptions.checkUnsupported(request, params);
        if (request.messages() == null || request.messages().isEmpty()) {
            throw OpenAiException.invalidRequest("messages", "'messages' is required and must not be empty.");
        }
        Integer thinkingBudget = Reasoning.budget(request, deployment, params);
        StructuredOutput structured = StructuredOutput.of(request.responseFormat(), thinkingBudget != null, params);
        Conversation conversation = Conversation.of(request.messages(), Tools.choiceIsNone(request.toolChoice()));
        boolean cache = request.promptCacheKey() != null && PromptCaching.supported(deployment.modelId())
                && !conversation.hasCachePoints();
        if (cache) {
            conversation.cacheAtEnd();
        }
        ConverseRequest.Builder draft = ConverseRequest.builder()
                .modelId(deployment.modelId())
                .inferenceConfig(ChatOptions.inferenceConfig(request, deployment, thinkingBudget, params));
        if (!conversation.system().isEmpty()) {
            draft.system(conversation.system());
        }
        ToolConfiguration tools = Tools.toolConfig(request, conversation.toolNamesInHistory(), structured, params);
        draft.toolConfig(cache && tools != null && PromptCaching.toolsCached(deployment.modelId())
                ? Tools.cached(tools) : tools);
        draft.additionalModelRequestFields(ChatOptions.additionalModelRequestFields(request, thinkingBudget));
        return ChatTranslation.of(draft, conversation, params.dropped(),
                structured == null ? null : structured.toolName(), stream, includeUsage);
    }
}
