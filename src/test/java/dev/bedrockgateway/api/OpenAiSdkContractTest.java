package dev.bedrockgateway.api;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.models.Model;

import dev.bedrockgateway.testing.BedrockStandIn;
import dev.bedrockgateway.testing.ConverseReplies;
import dev.bedrockgateway.testing.EventStreamFrames;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The official OpenAI Java SDK, pointed at the gateway, must not tell it from OpenAI (strict validate()). */
@QuarkusTest
@WithTestResource(BedrockStandIn.class)
public class OpenAiSdkContractTest {

    @BedrockStandIn.Inject
    WireMockServer bedrock;

    @TestHTTPResource("/v1")
    URL baseUrl;

    OpenAIClient openai;

    @BeforeEach
    void setUp() {
        bedrock.resetAll();
        openai = OpenAIOkHttpClient.builder().baseUrl(baseUrl.toString()).apiKey("sk-test-key-2").maxRetries(0)
                .build();
    }

    @AfterEach
    void tearDown() {
        openai.close();
    }

    @Test
    void chatCompletionValidatesStrictly() {
        bedrock.stubFor(post(urlPathMatching("/model/.*/converse")).willReturn(
                ConverseReplies.text("Paris is the capital of France.", "end_turn", 14, 7)));

        ChatCompletion completion = openai.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-4o-mini")
                .addSystemMessage("You answer geography questions.")
                .addUserMessage("Capital of France?")
                .maxCompletionTokens(64)
                .temperature(0.3)
                .build());

        completion.validate();
        assertEquals("gpt-4o-mini", completion.model());
        assertTrue(completion.id().startsWith("chatcmpl-"));
        assertEquals("Paris is the capital of France.", completion.choices().get(0).message().content().orElseThrow());
        assertEquals(ChatCompletion.Choice.FinishReason.STOP, completion.choices().get(0).finishReason());
        assertEquals(21, completion.usage().orElseThrow().totalTokens());
        bedrock.verify(postRequestedFor(urlEqualTo("/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse"))
                .withRequestBody(equalToJson("""
                        {"messages":[{"role":"user","content":[{"text":"Capital of France?"}]}],
                         "system":[{"text":"You answer geography questions."}],
                         "inferenceConfig":{"maxTokens":64,"temperature":0.3}}""")));
    }

    @Test
    void toolCallsValidateAndRoundTrip() {
        bedrock.stubFor(post(urlPathMatching("/model/.*/converse")).willReturn(ConverseReplies.json("""
                {"output":{"message":{"role":"assistant","content":[
                   {"toolUse":{"toolUseId":"tooluse_abc","name":"lookup","input":{"q":"bedrock"}}}]}},
                 "stopReason":"tool_use","usage":{"inputTokens":5,"outputTokens":6,"totalTokens":11},
                 "metrics":{"latencyMs":1}}""")));

        FunctionParameters schema = FunctionParameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties",
                        JsonValue.from(java.util.Map.of("q", java.util.Map.of("type", "string"))))
                .build();
        ChatCompletionFunctionTool tool = ChatCompletionFunctionTool.builder()
                .function(FunctionDefinition.builder().name("lookup").parameters(schema).build())
                .build();
        ChatCompletion completion = openai.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-4o")
                .addUserMessage("Look up bedrock")
                .addTool(tool)
                .build());

        completion.validate();
        assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, completion.choices().get(0).finishReason());
        List<ChatCompletionMessageToolCall> calls = completion.choices().get(0).message().toolCalls().orElseThrow();
        assertEquals(1, calls.size());
        assertEquals("tooluse_abc", calls.get(0).asFunction().id());
        assertEquals("lookup", calls.get(0).asFunction().function().name());
        assertEquals("{\"q\":\"bedrock\"}", calls.get(0).asFunction().function().arguments());
    }

    @Test
    void modelsListAndRetrieveValidate() {
        var page = openai.models().list();
        List<Model> models = page.data();
        models.forEach(Model::validate);
        assertTrue(models.stream().anyMatch(m -> m.id().equals("text-davinci-003")));
        Model one = openai.models().retrieve("bedrock-mixtral-8x7b-instruct-v0");
        one.validate();
        assertEquals("mistral", one.ownedBy());
    }

    @Test
    void errorsArriveAsTheSdkExceptionsOpenAiWouldCause() {
        NotFoundException notFound = assertThrows(NotFoundException.class, () -> openai.chat().completions()
                .create(ChatCompletionCreateParams.builder().model("gpt-99").addUserMessage("Hi").build()));
        assertEquals("model_not_found", notFound.code().orElseThrow());
        assertTrue(notFound.param().isEmpty(), "OpenAI names no param for an unknown model");

        BadRequestException badRequest = assertThrows(BadRequestException.class, () -> openai.chat().completions()
                .create(ChatCompletionCreateParams.builder().model("gpt-4o").addUserMessage("Hi").n(2).build()));
        assertEquals("n", badRequest.param().orElseThrow());

        bedrock.stubFor(post(urlPathMatching("/model/.*/converse")).willReturn(
                ConverseReplies.error(429, "ThrottlingException", "Too many requests, please wait.")));
        RateLimitException limited = assertThrows(RateLimitException.class, () -> openai.chat().completions()
                .create(ChatCompletionCreateParams.builder().model("gpt-4o").addUserMessage("Hi").build()));
        assertEquals("1", limited.headers().values("Retry-After").get(0));

        OpenAIClient anonymous = OpenAIOkHttpClient.builder().baseUrl(baseUrl.toString()).apiKey("sk-nope")
                .maxRetries(0).build();
        try {
            assertThrows(UnauthorizedException.class, () -> anonymous.models().list());
        } finally {
            anonymous.close();
        }
    }

    /** The SDK's own accumulator must rebuild from the stream exactly what the non-streaming call returns. */
    @Test
    void streamedChunksAccumulateToTheNonStreamingResult() {
        bedrock.stubFor(post(urlPathMatching("/model/.*/converse")).willReturn(ConverseReplies.json("""
                {"output":{"message":{"role":"assistant","content":[
                   {"text":"Let me check."},
                   {"toolUse":{"toolUseId":"tooluse_1","name":"lookup","input":{"q":"bedrock","n":2}}},
                   {"toolUse":{"toolUseId":"tooluse_2","name":"lookup","input":{"q":"quarkus"}}}]}},
                 "stopReason":"tool_use","usage":{"inputTokens":5,"outputTokens":6,"totalTokens":11},
                 "metrics":{"latencyMs":1}}""")));
        bedrock.stubFor(post(urlPathMatching("/model/.*/converse-stream")).willReturn(EventStreamFrames.stream()
                .start().text(0, "Let me").text(0, " check.").stop(0)
                .toolStart(1, "tooluse_1", "lookup").toolInput(1, "{\"q\":\"bed").toolInput(1, "rock\",\"n\":2}").stop(1)
                .toolStart(2, "tooluse_2", "lookup").toolInput(2, "{\"q\":\"quarkus\"}").stop(2)
                .messageStop("tool_use").metadata(5, 6).response()));
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("gpt-4o")
                .addUserMessage("Look things up").build();

        ChatCompletion whole = openai.chat().completions().create(params);
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = openai.chat().completions().createStreaming(
                params.toBuilder().streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                        .build())) {
            stream.stream().forEach(chunk -> {
                chunk.validate();
                accumulator.accumulate(chunk);
            });
        }
        ChatCompletion accumulated = accumulator.chatCompletion();

        accumulated.validate();
        assertEquals(whole.model(), accumulated.model());
        assertEquals(whole.choices().get(0).message().content(), accumulated.choices().get(0).message().content());
        assertEquals(whole.choices().get(0).finishReason(), accumulated.choices().get(0).finishReason());
        List<ChatCompletionMessageToolCall> expected = whole.choices().get(0).message().toolCalls().orElseThrow();
        List<ChatCompletionMessageToolCall> actual = accumulated.choices().get(0).message().toolCalls().orElseThrow();
        assertEquals(2, actual.size());
        for (int i = 0; i < 2; i++) {
            assertEquals(expected.get(i).asFunction().id(), actual.get(i).asFunction().id());
            assertEquals(expected.get(i).asFunction().function().name(), actual.get(i).asFunction().function().name());
            assertEquals(expected.get(i).asFunction().function().arguments(),
                    actual.get(i).asFunction().function().arguments());
        }
        assertEquals(whole.usage().orElseThrow().totalTokens(), accumulated.usage().orElseThrow().totalTokens());
    }

    /** A tool loop driven by the SDK: its own assistant message goes back with the tool result. */
    @Test
    void toolLoopRoundTripsThroughTheSdk() {
        bedrock.stubFor(post(urlPathMatching("/model/.*/converse")).willReturn(ConverseReplies.json("""
                {"output":{"message":{"role":"assistant","content":[
                   {"toolUse":{"toolUseId":"tooluse_w","name":"weather","input":{"city":"Lima"}}}]}},
                 "stopReason":"tool_use","usage":{"inputTokens":5,"outputTokens":6,"totalTokens":11},
                 "metrics":{"latencyMs":1}}""")));
        ChatCompletionFunctionTool tool = ChatCompletionFunctionTool.builder()
                .function(FunctionDefinition.builder().name("weather").build()).build();
        ChatCompletionCreateParams first = ChatCompletionCreateParams.builder().model("gpt-4o")
                .addUserMessage("Weather in Lima?").addTool(tool).build();
        ChatCompletion call = openai.chat().completions().create(first);
        ChatCompletionMessageToolCall toolCall = call.choices().get(0).message().toolCalls().orElseThrow().get(0);

        ConverseReplies.answerEverything(bedrock, ConverseReplies.text("Sunny in Lima.", "end_turn", 9, 4));
        ChatCompletion answer = openai.chat().completions().create(first.toBuilder()
                .addMessage(call.choices().get(0).message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(toolCall.asFunction().id())
                        .content("22C and sunny").build())
                .build());

        answer.validate();
        assertEquals("Sunny in Lima.", answer.choices().get(0).message().content().orElseThrow());
        bedrock.verify(postRequestedFor(urlPathMatching("/model/.*/converse")).withRequestBody(equalToJson("""
                {"messages":[
                  {"role":"user","content":[{"text":"Weather in Lima?"}]},
                  {"role":"assistant","content":[{"toolUse":{"toolUseId":"tooluse_w","name":"weather",
                     "input":{"city":"Lima"}}}]},
                  {"role":"user","content":[{"toolResult":{"toolUseId":"tooluse_w","content":[{"text":"22C and sunny"}]}}]}],
                 "toolConfig":{"tools":[{"toolSpec":{"name":"weather"}}]}}""", true, true)));
    }
}
