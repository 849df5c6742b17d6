package dev.bedrockgateway.translate.messages;

import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.bedrockgateway.translate.Documents;
import software.amazon.awssdk.services.bedrockruntime.model.CitationGeneratedContent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;

/**
 * Converse response -> Anthropic message object (https://docs.anthropic.com/en/api/messages#response):
 * {@code {id, type: "message", role: "assistant", model, content, stop_reason, stop_sequence, usage}}.
 * <ul>
 * <li>Each block keeps its place: text -> {@code text} (empty text, which Anthropic never sends, is left out);
 * toolUse -> {@code tool_use} ({@code id} = toolUseId, {@code input} the object, or {@code {}} for an input that is
 * no JSON object, which Anthropic's {@code input} cannot hold); reasoningContent ->
 * {@code thinking} with its signature ({@code ""} when Converse gives none, as Anthropic's schema requires a string)
 * or {@code redacted_thinking} with the redacted bytes in base64; citationsContent -> {@code text} of its generated
 * text. Block kinds an answer cannot hold in Anthropic's API (images, documents, guard content ...) do not occur in
 * Converse answers of these models and are left out.</li>
 * <li>{@code stop_reason} and {@code stop_sequence}: {@link StopReasons}; {@code usage}: {@link MessageUsage}.</li>
 * </ul>
 */
public final class ConverseToMessages {

    private ConverseToMessages() {
    }

    /**
     * @param id the message id the gateway chose ({@code msg_...})
     * @param model the model name the client sent (not the Bedrock id)
     */
    public static ObjectNode toMessage(ConverseResponse response, String id, String model) {
        ObjectNode message = JsonNodeFactory.instance.objectNode();
        message.put("id", id).put("type", "message").put("role", "assistant").put("model", model);
        ArrayNode content = message.putArray("content");
        boolean toolCalls = false;
        List<ContentBlock> blocks = response.output() == null || response.output().message() == null
                ? List.of() : response.output().message().content();
        for (ContentBlock block : blocks) {
            if (block.text() != null) {
                if (!block.text().isEmpty()) {
                    content.addObject().put("type", "text").put("text", block.text());
                }
            } else if (block.toolUse() != null) {
                toolCalls = true;
                ObjectNode toolUse = content.addObject().put("type", "tool_use").put("id", block.toolUse().toolUseId())
                        .put("name", block.toolUse().name());
                toolUse.set("input", block.toolUse().input() == null || !block.toolUse().input().isMap()
                        ? JsonNodeFactory.instance.objectNode() : Documents.toJson(block.toolUse().input()));
            } else if (block.reasoningContent() != null) {
                reasoning(block.reasoningContent(), content);
            } else if (block.citationsContent() != null) {
                StringBuilder text = new StringBuilder();
                for (CitationGeneratedContent generated : block.citationsContent().content()) {
                    if (generated.text() != null) {
                        text.append(generated.text());
                    }
                }
                if (!text.isEmpty()) {
                    content.addObject().put("type", "text").put("text", text.toString());
                }
            }
        }
        String stopReason = response.stopReasonAsString();
        message.put("stop_reason", StopReasons.of(stopReason, toolCalls));
        message.put("stop_sequence", StopReasons.stopSequence(stopReason, response.additionalModelResponseFields()));
        message.set("usage", MessageUsage.withCacheCreation(response.usage()));
        return message;
    }

    private static void reasoning(ReasoningContentBlock reasoning, ArrayNode content) {
        if (reasoning.reasoningText() != null) {
            String signature = reasoning.reasoningText().signature();
            content.addObject().put("type", "thinking")
                    .put("thinking", reasoning.reasoningText().text() == null ? "" : reasoning.reasoningText().text())
                    .put("signature", signature == null ? "" : signature);
        } else if (reasoning.redactedContent() != null) {
            content.addObject().put("type", "redacted_thinking")
                    .put("data", Base64.getEncoder().encodeToString(reasoning.redactedContent().asByteArrayUnsafe()));
        }
    }
}
