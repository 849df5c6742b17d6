package dev.bedrockgateway.translate.responses;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.openai.ChatCompletionChunk;
import dev.bedrockgateway.openai.ThinkingBlock;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * {@code chat.completion.chunk}s (the shared translation of ConverseStream) -> the Responses API's stream events
 * (components/schemas/ResponseStreamEvent), numbered by {@code sequence_number}: {@code response.created} and
 * {@code response.in_progress}; per output item {@code response.output_item.added}, its part's
 * {@code .added}/{@code .delta}/{@code .done} events and {@code response.output_item.done}; once Bedrock's stream
 * ended, the last item's closing events ({@link #finish}) and {@code response.completed} or
 * {@code response.incomplete} ({@link #finalEvent}); after a failure, {@code error} and {@code response.failed}
 * ({@link #fail}). An item closes when the next one starts or the answer ends.
 *
 * <p>Stateful: one instance per response, fed from one stream, never shared.
 */
public final class ChunksToResponseEvents {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private enum Kind { REASONING, MESSAGE, CALL }

    private final ResponsesInput input;
    private final ResponseEnvelope envelope;
    private final ReasoningSeal seal;
    private final ArrayNode output = NODES.arrayNode();
    private int sequence;
    private String finishReason;
    private TokenUsage usage;

    private Kind open;
    private String itemId;
    private boolean partOpen;
    private final StringBuilder text = new StringBuilder();
    /** Reasoning text since the last signature: one thinking block's. */
    private final StringBuilder thinking = new StringBuilder();
    private final List<ThinkingBlock> blocks = new ArrayList<>();
    private String callId;
    private String callName;

    public ChunksToResponseEvents(ResponsesInput input, ResponseEnvelope envelope, ReasoningSeal seal) {
        this.input = input;
        this.envelope = envelope;
        this.seal = seal;
    }

    /** {@code response.created} and {@code response.in_progress}. */
    public List<ObjectNode> start() {
        ObjectNode response = envelope.build("in_progress", NODES.arrayNode(), null, null, null);
        return List.of(event("response.created").set("response", response),
                event("response.in_progress").set("response", response.deepCopy()));
    }

    /** Bedrock's token counts, from the stream's metadata event. */
    public void used(TokenUsage usage) {
        this.usage = usage;
    }

    public List<ObjectNode> onChunk(ChatCompletionChunk chunk) {
        List<ObjectNode> events = new ArrayList<>(2);
        for (ChatCompletionChunk.Choice choice : chunk.choices()) {
            ChatCompletionChunk.Delta delta = choice.delta();
            if (delta.reasoningContent() != null && !delta.reasoningContent().isEmpty()) {
                reasoningText(delta.reasoningContent(), events);
            }
            if (delta.thinkingBlocks() != null) {
                openIfNot(Kind.REASONING, events);
                for (ThinkingBlock block : delta.thinkingBlocks()) {
                    blocks.add(ThinkingBlock.THINKING.equals(block.type())
                            ? new ThinkingBlock(ThinkingBlock.THINKING, thinking.toString(), block.signature(), null)
                            : block);
                    thinking.setLength(0);
                }
            }
            if (delta.content() != null && !delta.content().isEmpty()) {
                openIfNot(Kind.MESSAGE, events);
                text.append(delta.content());
                events.add(at(event("response.output_text.delta")).put("content_index", 0)
                        .put("delta", delta.content()).set("logprobs", NODES.arrayNode()));
            }
            if (delta.toolCalls() != null) {
                for (ChatCompletionChunk.ToolCallDelta call : delta.toolCalls()) {
                    toolCall(call, events);
                }
            }
            if (choice.finishReason() != null) {
                finishReason = choice.finishReason();
            }
        }
        return events;
    }

    private void reasoningText(String delta, List<ObjectNode> events) {
        openIfNot(Kind.REASONING, events);
        if (!partOpen) {
            partOpen = true;
            events.add(input.summaries()
                    ? at(event("response.reasoning_summary_part.added")).put("summary_index", 0)
                            .set("part", OutputItems.summaryPart(""))
                    : at(event("response.content_part.added")).put("content_index", 0)
                            .set("part", reasoningPart("")));
        }
        text.append(delta);
        thinking.append(delta);
        events.add(input.summaries()
                ? at(event("response.reasoning_summary_text.delta")).put("summary_index", 0).put("delta", delta)
                : at(event("response.reasoning_text.delta")).put("content_index", 0).put("delta", delta));
    }

    private void toolCall(ChatCompletionChunk.ToolCallDelta call, List<ObjectNode> events) {
        if (call.id() != null) {
            close(events);
            open = Kind.CALL;
            itemId = ResponseIds.of("fc");
            callId = call.id();
            callName = call.function() == null ? "" : call.function().name();
            events.add(event("response.output_item.added").put("output_index", output.size())
                    .set("item", OutputItems.functionCall(itemId, "in_progress", callId, callName, "",
                            input.namespaced())));
        }
        String arguments = call.function() == null ? null : call.function().arguments();
        if (open == Kind.CALL && arguments != null && !arguments.isEmpty()) {
            text.append(arguments);
            events.add(at(event("response.function_call_arguments.delta")).put("delta", arguments));
        }
    }

    private void openIfNot(Kind kind, List<ObjectNode> events) {
        if (open == kind) {
            return;
        }
        close(events);
        open = kind;
        if (kind == Kind.REASONING) {
            itemId = ResponseIds.of("rs");
            ObjectNode item = NODES.objectNode().put("id", itemId).put("type", "reasoning");
            item.putArray("summary");
            events.add(event("response.output_item.added").put("output_index", output.size()).set("item",
                    item.put("status", "in_progress")));
        } else {
            itemId = ResponseIds.of("msg");
            events.add(event("response.output_item.added").put("output_index", output.size())
                    .set("item", OutputItems.message(itemId, "in_progress")));
            events.add(at(event("response.content_part.added")).put("content_index", 0)
                    .set("part", OutputItems.outputText("")));
        }
    }

    /** The open item's closing events; it joins the output. */
    private void close(List<ObjectNode> events) {
        if (open == null) {
            return;
        }
        String done = text.toString();
        ObjectNode item;
        switch (open) {
            case REASONING -> {
                if (partOpen) {
                    events.add(input.summaries()
                            ? at(event("response.reasoning_summary_text.done")).put("summary_index", 0)
                                    .put("text", done)
                            : at(event("response.reasoning_text.done")).put("content_index", 0).put("text", done));
                    events.add(input.summaries()
                            ? at(event("response.reasoning_summary_part.done")).put("summary_index", 0)
                                    .set("part", OutputItems.summaryPart(done))
                            : at(event("response.content_part.done")).put("content_index", 0)
                                    .set("part", reasoningPart(done)));
                }
                item = OutputItems.reasoning(itemId, done, List.copyOf(blocks), input.summaries(), seal);
                blocks.clear();
                thinking.setLength(0);
            }
            case MESSAGE -> {
                events.add(at(event("response.output_text.done")).put("content_index", 0).put("text", done)
                        .set("logprobs", NODES.arrayNode()));
                events.add(at(event("response.content_part.done")).put("content_index", 0)
                        .set("part", OutputItems.outputText(done)));
                item = OutputItems.message(itemId,
                        ChatToResponse.incompleteReason(finishReason) == null ? "completed" : "incomplete");
                item.withArray("content").add(OutputItems.outputText(done));
            }
            default -> {
                events.add(at(event("response.function_call_arguments.done")).put("name", callName)
                        .put("arguments", done));
                item = OutputItems.functionCall(itemId, "completed", callId, callName, done, input.namespaced());
            }
        }
        events.add(event("response.output_item.done").put("output_index", output.size()).set("item", item));
        output.add(item);
        open = null;
        partOpen = false;
        text.setLength(0);
    }

    /**
     * The events that end the items once Bedrock's stream ended; then the final response, which
     * {@link #finalEvent} sends (after the gateway stored it).
     */
    public List<ObjectNode> finish() {
        List<ObjectNode> events = new ArrayList<>(4);
        boolean answered = open == Kind.MESSAGE || open == Kind.CALL;
        for (int i = 0; i < output.size() && !answered; i++) {
            answered = !"reasoning".equals(output.get(i).path("type").asText());
        }
        if (!answered) {
            openIfNot(Kind.MESSAGE, events); // an empty answer is still one message, as OpenAI gives it
        }
        close(events);
        return events;
    }

    /** The response as it ended. */
    public ObjectNode response() {
        String incomplete = ChatToResponse.incompleteReason(finishReason);
        return envelope.build(incomplete == null ? "completed" : "incomplete", output, incomplete, null,
                usage == null ? null : OutputItems.usage(usage));
    }

    /** {@code response.completed} or {@code response.incomplete}, carrying {@code response}. */
    public ObjectNode finalEvent(ObjectNode response) {
        return event("completed".equals(response.path("status").asText()) ? "response.completed"
                : "response.incomplete").set("response", response);
    }

    /** A failure after the stream started: an {@code error} event, then {@code response.failed}. */
    public List<ObjectNode> fail(OpenAiException failure) {
        ObjectNode error = event("error").put("code", failure.code() == null ? failure.type() : failure.code())
                .put("message", failure.getMessage()).put("param", failure.param());
        ObjectNode cause = NODES.objectNode()
                .put("code", failure.status() == 429 ? "rate_limit_exceeded" : "server_error")
                .put("message", failure.getMessage());
        ObjectNode failed = event("response.failed").set("response",
                envelope.build("failed", output, null, cause, usage == null ? null : OutputItems.usage(usage)));
        return List.of(error, failed);
    }

    private ObjectNode event(String type) {
        return NODES.objectNode().put("type", type).put("sequence_number", sequence++);
    }

    private ObjectNode at(ObjectNode event) {
        return event.put("item_id", itemId).put("output_index", output.size());
    }

    private static ObjectNode reasoningPart(String text) {
        return NODES.objectNode().put("type", "reasoning_text").put("text", text);
    }
}
