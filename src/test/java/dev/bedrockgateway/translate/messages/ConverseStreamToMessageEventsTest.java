package dev.bedrockgateway.translate.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;

/** The stream translator's state across events; full sequences are golden cases (MessagesGoldenTest). */
class ConverseStreamToMessageEventsTest {

    static ConverseStreamOutput event(String type, String payload) {
        return ConverseWire.event(type, payload);
    }

    static List<String> types(List<MessageEvent> events) {
        return events.stream().map(MessageEvent::type).toList();
    }

    static List<MessageEvent> feed(ConverseStreamToMessageEvents translator, ConverseStreamOutput... events) {
        List<MessageEvent> out = new ArrayList<>();
        for (ConverseStreamOutput event : events) {
            out.addAll(translator.onEvent(event));
        }
        return out;
    }

    @Test
    void messageDeltaWaitsForTheUsageThatFollowsMessageStop() {
        ConverseStreamToMessageEvents translator = new ConverseStreamToMessageEvents("msg_1", "nova");
        List<MessageEvent> events = feed(translator, event("messageStart", "{\"role\":\"assistant\"}"),
                event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"}}"));
        assertEquals(List.of("message_start", "content_block_start", "content_block_delta"), types(events));
        assertEquals(List.of("content_block_stop"),
                types(translator.onEvent(event("messageStop", "{\"stopReason\":\"end_turn\"}"))));
        List<MessageEvent> end = translator.onEvent(event("metadata",
                "{\"usage\":{\"inputTokens\":7,\"outputTokens\":3,\"totalTokens\":10}}"));
        assertEquals(List.of("message_delta", "message_stop"), types(end));
        assertEquals(7, end.get(0).data().path("usage").path("input_tokens").intValue());
        assertEquals(3, end.get(0).data().path("usage").path("output_tokens").intValue());
        assertEquals(List.of(), translator.onEnd());
    }

    @Test
    void onEndFlushesTheEndWhenNoMetadataCame() {
        ConverseStreamToMessageEvents translator = new ConverseStreamToMessageEvents("msg_1", "nova");
        feed(translator, event("messageStart", "{\"role\":\"assistant\"}"),
                event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"}}"),
                event("messageStop", "{\"stopReason\":\"max_tokens\"}"));
        List<MessageEvent> end = translator.onEnd();
        assertEquals(List.of("message_delta", "message_stop"), types(end));
        assertEquals("max_tokens", end.get(0).data().path("delta").path("stop_reason").asText());
        assertEquals(0, end.get(0).data().path("usage").path("output_tokens").intValue());
        assertEquals(List.of(), translator.onEnd(), "the end goes out once");
    }

    @Test
    void aStreamCutBeforeMessageStopGetsNoCleanEnd() {
        ConverseStreamToMessageEvents translator = new ConverseStreamToMessageEvents("msg_1", "nova");
        feed(translator, event("messageStart", "{\"role\":\"assistant\"}"),
                event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"}}"));
        assertEquals(List.of(), translator.onEnd());
    }

    @Test
    void usageBeforeTheStopReasonIsKeptUntilTheStopReason() {
        ConverseStreamToMessageEvents translator = new ConverseStreamToMessageEvents("msg_1", "nova");
        List<MessageEvent> events = feed(translator,
                event("metadata", "{\"usage\":{\"inputTokens\":2,\"outputTokens\":1,\"totalTokens\":3}}"));
        assertEquals(List.of("message_start"), types(events));
        List<MessageEvent> end = translator.onEvent(event("messageStop", "{\"stopReason\":\"end_turn\"}"));
        assertEquals(List.of("message_delta", "message_stop"), types(end));
        assertEquals(2, end.get(0).data().path("usage").path("input_tokens").intValue());
        assertEquals(List.of(), translator.onEvent(event("contentBlockDelta",
                "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"late\"}}")), "nothing follows message_stop");
    }

    @Test
    void aToolCallAfterTextWithoutContentBlockStopClosesTheTextFirst() {
        ConverseStreamToMessageEvents translator = new ConverseStreamToMessageEvents("msg_1", "nova");
        List<MessageEvent> events = feed(translator,
                event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Let me look.\"}}"),
                event("contentBlockStart", "{\"contentBlockIndex\":1,\"start\":{\"toolUse\":"
                        + "{\"toolUseId\":\"t1\",\"name\":\"f\"}}}"),
                event("messageStop", "{\"stopReason\":\"end_turn\"}"),
                event("metadata", "{\"usage\":{\"inputTokens\":1,\"outputTokens\":1,\"totalTokens\":2}}"));
        assertEquals(List.of("message_start", "content_block_start", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_stop", "message_delta", "message_stop"), types(events));
        assertEquals(1, events.get(4).data().path("index").intValue());
        assertEquals("tool_use", events.get(6).data().path("delta").path("stop_reason").asText(),
                "an answer with tool calls says tool_use");
    }

    @Test
    void anEmptyAnswerStillStartsAndEnds() {
        ConverseStreamToMessageEvents translator = new ConverseStreamToMessageEvents("msg_1", "nova");
        List<MessageEvent> events = feed(translator, event("messageStart", "{\"role\":\"assistant\"}"),
                event("messageStop", "{\"stopReason\":\"guardrail_intervened\"}"),
                event("metadata", "{\"usage\":{\"inputTokens\":4,\"outputTokens\":0,\"totalTokens\":4}}"));
        assertEquals(List.of("message_start", "message_delta", "message_stop"), types(events));
        assertEquals("refusal", events.get(1).data().path("delta").path("stop_reason").asText());
        assertEquals("msg_1", events.get(0).data().path("message").path("id").asText());
        assertEquals("nova", events.get(0).data().path("message").path("model").asText());
    }
}
