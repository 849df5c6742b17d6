package dev.bedrockgateway.translate.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import dev.bedrockgateway.openai.ChatCompletion;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningTextBlock;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

class ConverseToChatTest {

    static ConverseResponse response(String stopReason, ContentBlock... blocks) {
        return ConverseResponse.builder()
                .output(ConverseOutput.fromMessage(Message.builder().role(ConversationRole.ASSISTANT)
                        .content(blocks).build()))
                .stopReason(stopReason)
                .usage(TokenUsage.builder().inputTokens(3).outputTokens(2).totalTokens(5).build())
                .build();
    }

    @Test
    void reasoningNeverLeaksIntoContent() {
        ChatCompletion completion = ConverseToChat.toChatCompletion(response("end_turn",
                ContentBlock.fromReasoningContent(ReasoningContentBlock.fromReasoningText(
                        ReasoningTextBlock.builder().text("thinking...").signature("sig").build())),
                ContentBlock.fromText("Answer.")), "chatcmpl-x", 1, "m", null);
        assertEquals("Answer.", completion.choices().get(0).message().content());
        assertEquals("thinking...", completion.choices().get(0).message().reasoningContent());
        assertEquals("sig", completion.choices().get(0).message().thinkingBlocks().get(0).signature());
    }

    @Test
    void theStructuredOutputToolBecomesContentWithFinishReasonStop() {
        ChatCompletion completion = ConverseToChat.toChatCompletion(response("tool_use",
                ContentBlock.fromToolUse(ToolUseBlock.builder().toolUseId("a").name("answer")
                        .input(Document.mapBuilder().putString("city", "Oslo").build()).build())),
                "chatcmpl-x", 1, "m", "answer");
        assertEquals("{\"city\":\"Oslo\"}", completion.choices().get(0).message().content());
        assertEquals(0, completion.choices().get(0).message().toolCalls().size());
        assertEquals("stop", completion.choices().get(0).finishReason());
    }

    @Test
    void toolOnlyAnswerHasNullContentAndAllCalls() {
        ChatCompletion completion = ConverseToChat.toChatCompletion(response("tool_use",
                ContentBlock.fromToolUse(ToolUseBlock.builder().toolUseId("a").name("f")
                        .input(Document.mapBuilder().putNumber("n", 1.5).putString("s", "x").build()).build()),
                ContentBlock.fromToolUse(ToolUseBlock.builder().toolUseId("b").name("g")
                        .input(Document.mapBuilder().build()).build())), "chatcmpl-x", 1, "m", null);
        ChatCompletion.Message message = completion.choices().get(0).message();
        assertNull(message.content());
        assertEquals(2, message.toolCalls().size());
        assertEquals("{\"n\":1.5,\"s\":\"x\"}", message.toolCalls().get(0).function().arguments());
        assertEquals("tool_calls", completion.choices().get(0).finishReason());
    }

    @Test
    void emptyAnswerIsAnEmptyString() {
        ChatCompletion completion = ConverseToChat.toChatCompletion(response("max_tokens"), "chatcmpl-x", 1, "m", null);
        assertEquals("", completion.choices().get(0).message().content());
        assertEquals("length", completion.choices().get(0).finishReason());
        assertEquals(5, completion.usage().totalTokens());
    }
}
