package dev.bedrockgateway.api.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.bedrockgateway.testing.BedrockStandIn;
import dev.bedrockgateway.testing.ConverseReplies;
import dev.bedrockgateway.testing.OpenAiSchemas;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Chat completions end to end: REST Assured -> gateway -> real AWS SDK client -> local Bedrock stand-in. */
@QuarkusTest
@WithTestResource(BedrockStandIn.class)
public class ChatCompletionsResourceTest {

    static final String KEY = "Bearer sk-test-key-1";
    static final String SONNET_PATH = "/model/anthropic.claude-3-sonnet-20240229-v1%3A0/converse";

    @BedrockStandIn.Inject
    WireMockServer bedrock;

    @BeforeEach
    void reset() {
        bedrock.resetAll();
    }

    private static io.restassured.specification.RequestSpecification client() {
        return given().header("Authorization", KEY).contentType(ContentType.JSON);
    }

    @Test
    void aliasResolvesToTheUrlEncodedInferenceProfileIdAndRequestsAreSigned() {
        bedrock.stubFor(post(urlPathMatching("/model/.*/converse")).willReturn(
                ConverseReplies.text("Hello from Bedrock", "end_turn", 11, 4)));

        Response response = client().body("""
                {"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}""")
                .post("/v1/chat/completions");

        response.then().statusCode(200)
                .body("object", equalTo("chat.completion"))
                .body("id", startsWith("chatcmpl-"))
                .body("model", equalTo("gpt-4o"))
                .body("choices[0].index", equalTo(0))
                .body("choices[0].message.role", equalTo("assistant"))
                .body("choices[0].message.content", equalTo("Hello from Bedrock"))
                .body("choices[0].finish_reason", equalTo("stop"))
                .body("usage.prompt_tokens", equalTo(11))
                .body("usage.completion_tokens", equalTo(4))
                .body("usage.total_tokens", equalTo(15));
        OpenAiSchemas.assertValid("CreateChatCompletionResponse", response.asString());
        bedrock.verify(1, postRequestedFor(urlEqualTo("/model/us.anthropic.claude-sonnet-4-20250514-v1%3A0/converse"))
                .withHeader("Authorization", matching(
                        "AWS4-HMAC-SHA256 Credential=AKIDGATEWAYTEST/\\d{8}/us-east-1/bedrock/aws4_request, "
                                + "SignedHeaders=.*, Signature=[0-9a-f]{64}"))
                .withHeader("X-Amz-Date", matching("\\d{8}T\\d{6}Z")));
        // The default protocol: HTTP/1.1 with a connection pool (cheaper per call than HTTP/2, see bench/).
        org.junit.jupiter.api.Assertions.assertEquals("HTTP/1.1",
                bedrock.getAllServeEvents().get(0).getRequest().getProtocol());
    }

    @Test
    void jsonAnswerCarriesItsLengthInsteadOfBeingChunked() {
        bedrock.stubFor(post(urlEqualTo(SONNET_PATH)).willReturn(ConverseReplies.text("Grüße", "end_turn", 1, 1)));
        Response response = client().body("""
                {"model":"bedrock-claude-3-sonnet","messages":[{"role":"user","content":"Hi"}]}""")
                .post("/v1/chat/completions");

        response.then().statusCode(200).body("choices[0].message.content", equalTo("Grüße"))
                .header("Transfer-Encoding", nullValue())
                .header("Content-Length", equalTo(Integer.toString(response.asByteArray().length)));
    }

    @Test
    void sameEndpointWithoutV1Prefix() {
        bedrock.stubFor(post(urlEqualTo(SONNET_PATH)).willReturn(ConverseReplies.text("ok", "end_turn", 1, 1)));
        client().body("""
                {"model":"bedrock-claude-3-sonnet","messages":[{"role":"user","content":"Hi"}]}""")
                .post("/chat/completions")
                .then().statusCode(200).body("choices[0].message.content", equalTo("ok"));
    }

    @Test
    void consecutiveRolesMergeAndSystemAndDeveloperMoveToSystem() {
        bedrock.stubFor(post(urlEqualTo(SONNET_PATH)).willReturn(ConverseReplies.text("ok", "end_turn", 1, 1)));
        client().body("""
                {"model":"bedrock-claude-3-sonnet","messages":[
                  {"role":"system","content":"Be brief."},
                  {"role":"user","content":"one"},
                  {"role":"user","content":[{"type":"text","text":"two"},{"type":"text","text":"  "}]},
                  {"role":"developer","content":"Answer in English."},
                  {"role":"assistant","content":"three"},
                  {"role":"assistant","content":""},
                  {"role":"assistant","content":"four"},
                  {"role":"user","content":"five"}]}""")
                .post("/v1/chat/completions").then().statusCode(200);

        bedrock.verify(postRequestedFor(urlEqualTo(SONNET_PATH)).withRequestBody(equalToJson("""
                {"messages":[
                   {"role":"user","content":[{"text":"one"},{"text":"two"}]},
                   {"role":"assistant","content":[{"text":"three"},{"text":"four"}]},
                   {"role":"user","content":[{"text":"five"}]}],
                 "system":[{"text":"Be brief."},{"text":"Answer in English."}],
                 "inferenceConfig":{}}""")));
    }

    @Test
    void samplingParametersMapAndMaxCompletionTokensWins() {
        bedrock.stubFor(post(urlEqualTo(SONNET_PATH)).willReturn(ConverseReplies.text("ok", "end_turn", 1, 1)));
        client().body("""
                {"model":"bedrock-claude-3-sonnet","messages":[{"role":"user","content":"Hi"}],
                 "temperature":0.5,"top_p":0.9,"max_tokens":100,"max_completion_tokens":42,"stop":"END",
                 "user":"user-123","n":1,"logprobs":false,"presence_penalty":0,"frequency_penalty":0.0,
                 "response_format":{"type":"text"},"seed":null,"logit_bias":null,"top_logprobs":null}""")
                .post("/v1/chat/completions").then().statusCode(200);

        bedrock.verify(postRequestedFor(urlEqualTo(SONNET_PATH)).withRequestBody(equalToJson("""
                {"messages":[{"role":"user","content":[{"text":"Hi"}]}],
                 "inferenceConfig":{"maxTokens":42,"temperature":0.5,"topP":0.9,"stopSequences":["END"]}}""")));
    }

    @ParameterizedTest
    @CsvSource({ "end_turn,stop", "stop_sequence,stop", "max_tokens,length", "model_context_window_exceeded,length",
            "guardrail_intervened,content_filter", "content_filtered,content_filter", "tool_use,tool_calls",
            "malformed_model_output,stop", "some_future_reason,stop" })
    void finishReasonFromStopReason(String stopReason, String finishReason) {
        bedrock.stubFor(post(urlEqualTo(SONNET_PATH)).willReturn(ConverseReplies.text("x", stopReason, 1, 1)));
        Response response = client().body("""
                {"model":"bedrock-claude-3-sonnet","messages":[{"role":"user","content":"Hi"}]}""")
                .post("/v1/chat/completions");
        response.then().statusCode(200).body("choices[0].finish_reason", equalTo(finishReason));
        OpenAiSchemas.assertValid("CreateChatCompletionResponse", response.asString());
    }

    @Test
    void usageCountsCachedTokensIntoPromptTokens() {
        bedrock.stubFor(post(urlEqualTo(SONNET_PATH)).willReturn(ConverseReplies.json("""
                {"output":{"message":{"role":"assistant","content":[{"text":"a"},{"text":"b"}]}},
                 "stopReason":"end_turn",
                 "usage":{"inputTokens":10,"outputTokens":5,"totalTokens":115,"cacheReadInputTokens":70,
                          "cacheWriteInputTokens":30},
                 "metrics":{"latencyMs":1}}""")));
        client().body("""
                {"model":"bedrock-claude-3-sonnet","messages":[{"role":"user","content":"Hi"}]}""")
                .post("/v1/chat/completions").then().statusCode(200)
                .body("choices[0].message.content", equalTo("ab"))
                .body("usage.prompt_tokens", equalTo(110))
                .body("usage.completion_tokens", equalTo(5))
                .body("usage.total_tokens", equalTo(115))
                .body("usage.prompt_tokens_details.cached_tokens", equalTo(70));
    }

    @Test
    void toolCallsComeBackWithTextAndFinishReasonToolCalls() {
        bedrock.stubFor(post(urlEqualTo(SONNET_PATH)).willReturn(ConverseReplies.json("""
                {"output":{"message":{"role":"assistant","content":[
                   {"text":"Let me look."},
                   {"toolUse":{"toolUseId":"tooluse_1","name":"get_weather","input":{"city":"Paris","days":2}}},
                   {"toolUse":{"toolUseId":"tooluse_2","name":"get_time","input":{}}}]}},
                 "stopReason":"tool_use","usage":{"inputTokens":3,"outputTokens":4,"totalTokens":7},
                 "metrics":{"latencyMs":1}}""")));
        Response response = client().body("""
                {"model":"bedrock-claude-3-sonnet","messages":[{"role":"user","content":"Weather?"}],
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object",
                   "properties":{"city":{"type":"string"}}}}},
                  {"type":"function","function":{"name":"get_time"}}],
                 "tool_choice":"required"}""")
                .post("/v1/chat/completions");
        response.then().statusCode(200)
                .body("choices[0].finish_reason", equalTo("tool_calls"))
                .body("choices[0].message.content", equalTo("Let me look."))
                .body("choices[0].message.tool_calls[0].id", equalTo("tooluse_1"))
                .body("choices[0].message.tool_calls[0].type", equalTo("function"))
                .body("choices[0].message.tool_calls[0].function.name", equalTo("get_weather"))
                .body("choices[0].message.tool_calls[0].function.arguments", equalTo("{\"city\":\"Paris\",\"days\":2}"))
                .body("choices[0].message.tool_calls[1].function.arguments", equalTo("{}"));
        OpenAiSchemas.assertValid("CreateChatCompletionResponse", response.asString());
        bedrock.verify(postRequestedFor(urlEqualTo(SONNET_PATH)).withRequestBody(equalToJson("""
                {"toolConfig":{"tools":[
                   {"toolSpec":{"name":"get_weather","inputSchema":{"json":{"type":"object",
                      "properties":{"city":{"type":"string"}}}}}},
                   {"toolSpec":{"name":"get_time","inputSchema":{"json":{"type":"object","properties":{}}}}}],
                  "toolChoice":{"any":{}}}}""", true, true)));
    }

    @Test
    void toolHistoryBecomesToolUseAndToolResultAndKeepsAToolConfigWithoutTools() {
        bedrock.stubFor(post(urlEqualTo(SONNET_PATH)).willReturn(ConverseReplies.text("18 degrees", "end_turn", 1, 1)));
        client().body("""
                {"model":"bedrock-claude-3-sonnet","messages":[
                  {"role":"user","content":"Weather in Paris and Rome?"},
                  {"role":"assistant","content":null,"tool_calls":[
                     {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                     {"id":"call_2","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Rome\\"}"}}]},
                  {"role":"tool","tool_call_id":"call_1","content":"18C"},
                  {"role":"tool","tool_call_id":"call_2","content":[{"type":"text","text":"21C"}]},
                  {"role":"user","content":"Thanks"}]}""")
                .post("/v1/chat/completions").then().statusCode(200);
        bedrock.verify(postRequestedFor(urlEqualTo(SONNET_PATH)).withRequestBody(equalToJson("""
                {"messages":[
                  {"role":"user","content":[{"text":"Weather in Paris and Rome?"}]},
                  {"role":"assistant","content":[
                    {"toolUse":{"toolUseId":"call_1","name":"get_weather","input":{"city":"Paris"}}},
                    {"toolUse":{"toolUseId":"call_2","name":"get_weather","input":{"city":"Rome"}}}]},
                  {"role":"user","content":[
                    {"toolResult":{"toolUseId":"call_1","content":[{"text":"18C"}]}},
                    {"toolResult":{"toolUseId":"call_2","content":[{"text":"21C"}]}},
                    {"text":"Thanks"}]}],
                 "toolConfig":{"tools":[{"toolSpec":{"name":"get_weather",
                    "description":"Tool used earlier in this conversation.",
                    "inputSchema":{"json":{"type":"object","properties":{}}}}}]}}""", true, true)));
    }

    @Test
    void droppedParamsHeaderIsAbsentWhenNothingWasDropped() {
        bedrock.stubFor(post(urlEqualTo(SONNET_PATH)).willReturn(ConverseReplies.text("ok", "end_turn", 1, 1)));
        client().body("""
                {"model":"bedrock-claude-3-sonnet","messages":[{"role":"user","content":"Hi"}]}""")
                .post("/v1/chat/completions").then().statusCode(200)
                .header(OpenAiAnswers.DROPPED_PARAMS_HEADER, nullValue());
    }

    @Test
    void bedrockNeverCalledForRejectedRequests() {
        client().body("""
                {"model":"bedrock-claude-3-sonnet","messages":[{"role":"user","content":"Hi"}],"n":3}""")
                .post("/v1/chat/completions").then().statusCode(400)
                .body("error.param", equalTo("n"))
                .body("error.code", equalTo("unsupported_parameter"));
        bedrock.verify(0, postRequestedFor(urlPathMatching("/model/.*")));
    }
}
