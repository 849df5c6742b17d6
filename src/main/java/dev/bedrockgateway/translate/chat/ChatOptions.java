package dev.bedrockgateway.translate.chat;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.openai.ChatCompletionRequest;
import dev.bedrockgateway.translate.Documents;
import dev.bedrockgateway.translate.Invalid;
import dev.bedrockgateway.translate.SamplingParams;
import dev.bedrockgateway.translate.UnsupportedParams;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;

/**
 * The chat request's options: those Bedrock cannot honour (refused or dropped through {@link UnsupportedParams}), the
 * sampling options -> {@code inferenceConfig}, and what goes to {@code additionalModelRequestFields}.
 */
final class ChatOptions {

    /** Room left for the answer when the client set no max_tokens but asked for reasoning. */
    static final int ANSWER_TOKENS_WITH_THINKING = 4096;

    private ChatOptions() {
    }

    /** Options with a non-neutral value that Bedrock has no twin for. */
    static void checkUnsupported(ChatCompletionRequest request, UnsupportedParams params) {
        SamplingParams.n(params, request.n());
        if (Boolean.TRUE.equals(request.logprobs())) {
            params.unsupported("logprobs", "cannot be honoured: Amazon Bedrock does not return log probabilities");
        }
        Integer topLogprobs = request.topLogprobs();
        if (topLogprobs != null) {
            if (topLogprobs < 0 || topLogprobs > 20) {
                throw Invalid.value("top_logprobs", topLogprobs + " is not between 0 and 20");
            }
            if (topLogprobs > 0) {
                params.unsupported("top_logprobs",
                        "cannot be honoured: Amazon Bedrock does not return log probabilities");
            }
        }
        SamplingParams.penalty(params, "presence_penalty", request.presencePenalty());
        SamplingParams.penalty(params, "frequency_penalty", request.frequencyPenalty());
        SamplingParams.seedAndLogitBias(params, request.seed(), request.logitBias());
        if (Boolean.TRUE.equals(request.store())) {
            params.unsupported("store", "cannot be honoured: the gateway does not store completions");
        }
        if (request.serviceTier() != null && !Set.of("auto", "default").contains(request.serviceTier())) {
            params.unsupported("service_tier", "'" + request.serviceTier() + "' cannot be honoured on Amazon Bedrock");
        }
        if (request.verbosity() != null && !"medium".equals(request.verbosity())) {
            params.unsupported("verbosity", "cannot be honoured on Amazon Bedrock");
        }
        if (request.modalities() != null && !request.modalities().stream().allMatch("text"::equals)) {
            params.unsupported("modalities", "other than [\"text\"] cannot be honoured on Amazon Bedrock Converse");
        }
        present(params, "audio", request.audio(), "audio output cannot be produced through Amazon Bedrock Converse");
        present(params, "prediction", request.prediction(), "predicted outputs cannot be honoured on Amazon Bedrock");
        present(params, "web_search_options", request.webSearchOptions(),
                "web search is not available on Amazon Bedrock");
        present(params, "functions", request.functions(), "is deprecated and not supported; use 'tools'");
        present(params, "function_call", request.functionCall(), "is deprecated and not supported; use 'tool_choice'");
        present(params, "prompt_cache_options", request.promptCacheOptions(), "cannot be honoured on Amazon Bedrock");
        present(params, "moderation", request.moderation(), "cannot be honoured on Amazon Bedrock");
        if (request.promptCacheRetention() != null) {
            params.unsupported("prompt_cache_retention", "cannot be honoured on Amazon Bedrock");
        }
        if (Boolean.FALSE.equals(request.parallelToolCalls())) {
            params.unsupported("parallel_tool_calls",
                    "false cannot be honoured: Amazon Bedrock Converse has no switch for parallel tool calls");
        }
    }

    private static void present(UnsupportedParams params, String name, JsonNode value, String why) {
        if (value != null && !value.isNull()) {
            params.unsupported(name, why);
        }
    }

    /**
     * {@code max_completion_tokens} (which wins over {@code max_tokens}), {@code temperature}, {@code top_p} and
     * {@code stop}, with Anthropic's rules while the model reasons: the budget must leave room for an answer,
     * temperature 1 and top_p of at least 0.95 only.
     *
     * @param thinkingBudget the reasoning budget, or null
     */
    static InferenceConfiguration inferenceConfig(ChatCompletionRequest request, Deployment deployment,
            Integer thinkingBudget, UnsupportedParams params) {
        InferenceConfiguration.Builder config = InferenceConfiguration.builder();
        Integer maxTokens = request.maxCompletionTokens() != null ? request.maxCompletionTokens()
                : request.maxTokens();
        String maxTokensParam = request.maxCompletionTokens() != null ? "max_completion_tokens" : "max_tokens";
        SamplingParams.maxTokens(maxTokensParam, maxTokens);
        if (thinkingBudget != null && maxTokens != null && maxTokens <= thinkingBudget) {
            throw Invalid.value(maxTokensParam, maxTokens + " leaves no room for an answer after the reasoning budget"
                    + " of " + thinkingBudget + " tokens; it must be greater");
        }
        if (maxTokens == null && deployment.maxTokens().isPresent()
                && (thinkingBudget == null || deployment.maxTokens().getAsInt() > thinkingBudget)) {
            maxTokens = deployment.maxTokens().getAsInt();
        }
        if (maxTokens == null && thinkingBudget != null) {
            maxTokens = thinkingBudget + ANSWER_TOKENS_WITH_THINKING;
        }
        if (maxTokens != null) {
            config.maxTokens(maxTokens);
        }
        Float temperature = SamplingParams.temperature(request.temperature());
        if (temperature != null && thinkingBudget != null && temperature != 1.0f) {
            params.unsupported("temperature", "other than 1 cannot be honoured while the model reasons"
                    + " (extended thinking)");
        } else {
            config.temperature(temperature);
        }
        Float topP = SamplingParams.topP(request.topP());
        if (topP != null && thinkingBudget != null && topP < 0.95f) {
            params.unsupported("top_p", "below 0.95 cannot be honoured while the model reasons"
                    + " (extended thinking)");
        } else {
            config.topP(topP);
        }
        List<String> stop = SamplingParams.stopSequences(request.stop());
        if (!stop.isEmpty()) {
            config.stopSequences(stop);
        }
        return config.build();
    }

    /**
     * The {@code thinking} setting and the {@code additional_model_request_fields} pass-through (which wins); null
     * when there is neither.
     */
    static Document additionalModelRequestFields(ChatCompletionRequest request, Integer thinkingBudget) {
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        if (thinkingBudget != null) {
            fields.putObject("thinking").put("type", "enabled").put("budget_tokens", thinkingBudget);
        }
        JsonNode extra = request.additionalModelRequestFields();
        if (extra != null && !extra.isNull()) {
            if (!extra.isObject()) {
                throw Invalid.type("additional_model_request_fields", "an object");
            }
            fields.setAll((ObjectNode) extra);
        }
        return fields.isEmpty() ? null : Documents.fromJson(fields);
    }
}
