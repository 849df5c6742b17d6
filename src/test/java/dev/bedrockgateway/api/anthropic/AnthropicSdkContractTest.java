package dev.bedrockgateway.api.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.OverloadedException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.CacheControlEphemeral;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.TextBlockParam;
import com.anthropic.models.messages.ThinkingBlock;
import com.anthropic.models.messages.ThinkingBlockParam;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;

import dev.bedrockgateway.testing.SimulatedBedrock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The official Anthropic Java SDK against {@code /v1/messages}, the gateway calling the Bedrock simulator through the
 * real AWS SDK (InvokeModel, InvokeModelWithResponseStream, CountTokens, SigV4, event-stream frames). The simulator
 * checks what Bedrock checks (no system role in messages, no unknown fields or beta flags, thinking signatures it
 * issued), so a request that reached it mangled fails here.
 */
@QuarkusTest
@WithTestResource(SimulatedBedrock.class)
public class AnthropicSdkContractTest {

    static final String MODEL = "claude-haiku-4-5";

    @TestHTTPResource("/")
    URL gateway;

    AnthropicClient client;

    @BeforeEach
    void client() {
        client = AnthropicOkHttpClient.builder().baseUrl(gateway.toString().replaceAll("/$", ""))
                .apiKey("sk-test-key-1").maxRetries(0).build();
    }

    @AfterEach
    void close() {
        client.close();
    }

    static Tool weatherTool() {
        return Tool.builder().name("get_weather").description("The weather of a city")
                .inputSchema(Tool.InputSchema.builder()
                        .properties(JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .required(List.of("city")).build())
                .build();
    }

    @Test
    void aMessage() {
        Message message = client.messages().create(MessageCreateParams.builder().model(MODEL).maxTokens(256)
                .addUserMessage("Say hello").build());

        String text = message.content().get(0).text().orElseThrow().text();
        assertFalse(text.isBlank());
        assertEquals(StopReason.END_TURN, message.stopReason().orElseThrow());
        assertTrue(message.id().startsWith("msg_"), message.id());
        assertTrue(message.usage().inputTokens() > 0);
        assertTrue(message.usage().outputTokens() > 0);
    }

    @Test
    void aStreamAccumulatesIntoTheSameMessageItsDeltasSpell() {
        MessageAccumulator accumulator = MessageAccumulator.create();
        StringBuilder deltas = new StringBuilder();
        List<String> types = new ArrayList<>();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(
                MessageCreateParams.builder().model(MODEL).maxTokens(256).addUserMessage("Tell me a story").build())) {
            stream.stream().forEach(event -> {
                accumulator.accumulate(event);
                types.add(event.isMessageStart() ? "message_start" : event.isMessageStop() ? "message_stop"
                        : event.isMessageDelta() ? "message_delta" : "block");
                event.contentBlockDelta().flatMap(delta -> delta.delta().text())
                        .ifPresent(text -> deltas.append(text.text()));
            });
        }
        Message message = accumulator.message();

        assertEquals("message_start", types.get(0));
        assertEquals("message_delta", types.get(types.size() - 2));
        assertEquals("message_stop", types.get(types.size() - 1));
        assertEquals(deltas.toString(), message.content().get(0).text().orElseThrow().text());
        assertTrue(deltas.length() > 0);
        assertEquals(StopReason.END_TURN, message.stopReason().orElseThrow());
        assertTrue(message.usage().outputTokens() > 0);
    }

    @Test
    void aToolRoundTrip() {
        MessageCreateParams.Builder params = MessageCreateParams.builder().model(MODEL).maxTokens(512)
                .addTool(weatherTool()).addUserMessage("Use the tool for the weather in Paris");
        Message first = client.messages().create(params.build());
        assertEquals(StopReason.TOOL_USE, first.stopReason().orElseThrow());
        ToolUseBlock call = first.content().stream().flatMap(b -> b.toolUse().stream()).findFirst().orElseThrow();
        assertEquals("get_weather", call.name());

        Message second = client.messages().create(params.addMessage(first.toParam())
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam
                        .builder().toolUseId(call.id()).content("18 C and cloudy").build())))
                .build());

        assertEquals(StopReason.END_TURN, second.stopReason().orElseThrow());
        assertTrue(second.content().get(0).text().orElseThrow().text().contains("18 C and cloudy"),
                second.content().toString());
    }

    /** The thinking block and its signature go back to Bedrock as they came, or it refuses the turn. */
    @Test
    void extendedThinkingWithAToolCallSentBackWithItsSignature() {
        MessageCreateParams.Builder params = MessageCreateParams.builder().model(MODEL).maxTokens(4096)
                .enabledThinking(1024).addTool(weatherTool()).addUserMessage("Use the tool for the weather in Paris");
        Message first = client.messages().create(params.build());
        ThinkingBlock thinking = first.content().get(0).thinking().orElseThrow();
        assertFalse(thinking.signature().isBlank());
        ToolUseBlock call = first.content().stream().flatMap(b -> b.toolUse().stream()).findFirst().orElseThrow();
        ContentBlockParam result = ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
                .toolUseId(call.id()).content("18 C").build());

        Message second = client.messages().create(params.addMessage(first.toParam())
                .addUserMessageOfContentBlockParams(List.of(result)).build());
        assertTrue(second.content().stream().anyMatch(b -> b.text().isPresent()));

        // The same turn with the signature changed by one character is refused by Bedrock.
        List<ContentBlockParam> forged = new ArrayList<>();
        for (ContentBlock block : first.content()) {
            forged.add(block.thinking().isPresent() ? ContentBlockParam.ofThinking(ThinkingBlockParam.builder()
                    .thinking(thinking.thinking()).signature("x" + thinking.signature().substring(1)).build())
                    : block.toParam());
        }
        assertThrows(BadRequestException.class, () -> client.messages().create(MessageCreateParams.builder()
                .model(MODEL).maxTokens(4096).enabledThinking(1024).addTool(weatherTool())
                .addUserMessage("Use the tool for the weather in Paris")
                .addAssistantMessageOfContentBlockParams(forged)
                .addUserMessageOfContentBlockParams(List.of(result)).build()));
    }

    @Test
    void promptCachingReportsAWriteThenARead() {
        MessageCreateParams params = MessageCreateParams.builder().model(MODEL).maxTokens(128)
                .systemOfTextBlockParams(List.of(TextBlockParam.builder()
                        .text("You are a careful assistant. " + "Remember these house rules. ".repeat(200))
                        .cacheControl(CacheControlEphemeral.builder().ttl(CacheControlEphemeral.Ttl.TTL_1H).build())
                        .build()))
                .addUserMessage("Hello " + System.nanoTime()).build();

        Message first = client.messages().create(params);
        Message second = client.messages().create(params);

        long written = first.usage().cacheCreationInputTokens().orElse(0L);
        assertTrue(written > 0, first.usage().toString());
        assertEquals(0L, first.usage().cacheReadInputTokens().orElse(0L));
        assertEquals(written, second.usage().cacheReadInputTokens().orElse(0L), second.usage().toString());
        assertEquals(0L, second.usage().cacheCreationInputTokens().orElse(0L));
    }

    /** Bedrock's count equals what the same request then reports as its input. */
    @Test
    void countTokensIsBedrocksCountOfTheRequest() {
        long counted = client.messages().countTokens(MessageCountTokensParams.builder().model(MODEL)
                .addTool(weatherTool()).addUserMessage("How many tokens is this sentence?").build()).inputTokens();
        Message message = client.messages().create(MessageCreateParams.builder().model(MODEL).maxTokens(64)
                .addTool(weatherTool()).addUserMessage("How many tokens is this sentence?").build());

        assertTrue(counted > 0);
        assertEquals(message.usage().inputTokens() + message.usage().cacheReadInputTokens().orElse(0L)
                + message.usage().cacheCreationInputTokens().orElse(0L), counted);
    }

    @Test
    void errorsAreTheSdksTypedExceptions() {
        assertThrows(NotFoundException.class, () -> client.messages().create(MessageCreateParams.builder()
                .model("no-such-model").maxTokens(16).addUserMessage("Hi").build()));
        assertThrows(RateLimitException.class, () -> client.messages().create(MessageCreateParams.builder()
                .model(MODEL).maxTokens(16).addUserMessage("Hi simulate:throttle").build()));
        assertThrows(OverloadedException.class, () -> client.messages().create(MessageCreateParams.builder()
                .model(MODEL).maxTokens(16).addUserMessage("Hi simulate:unavailable").build()));
        // Bedrock's own validation: a thinking budget not below max_tokens.
        assertThrows(BadRequestException.class, () -> client.messages().create(MessageCreateParams.builder()
                .model(MODEL).maxTokens(2000).enabledThinking(4000).addUserMessage("Hi").build()));
        AnthropicClient wrongKey = AnthropicOkHttpClient.builder()
                .baseUrl(gateway.toString().replaceAll("/$", "")).apiKey("sk-wrong").maxRetries(0).build();
        try {
            assertThrows(UnauthorizedException.class, () -> wrongKey.messages().create(MessageCreateParams
                    .builder().model(MODEL).maxTokens(16).addUserMessage("Hi").build()));
        } finally {
            wrongKey.close();
        }
    }
}
