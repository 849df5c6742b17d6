package dev.bedrockgateway.translate;

import java.util.ArrayList;
import java.util.List;

import dev.bedrockgateway.openai.ChatCompletion;
import dev.bedrockgateway.openai.ToolCall;
import software.amazon.awssdk.services.bedrockruntime.model.CitationGeneratedContent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;

/**
 * Bedrock Converse response -> OpenAI {@code chat.completion}. Every text block is kept (concatenated in order),
 * every toolUse becomes a {@code tool_calls} entry, and reasoning goes to {@code reasoning_content}, never into
 * {@code content}.
 */
public final class ConverseToChat {

    private ConverseToChat() {
    }

    /**
     * @param id the completion id ({@code chatcmpl-...})
     * @param created epoch seconds
     * @param model the model name the client sent (not the Bedrock id)
     */
    public static ChatCompletion toChatCompletion(ConverseResponse response, String id, long created, String model) {
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        List<ToolCall> toolCalls = new ArrayList<>();
        List<ContentBlock> blocks = response.output() == null || response.output().message() == null
                ? List.of() : response.output().message().content();
        for (ContentBlock block : blocks) {
            if (block.text() != null) {
                text.append(block.text());
            } else if (block.toolUse() != null) {
                toolCalls.add(new ToolCall(block.toolUse().toolUseId(), "function",
                        new ToolCall.FunctionCall(block.toolUse().name(),
                                Documents.toJson(block.toolUse().input()).toString())));
            } else if (block.reasoningContent() != null) {
                appendReasoning(reasoning, block.reasoningContent());
            } else if (block.citationsContent() != null) {
                for (CitationGeneratedContent c : block.citationsContent().content()) {
                    if (c.text() != null) {
                        text.append(c.text());
                    }
                }
            }
        }
        String finishReason = FinishReasons.fromStopReason(response.stopReasonAsString());
        if (!toolCalls.isEmpty() && FinishReasons.STOP.equals(finishReason)) {
            finishReason = FinishReasons.TOOL_CALLS;
        }
        String content = text.length() == 0 && !toolCalls.isEmpty() ? null : text.toString();
        ChatCompletion.Message message = new ChatCompletion.Message("assistant", content, null, toolCalls,
                reasoning.length() == 0 ? null : reasoning.toString());
        return new ChatCompletion(id, ChatCompletion.OBJECT, created, model,
                List.of(new ChatCompletion.Choice(0, message, finishReason, null)),
                Usages.fromTokenUsage(response.usage()));
    }

    private static void appendReasoning(StringBuilder reasoning, ReasoningContentBlock block) {
        if (block.reasoningText() != null && block.reasoningText().text() != null) {
            reasoning.append(block.reasoningText().text());
        }
    }
}
