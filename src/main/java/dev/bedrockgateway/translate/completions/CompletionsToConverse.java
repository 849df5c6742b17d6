package dev.bedrockgateway.translate.completions;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.openai.CompletionRequest;
import dev.bedrockgateway.translate.ConverseStreams;
import dev.bedrockgateway.translate.Invalid;
import dev.bedrockgateway.translate.SamplingParams;
import dev.bedrockgateway.translate.UnsupportedParams;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.Message;

/**
 * Legacy completion request -> one Converse request per prompt. Going through Converse, rather than each model's
 * own InvokeModel body, lets every Bedrock text model serve {@code openai.Completion.create(...)}: the prompt is
 * the user turn, and the model's answer is the completion text.
 */
public final class CompletionsToConverse {

    /** OpenAI's documented default for the legacy endpoint. */
    public static final int DEFAULT_MAX_TOKENS = 16;
    /** OpenAI's limit on prompts per request. */
    private static final int MAX_PROMPTS = 2048;

    /**
     * @param prompts the prompts, in order (one choice each)
     * @param requests one Converse request per prompt
     * @param echo whether each choice's text starts with its prompt
     */
    public record Translation(List<String> prompts, List<ConverseRequest> requests, List<String> droppedParams,
            boolean stream, boolean includeUsage, boolean echo) {

        /** The single prompt's request for ConverseStream (streams take one prompt). */
        public ConverseStreamRequest streamRequest() {
            return ConverseStreams.of(requests.get(0));
        }
    }

    private CompletionsToConverse() {
    }

    /**
     * @param params the request's unsupported and unknown options: refused, or dropped under {@code drop_params}
     */
    public static Translation toConverseRequests(CompletionRequest request, Deployment deployment,
            UnsupportedParams params) {
        List<String> prompts = prompts(request.prompt());
        boolean stream = Boolean.TRUE.equals(request.stream());
        boolean includeUsage = SamplingParams.includeUsage(stream, request.streamOptions());
        if (stream && prompts.size() > 1) {
            throw Invalid.value("prompt", "streaming is supported for a single prompt only");
        }
        if (request.suffix() != null && !request.suffix().isEmpty()) {
            params.unsupported("suffix", "cannot be honoured: Amazon Bedrock Converse has no fill-in-the-middle mode");
        }
        SamplingParams.n(params, request.n());
        if (request.bestOf() != null) {
            if (request.bestOf() < 1 || request.bestOf() > 20) {
                throw Invalid.value("best_of", request.bestOf() + " is not between 1 and 20");
            }
            if (request.bestOf() > 1) {
                params.unsupported("best_of", "cannot be honoured: Amazon Bedrock generates one completion");
            }
        }
        if (request.logprobs() != null) {
            if (request.logprobs() < 0 || request.logprobs() > 5) {
                throw Invalid.value("logprobs", request.logprobs() + " is not between 0 and 5");
            }
            params.unsupported("logprobs", "cannot be honoured: Amazon Bedrock does not return log probabilities");
        }
        SamplingParams.penalty(params, "presence_penalty", request.presencePenalty());
        SamplingParams.penalty(params, "frequency_penalty", request.frequencyPenalty());
        SamplingParams.seedAndLogitBias(params, request.seed(), request.logitBias());

        InferenceConfiguration.Builder config = InferenceConfiguration.builder()
                .maxTokens(request.maxTokens() == null ? DEFAULT_MAX_TOKENS
                        : SamplingParams.maxTokens("max_tokens", request.maxTokens()))
                .temperature(SamplingParams.temperature(request.temperature()))
                .topP(SamplingParams.topP(request.topP()));
        List<String> stop = SamplingParams.stopSequences(request.stop());
        if (!stop.isEmpty()) {
            config.stopSequences(stop);
        }
        InferenceConfiguration inference = config.build();
        List<ConverseRequest> requests = new ArrayList<>(prompts.size());
        for (String prompt : prompts) {
            requests.add(ConverseRequest.builder().modelId(deployment.modelId())
                    .messages(Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText(prompt))
                            .build())
                    .inferenceConfig(inference).build());
        }
        return new Translation(prompts, requests, params.dropped(), stream, includeUsage,
                Boolean.TRUE.equals(request.echo()));
    }

    /** A string or an array of strings; token arrays cannot be served, since Bedrock models take text. */
    static List<String> prompts(JsonNode prompt) {
        if (prompt == null || prompt.isNull()) {
            throw Invalid.missing("prompt");
        }
        if (prompt.isTextual()) {
            return List.of(nonBlank(prompt.textValue(), "prompt"));
        }
        if (!prompt.isArray()) {
            throw Invalid.type("prompt", "a string or an array of strings");
        }
        if (prompt.isEmpty()) {
            throw Invalid.value("prompt", "the array must not be empty");
        }
        if (prompt.size() > MAX_PROMPTS) {
            throw Invalid.value("prompt", "at most " + MAX_PROMPTS + " prompts are allowed");
        }
        List<String> prompts = new ArrayList<>(prompt.size());
        for (int i = 0; i < prompt.size(); i++) {
            JsonNode item = prompt.get(i);
            String at = "prompt[" + i + "]";
            if (item.isIntegralNumber() || item.isArray()) {
                throw OpenAiException.invalidRequest(i == 0 && item.isIntegralNumber() ? "prompt" : at,
                        ErrorTypes.CODE_UNSUPPORTED_PARAMETER,
                        "Token prompts cannot be served: Amazon Bedrock models take text prompts.");
            }
            if (!item.isTextual()) {
                throw Invalid.type(at, "a string");
            }
            prompts.add(nonBlank(item.textValue(), at));
        }
        return prompts;
    }

    private static String nonBlank(String text, String param) {
        if (text.isBlank()) {
            throw Invalid.value(param, "the prompt must not be empty (Amazon Bedrock rejects empty text)");
        }
        return text;
    }
}
