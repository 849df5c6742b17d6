package dev.bedrockgateway.translate.chat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.bedrockgateway.openai.ChatCompletionChunk;
import dev.bedrockgateway.openai.ChatCompletionChunk.Delta;
import dev.bedrockgateway.openai.ChatCompletionChunk.FunctionDelta;
import dev.bedrockgateway.openai.ChatCompletionChunk.ToolCallDelta;
import dev.bedrockgateway.openai.ThinkingBlock;
import dev.bedrockgateway.translate.FinishReasons;
import dev.bedrockgateway.translate.Usages;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStartEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStartEvent;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlockStart;

/**
 * ConverseStream events -> {@code chat.completion.chunk}s, as they arrive
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html). Stateful: one instance
 * per response, never shared. Tool calls get a dense 0-based {@code index} of their own, since Bedrock's
 * {@code contentBlockIndex} also counts text and reasoning blocks (a text block before a tool would shift it).
 */
public final class ConverseStreamToChunks {

    private static final Delta EMPTY = new Delta(null, null, null, null, null);

    private final String id;
    private final long created;
    private final String model;
    private final boolean includeUsage;
    private final String structuredOutputTool;
    private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
    private final Set<Integer> structuredOutputBlocks = new HashSet<>();
    private int nextToolIndex;
    private boolean roleDue;

    /**
     * @param includeUsage {@code stream_options.include_usage}: one extra last chunk with {@code usage}
     * @param structuredOutputTool the forced tool carrying a {@code response_format} answer (its input becomes
     *        {@code content}), or null
     */
    public ConverseStreamToChunks(String id, long created, String model, boolean includeUsage,
            String structuredOutputTool) {
        this.id = id;
        this.created = created;
        this.model = model;
        this.includeUsage = includeUsage;
        this.structuredOutputTool = structuredOutputTool;
    }

    public List<ChatCompletionChunk> onEvent(ConverseStreamOutput event) {
        if (event instanceof MessageStartEvent) {
            roleDue = true;
            return List.of();
        }
        if (event instanceof ContentBlockStartEvent start) {
            return withRole(onBlockStart(start));
        }
        if (event instanceof ContentBlockDeltaEvent delta) {
            return withRole(onBlockDelta(delta));
        }
        if (event instanceof MessageStopEvent stop) {
            return withRole(List.of(chunk(EMPTY, finishReason(stop.stopReasonAsString()))));
        }
        if (event instanceof ConverseStreamMetadataEvent metadata && includeUsage) {
            return List.of(new ChatCompletionChunk(id, ChatCompletionChunk.OBJECT, created, model, List.of(),
                    Usages.fromTokenUsage(metadata.usage())));
        }
        // contentBlockStop, metadata without include_usage, and event types added after this SDK version.
        return List.of();
    }

    /**
     * The role goes out with the answer's first chunk, as OpenAI sends it: in a chunk of its own with {@code content:
     * ""} before text (or reasoning, or an empty answer), and in the first tool call's chunk, without {@code content},
     * before a tool call, so that the SDKs' stream accumulators end a tool-call answer with {@code content} null, as
     * its non-streaming form has it.
     */
    private List<ChatCompletionChunk> withRole(List<ChatCompletionChunk> chunks) {
        if (!roleDue || chunks.isEmpty()) {
            return chunks;
        }
        roleDue = false;
        Delta first = chunks.get(0).choices().get(0).delta();
        if (first.toolCalls() != null) {
            ChatCompletionChunk withRole = chunk(new Delta("assistant", null, null, first.toolCalls(), null), null);
            return concat(withRole, chunks.subList(1, chunks.size()));
        }
        return concat(chunk(new Delta("assistant", "", null, null, null), null), chunks);
    }

    private static List<ChatCompletionChunk> concat(ChatCompletionChunk first, List<ChatCompletionChunk> rest) {
        List<ChatCompletionChunk> all = new ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private List<ChatCompletionChunk> onBlockStart(ContentBlockStartEvent event) {
        ToolUseBlockStart toolUse = event.start() == null ? null : event.start().toolUse();
        if (toolUse == null) {
            return List.of();
        }
        if (toolUse.name().equals(structuredOutputTool)) {
            structuredOutputBlocks.add(event.contentBlockIndex());
            return List.of();
        }
        int index = nextToolIndex++;
        toolIndexByBlock.put(event.contentBlockIndex(), index);
        ToolCallDelta call = new ToolCallDelta(index, toolUse.toolUseId(), "function",
                new FunctionDelta(toolUse.name(), ""));
        return List.of(chunk(new Delta(null, null, null, List.of(call), null), null));
    }

    private List<ChatCompletionChunk> onBlockDelta(ContentBlockDeltaEvent event) {
        ContentBlockDelta delta = event.delta();
        if (delta == null) {
            return List.of();
        }
        if (delta.text() != null) {
            return delta.text().isEmpty() ? List.of() : List.of(content(delta.text()));
        }
        if (delta.toolUse() != null) {
            String input = delta.toolUse().input();
            if (input == null || input.isEmpty()) {
                return List.of();
            }
            if (structuredOutputBlocks.contains(event.contentBlockIndex())) {
                return List.of(content(input));
            }
            Integer index = toolIndexByBlock.get(event.contentBlockIndex());
            if (index == null) {
                return List.of();
            }
            ToolCallDelta call = new ToolCallDelta(index, null, null, new FunctionDelta(null, input));
            return List.of(chunk(new Delta(null, null, null, List.of(call), null), null));
        }
        if (delta.reasoningContent() != null) {
            return reasoning(delta.reasoningContent());
        }
        return List.of();
    }

    private List<ChatCompletionChunk> reasoning(ReasoningContentBlockDelta reasoning) {
        if (reasoning.text() != null && !reasoning.text().isEmpty()) {
            return List.of(chunk(new Delta(null, null, reasoning.text(), null, null), null));
        }
        ThinkingBlock block = Reasoning.toThinkingBlock(reasoning);
        return block == null ? List.of() : List.of(chunk(new Delta(null, null, null, null, List.of(block)), null));
    }

    private String finishReason(String stopReason) {
        return FinishReasons.forChat(stopReason, nextToolIndex > 0, !structuredOutputBlocks.isEmpty());
    }

    private ChatCompletionChunk content(String text) {
        return chunk(new Delta(null, text, null, null, null), null);
    }

    private ChatCompletionChunk chunk(Delta delta, String finishReason) {
        return new ChatCompletionChunk(id, ChatCompletionChunk.OBJECT, created, model,
                List.of(new ChatCompletionChunk.Choice(0, delta, null, finishReason)), null);
    }
}
