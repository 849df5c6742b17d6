package dev.bedrockgateway.translate.messages;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStartEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlockStart;

/**
 * ConverseStream events -> Anthropic Messages stream events, as they arrive
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html,
 * https://docs.anthropic.com/en/docs/build-with-claude/streaming). One instance per response, never shared. The
 * sequence is Anthropic's: {@code message_start}, then per block {@code content_block_start}, its deltas and
 * {@code content_block_stop}, then {@code message_delta} and {@code message_stop}.
 * <ul>
 * <li>{@code message_start} carries the message with empty content and usage 0 throughout: Converse reports usage
 * only at the end, in its metadata event. {@code message_delta.usage} then carries the final figures, output and
 * input alike ({@code input_tokens}, {@code cache_creation_input_tokens}, {@code cache_read_input_tokens}), which
 * Anthropic's SDKs take over from it into the final message.</li>
 * <li>Blocks get Anthropic's dense 0-based {@code index}, counted here, not Bedrock's {@code contentBlockIndex}: a
 * block may be left out (empty text) and a text block has no contentBlockStart in Converse, so a block opens on its
 * first delta (a tool call on its contentBlockStart) and closes on its contentBlockStop, or when another block
 * begins, or at messageStop. Converse streams one block after another, never two at once.</li>
 * <li>Deltas: text -> {@code text_delta}; tool input -> {@code input_json_delta} ({@code partial_json}); reasoning
 * text -> a {@code thinking} block's {@code thinking_delta}, its signature -> {@code signature_delta}; redacted
 * reasoning -> a {@code redacted_thinking} block, sent whole when it ends, since Anthropic gives its data in
 * {@code content_block_start} and has no delta for it.</li>
 * <li>Converse sends messageStop (the stop reason) before metadata (the usage): {@code message_delta} and
 * {@code message_stop} go out once both are known. {@link #onEnd()} sends them, with usage 0, when the stream ends
 * after messageStop without metadata; a stream that ends before messageStop was cut, and gets nothing from
 * {@link #onEnd()}: the caller reports it as an error rather than end it cleanly.</li>
 * </ul>
 */
public final class ConverseStreamToMessageEvents {

    private enum Kind { TEXT, TOOL_USE, THINKING, REDACTED_THINKING }

    /** The Anthropic block being streamed, and the Converse block it comes from. */
    private static final class Block {
        final Kind kind;
        final Integer bedrockIndex;
        final int index;
        final ByteArrayOutputStream redacted = new ByteArrayOutputStream();

        Block(Kind kind, Integer bedrockIndex, int index) {
            this.kind = kind;
            this.bedrockIndex = bedrockIndex;
            this.index = index;
        }
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String id;
    private final String model;
    private Block current;
    private int nextIndex;
    private boolean started;
    private boolean madeToolCalls;
    private boolean stopped;
    private String stopReason;
    private String stopSequence;
    private boolean usageKnown;
    private TokenUsage usage;
    private boolean finished;

    /**
     * @param id the message id the gateway chose ({@code msg_...})
     * @param model the model name the client sent (not the Bedrock id)
     */
    public ConverseStreamToMessageEvents(String id, String model) {
        this.id = id;
        this.model = model;
    }

    public List<MessageEvent> onEvent(ConverseStreamOutput event) {
        List<MessageEvent> events = new ArrayList<>(3);
        if (finished) {
            return events;
        }
        if (!started) {
            started = true;
            events.add(messageStart());
        }
        if (event instanceof ContentBlockStartEvent start) {
            ToolUseBlockStart toolUse = start.start() == null ? null : start.start().toolUse();
            if (toolUse != null) {
                close(events);
                madeToolCalls = true;
                ObjectNode block = NODES.objectNode().put("type", "tool_use").put("id", toolUse.toolUseId())
                        .put("name", toolUse.name());
                block.putObject("input");
                open(Kind.TOOL_USE, start.contentBlockIndex(), block, events);
            }
        } else if (event instanceof ContentBlockDeltaEvent delta) {
            onDelta(delta, events);
        } else if (event instanceof ContentBlockStopEvent stop) {
            if (current != null && Objects.equals(current.bedrockIndex, stop.contentBlockIndex())) {
                close(events);
            }
        } else if (event instanceof MessageStopEvent stop) {
            close(events);
            stopped = true;
            stopReason = stop.stopReasonAsString();
            stopSequence = StopReasons.stopSequence(stopReason, stop.additionalModelResponseFields());
            finishIfReady(events);
        } else if (event instanceof ConverseStreamMetadataEvent metadata) {
            usageKnown = true;
            usage = metadata.usage();
            finishIfReady(events);
        }
        // messageStart (answered by message_start above) and event types added after this SDK version.
        return events;
    }

    /** Whether {@code message_stop} was sent: a stream that ends without it was cut short. */
    public boolean finished() {
        return finished;
    }

    /** At the end of the Converse stream: {@code message_delta} and {@code message_stop} if they are still due. */
    public List<MessageEvent> onEnd() {
        List<MessageEvent> events = new ArrayList<>(2);
        if (!finished && stopped) {
            usageKnown = true;
            finishIfReady(events);
        }
        return events;
    }

    private void onDelta(ContentBlockDeltaEvent event, List<MessageEvent> events) {
        ContentBlockDelta delta = event.delta();
        Integer bedrockIndex = event.contentBlockIndex();
        if (delta == null) {
            return;
        }
        if (delta.text() != null) {
            if (!delta.text().isEmpty()) {
                ensure(Kind.TEXT, bedrockIndex, events);
                events.add(blockDelta(NODES.objectNode().put("type", "text_delta").put("text", delta.text())));
            }
        } else if (delta.toolUse() != null) {
            String input = delta.toolUse().input();
            // A tool call opens on its contentBlockStart, which carries its id and name; Converse always sends it.
            if (input != null && !input.isEmpty() && isCurrent(Kind.TOOL_USE, bedrockIndex)) {
                events.add(blockDelta(NODES.objectNode().put("type", "input_json_delta").put("partial_json", input)));
            }
        } else if (delta.reasoningContent() != null) {
            onReasoning(delta.reasoningContent(), bedrockIndex, events);
        }
        // Citation, image and tool-result deltas do not occur for these models' answers.
    }

    private void onReasoning(ReasoningContentBlockDelta reasoning, Integer bedrockIndex, List<MessageEvent> events) {
        if (reasoning.redactedContent() != null) {
            if (!isCurrent(Kind.REDACTED_THINKING, bedrockIndex)) {
                close(events);
                current = new Block(Kind.REDACTED_THINKING, bedrockIndex, nextIndex++);
            }
            current.redacted.writeBytes(reasoning.redactedContent().asByteArrayUnsafe());
            return;
        }
        if (reasoning.text() != null && !reasoning.text().isEmpty()) {
            ensure(Kind.THINKING, bedrockIndex, events);
            events.add(blockDelta(NODES.objectNode().put("type", "thinking_delta").put("thinking",
                    reasoning.text())));
        }
        if (reasoning.signature() != null) {
            ensure(Kind.THINKING, bedrockIndex, events);
            events.add(blockDelta(NODES.objectNode().put("type", "signature_delta").put("signature",
                    reasoning.signature())));
        }
    }

    private boolean isCurrent(Kind kind, Integer bedrockIndex) {
        return current != null && current.kind == kind && Objects.equals(current.bedrockIndex, bedrockIndex);
    }

    /** Opens a text or thinking block for this Converse block unless it is the one being streamed. */
    private void ensure(Kind kind, Integer bedrockIndex, List<MessageEvent> events) {
        if (isCurrent(kind, bedrockIndex)) {
            return;
        }
        close(events);
        ObjectNode block = kind == Kind.TEXT ? NODES.objectNode().put("type", "text").put("text", "")
                : NODES.objectNode().put("type", "thinking").put("thinking", "").put("signature", "");
        open(kind, bedrockIndex, block, events);
    }

    private void open(Kind kind, Integer bedrockIndex, ObjectNode block, List<MessageEvent> events) {
        current = new Block(kind, bedrockIndex, nextIndex++);
        events.add(blockStart(current.index, block));
    }

    private void close(List<MessageEvent> events) {
        if (current == null) {
            return;
        }
        if (current.kind == Kind.REDACTED_THINKING) {
            events.add(blockStart(current.index, NODES.objectNode().put("type", "redacted_thinking").put("data",
                    Base64.getEncoder().encodeToString(current.redacted.toByteArray()))));
        }
        events.add(event("content_block_stop", NODES.objectNode().put("index", current.index)));
        current = null;
    }

    private void finishIfReady(List<MessageEvent> events) {
        if (!stopped || !usageKnown) {
            return;
        }
        finished = true;
        ObjectNode data = NODES.objectNode();
        data.putObject("delta").put("stop_reason", StopReasons.of(stopReason, madeToolCalls))
                .put("stop_sequence", stopSequence);
        data.set("usage", MessageUsage.of(usage));
        events.add(event("message_delta", data));
        events.add(event("message_stop", NODES.objectNode()));
    }

    private MessageEvent messageStart() {
        ObjectNode message = NODES.objectNode().put("id", id).put("type", "message").put("role", "assistant")
                .put("model", model);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.set("usage", MessageUsage.of(null));
        ObjectNode data = NODES.objectNode();
        data.set("message", message);
        return event("message_start", data);
    }

    private MessageEvent blockStart(int index, ObjectNode block) {
        ObjectNode data = NODES.objectNode().put("index", index);
        data.set("content_block", block);
        return event("content_block_start", data);
    }

    private MessageEvent blockDelta(ObjectNode delta) {
        ObjectNode data = NODES.objectNode().put("index", current.index);
        data.set("delta", delta);
        return event("content_block_delta", data);
    }

    /** An event whose data starts with its {@code type}, as Anthropic writes them. */
    private static MessageEvent event(String type, ObjectNode fields) {
        ObjectNode data = NODES.objectNode().put("type", type);
        data.setAll(fields);
        return new MessageEvent(type, data);
    }
}
