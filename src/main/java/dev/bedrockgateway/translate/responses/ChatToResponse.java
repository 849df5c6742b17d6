package dev.bedrockgateway.translate.responses;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.bedrockgateway.openai.ChatCompletion;
import dev.bedrockgateway.openai.ThinkingBlock;
import dev.bedrockgateway.openai.ToolCall;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * A chat completion (the shared translation of Bedrock's Converse answer) -> the {@code response} object: reasoning
 * first, then the message, then the function calls, in the order Claude gives them. {@code finish_reason}
 * {@code length} makes the response {@code incomplete} for {@code max_output_tokens}, {@code content_filter} for
 * {@code content_filter}.
 */
public final class ChatToResponse {

    private ChatToResponse() {
    }

    /** @param usage Bedrock's token counts, which tell the prompt cache's reads and writes apart */
    public static ObjectNode toResponse(ChatCompletion completion, TokenUsage usage, ResponsesInput input,
            ResponseEnvelope envelope, ReasoningSeal seal) {
        ChatCompletion.Choice choice = completion.choices().get(0);
        ChatCompletion.Message message = choice.message();
        String incomplete = incompleteReason(choice.finishReason());
        String itemStatus = incomplete == null ? "completed" : "incomplete";
        ArrayNode output = JsonNodeFactory.instance.arrayNode();
        List<ThinkingBlock> thinking = message.thinkingBlocks() == null ? List.of() : message.thinkingBlocks();
        if (message.reasoningContent() != null || !thinking.isEmpty()) {
            output.add(OutputItems.reasoning(ResponseIds.of("rs"),
                    message.reasoningContent() == null ? "" : message.reasoningContent(), thinking,
                    input.summaries(), seal));
        }
        List<ToolCall> calls = message.toolCalls() == null ? List.of() : message.toolCalls();
        if (message.content() != null && !(message.content().isEmpty() && !calls.isEmpty())) {
            ObjectNode item = OutputItems.message(ResponseIds.of("msg"), itemStatus);
            item.withArray("content").add(OutputItems.outputText(message.content()));
            output.add(item);
        }
        for (ToolCall call : calls) {
            output.add(OutputItems.functionCall(ResponseIds.of("fc"), "completed", call.id(),
                    call.function().name(), call.function().arguments(), input.namespaced()));
        }
        return envelope.build(incomplete == null ? "completed" : "incomplete", output, incomplete, null,
                OutputItems.usage(usage));
    }

    /** The {@code incomplete_details.reason} of a chat finish reason; null when the answer is complete. */
    static String incompleteReason(String finishReason) {
        return switch (finishReason == null ? "" : finishReason) {
            case "length" -> "max_output_tokens";
            case "content_filter" -> "content_filter";
            default -> null;
        };
    }
}
