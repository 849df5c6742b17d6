package dev.bedrockgateway.translate.responses;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;

import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.openai.ChatCompletionRequest;
import dev.bedrockgateway.openai.ResponsesRequest;
import dev.bedrockgateway.translate.UnsupportedParams;
import dev.bedrockgateway.translate.chat.ChatToConverse;
import dev.bedrockgateway.translate.chat.ChatTranslation;

/**
 * A Responses request read once, whatever deployment serves it: the chat request it amounts to (the shared chat
 * translator makes the Converse request of each deployment from it), and what the answer and the store need.
 *
 * @param request the body as the client sent it
 * @param chat the same request as a chat completion request, the conversation whole (earlier context included)
 * @param inputItems this request's input items in normal form, each with an id
 * @param context the conversation a continuation starts from, without its output yet: the earlier context and this
 *        input (never {@code instructions})
 * @param summaries whether reasoning is shown as a summary ({@code reasoning.summary}) rather than as reasoning text
 * @param namespaced the Bedrock names of tools in a {@code namespace} tool: their namespace and own name
 * @param hostedTools the {@code tools} entries that are built-in OpenAI tools: their param and type
 */
public record ResponsesInput(ResponsesRequest request, ChatCompletionRequest chat, ArrayNode inputItems,
        ArrayNode context, boolean summaries, Map<String, String[]> namespaced, Map<String, String> hostedTools,
        ParamNames names) {

    /**
     * The Converse request for one deployment, through the chat translator; its refusals name the Responses fields.
     */
    public ChatTranslation translate(Deployment deployment, UnsupportedParams params) {
        try {
            ResponsesChecks.check(this, params);
            return ChatToConverse.toConverse(chat, deployment, params);
        } catch (OpenAiException e) {
            throw names.rename(e);
        }
    }

    /** Runs a check of the chat request (the gateway's limits); its refusals name the Responses fields. */
    public void check(java.util.function.Consumer<ChatCompletionRequest> check) {
        try {
            check.accept(chat);
        } catch (OpenAiException e) {
            throw names.rename(e);
        }
    }

    /** Dropped options (under {@code drop_params}) by their Responses names. */
    public List<String> dropped(List<String> chatNames) {
        return names.renameAll(chatNames);
    }

    public boolean stream() {
        return Boolean.TRUE.equals(request.stream());
    }
}
