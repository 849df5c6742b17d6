package dev.bedrockgateway.translate.chat;

import java.util.ArrayList;
import java.util.List;

import dev.bedrockgateway.openai.ChatCompletion;
import dev.bedrockgateway.openai.ThinkingBlock;
import dev.bedrockgateway.openai.ToolCall;
import dev.bedrockgateway.translate.Documents;
import dev.bedrockgateway.translate.FinishReasons;
import dev.bedrockgateway.translate.Usages;
import software.amazon.awssdk.services.bedrockruntime.model.CitationGeneratedContent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;

/**
 * Bedrock Converse response -> OpenAI {@code chat.completion}. Every text block is kept (concatenated in order),
 * every toolUse becomes a {@code tool_calls} entry, and reasoning goes to {@code reasoning_content} (with its
 * signature in {@code thinking_blocks}), never into {@code content}. The forced tool that carries a
 * {@code response_format} answer becomes the {@code content}.
 */
public final class ConverseToChat {

    private ConverseToChat() {
    }

    /**
     * @param id the completion id ({@code chatcmpl-...})
     * @param created epoch seconds
     * @param model the model name the client sent (not the Bedrock id)
     * @param structuredOutputTool the tool forced for {@code response_format}, or null
     */
    public static ChatCompletion toChatCompletion(ConverseResponse response, String id, long created, String model,
            String structuredOutputTool) {
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        List<ThinkingBlock> thinking = new ArrayList<>();
        List<ToolCall> toolCalls = new ArrayList<>();
        boolean structured = false;
        List<ContentBlock> blocks = response.output() == null || response.output().message() == null
                ? List.of() : response.output().message().content();
        for (ContentBlock block : blocks) {
            if (block.text() != null) {
                text.append(block.text());
            } else if (block.toolUse() != null) {
                String arguments = Documents.toJson(block.toolUse().input()).toString();
                if (block.toolUse().name().equals(structuredOutputTool)) {
                    text.append(arguments);
                    structured = true;
                } else {
                    toolCalls.add(new ToolCall(block.toolUse().toolUseId(), "function",
                            new ToolCall.FunctionCall(block.toolUse().name(), arguments)));
                }
            } else if (block.reasoningContent() != null) {
                ThinkingBlock thought = Reasoning.toThinkingBlock(block.reasoningContent());
                if (thought != null) {
                    if (thought.thinking() != null) {
                        reasoning.append(thought.thinking());
                    }
                    thinking.add(thought);
                }
            } else if (block.citationsContent() != null) {
                for (CitationGeneratedContent c : block.citationsContent().content()) {
                    if (c.text() != null) {
                        text.append(c.text());
                    }
                }
            }
        }
        String finishReason = FinishReasons.forChat(response.stopReasonAsString(), !toolCalls.isEmpty(), structured);
        String content = text.length() == 0 && !toolCalls.isEmpty() ? null : text.toString();
        ChatCompletion.Message message = new ChatCompletion.Message("assistant", content, null, toolCalls,
                reasoning.length() == 0 ? null : reasoning.toString(), thinking);
        return new ChatCompletion(id, ChatCompletion.OBJECT, created, model,
                List.of(new ChatCompletion.Choice(0, message, finishReason, null)),
                Usages.fromTokenUsage(response.usage()));
    }
}
