package dev.bedrockgateway.translate.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

class ConverseToMessagesTest {

    static ObjectNode message(String stopReason, Document additional, ContentBlock... blocks) {
        ConverseResponse response = ConverseResponse.builder()
                .output(ConverseOutput.fromMessage(Message.builder().role(ConversationRole.ASSISTANT)
                        .content(blocks).build()))
                .stopReason(stopReason).additionalModelResponseFields(additional).build();
        return ConverseToMessages.toMessage(response, "msg_1", "nova");
    }

    static String stopReason(String converse) {
        return message(converse, null, ContentBlock.fromText("x")).path("stop_reason").asText();
    }

    @Test
    void everyConverseStopReasonLandsInAnthropicsEnum() {
        assertEquals("end_turn", stopReason("end_turn"));
        assertEquals("tool_use", stopReason("tool_use"));
        assertEquals("max_tokens", stopReason("max_tokens"));
        assertEquals("stop_sequence", stopReason("stop_sequence"));
        assertEquals("refusal", stopReason("guardrail_intervened"));
        assertEquals("refusal", stopReason("content_filtered"));
        assertEquals("model_context_window_exceeded", stopReason("model_context_window_exceeded"));
        assertEquals("end_turn", stopReason("malformed_model_output"));
        assertEquals("end_turn", stopReason("malformed_tool_use"));
        assertEquals("end_turn", stopReason("a_reason_from_the_future"));
    }

    @Test
    void anAnswerWithToolCallsSaysToolUseEvenWhenTheModelSaidEndTurn() {
        ObjectNode message = message("end_turn", null, ContentBlock.fromToolUse(ToolUseBlock.builder()
                .toolUseId("t1").name("f").input(Document.mapBuilder().build()).build()));
        assertEquals("tool_use", message.path("stop_reason").asText());
        assertTrue(message.path("content").get(0).path("input").isObject());
    }

    @Test
    void theStopSequenceIsNamedWhenTheModelSaysWhichOne() {
        ObjectNode named = message("stop_sequence",
                Document.mapBuilder().putString("stop_sequence", "END").build(), ContentBlock.fromText("x"));
        assertEquals("END", named.path("stop_sequence").asText());
        assertTrue(message("stop_sequence", null, ContentBlock.fromText("x")).path("stop_sequence").isNull());
        assertTrue(message("end_turn", Document.mapBuilder().putString("stop_sequence", "END").build(),
                ContentBlock.fromText("x")).path("stop_sequence").isNull());
    }

    @Test
    void missingUsageCountsAsZero() {
        ObjectNode usage = (ObjectNode) message("end_turn", null, ContentBlock.fromText("x")).path("usage");
        assertEquals(0, usage.path("input_tokens").intValue());
        assertEquals(0, usage.path("output_tokens").intValue());
        assertEquals(0, usage.path("cache_creation_input_tokens").intValue());
        assertEquals(0, usage.path("cache_read_input_tokens").intValue());
        assertTrue(usage.path("cache_creation").isMissingNode());
    }

    @Test
    void anEmptyAnswerHasEmptyContent() {
        ObjectNode message = ConverseToMessages.toMessage(ConverseResponse.builder().stopReason("max_tokens").build(),
                "msg_1", "nova");
        assertEquals(0, message.path("content").size());
        assertEquals("max_tokens", message.path("stop_reason").asText());
        assertEquals("assistant", message.path("role").asText());
    }
}
