package dev.bedrockgateway.api.openai;

import jakarta.enterprise.context.ApplicationScoped;

import dev.bedrockgateway.config.GatewayConfig;
import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.openai.ChatCompletionRequest;
import dev.bedrockgateway.openai.CompletionRequest;

/** The gateway's own limits on what one request may ask ({@code gateway.limits.*}), each a 400 naming the field. */
@ApplicationScoped
public class RequestChecks {

    private final int maxMessages;
    private final int maxOutputTokens;

    public RequestChecks(GatewayConfig config) {
        this.maxMessages = config.limits().maxMessages();
        this.maxOutputTokens = config.limits().maxOutputTokens().orElse(Integer.MAX_VALUE);
    }

    void chat(ChatCompletionRequest request) {
        messages(request.messages() == null ? 0 : request.messages().size());
        outputTokens("max_completion_tokens", request.maxCompletionTokens());
        outputTokens("max_tokens", request.maxTokens());
    }

    /** Anthropic's Messages API: the same limits on its {@code messages} and {@code max_tokens}. */
    public void messages(int messages, int maxTokens) {
        messages(messages);
        outputTokens("max_tokens", maxTokens);
    }

    private void messages(int count) {
        if (count > maxMessages) {
            throw OpenAiException.invalidRequest("messages", "array_above_max_length", "Invalid 'messages': array too "
                    + "long. Expected an array with maximum length " + maxMessages + ", but got an array with length "
                    + count + " instead.");
        }
    }

    void completion(CompletionRequest request) {
        outputTokens("max_tokens", request.maxTokens());
    }

    private void outputTokens(String param, Integer value) {
        if (value != null && value > maxOutputTokens) {
            throw OpenAiException.invalidRequest(param, ErrorTypes.CODE_INVALID_VALUE, "Invalid '" + param + "': "
                    + value + " is above this gateway's limit of " + maxOutputTokens + " output tokens.");
        }
    }
}
