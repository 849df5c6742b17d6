package dev.bedrockgateway.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Vertx;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.CountTokensInput;
import software.amazon.awssdk.services.bedrockruntime.model.CountTokensResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/**
 * Drives the simulator's Claude (InvokeModel with Anthropic's Messages API, its stream, CountTokens) with the real
 * Bedrock Runtime SDK client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(20)
class SimulatedClaudeTest {

    private static final String SONNET = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    private static final String SONNET_BASE = "anthropic.claude-sonnet-4-5-20250929-v1:0";
    private static final String OPUS_46 = "global.anthropic.claude-opus-4-6-v1";
    private static final String CLAUDE_3 = "anthropic.claude-3-sonnet-20240229-v1:0";
    private static final String REPLY = "Simulated reply from " + SONNET + ": ";
    private static final String VERSION = "\"anthropic_version\":\"bedrock-2023-05-31\"";
    private static final String TOOLS = """
            "tools":[{"name":"get_weather","description":"Simulated get_weather","input_schema":{"type":"object",
              "properties":{"city":{"type":"string"},"days":{"type":"integer"},"metric":{"type":"boolean"},
                "unit":{"type":"string","enum":["celsius","fahrenheit"]},"note":{"type":"string"}},
              "required":["city","days","metric","unit"]}},
             {"name":"get_time","input_schema":{"type":"object","properties":{"zone":{"type":"string"}},
              "required":["zone"]}}]""";
    private static final String WEATHER_INPUT = "{\"city\":\"example\",\"days\":1,\"metric\":true,\"unit\":\"celsius\"}";
    private static final Duration LATENCY = Duration.ofMillis(30);
    private static final long TIMEOUT_SECONDS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Vertx vertx;
    private BedrockSimulator simulator;
    private BedrockRuntimeAsyncClient http1;
    private BedrockRuntimeAsyncClient http2;

    @BeforeAll
    void start() {
        vertx = Vertx.vertx();
        simulator = new BedrockSimulator(vertx, 0, LATENCY);
        var endpoint = simulator.start();
        http1 = client(Protocol.HTTP1_1, endpoint);
        http2 = client(Protocol.HTTP2, endpoint);
    }

    @AfterAll
    void stop() throws Exception {
        http1.close();
        http2.close();
        simulator.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private static BedrockRuntimeAsyncClient client(Protocol protocol, java.net.URI endpoint) {
        return BedrockRuntimeAsyncClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDSIMULATOR", "simulator-secret")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(protocol))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    // --- InvokeModel ------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void invokeAnswersWithAnthropicsMessageAndBedrocksAccountingHeaders(Protocol protocol) throws Exception {
        InvokeModelResponse response = invoke(protocol, SONNET, """
                {%s,"max_tokens":100,"system":"Be brief",
                 "messages":[{"role":"user","content":"Hello there simulator"}]}""".formatted(VERSION));
        JsonNode message = json(response);

        assertEquals("application/json", response.contentType());
        assertTrue(message.path("id").asText().matches("msg_bdrk_01[1-9A-HJ-NP-Za-km-z]{22}"), message.toString());
        assertEquals("message", message.path("type").asText());
        assertEquals("assistant", message.path("role").asText());
        assertEquals(SONNET_BASE, message.path("model").asText());
        assertEquals(JSON.createArrayNode().add(text(REPLY + "Hello there simulator")), message.get("content"));
        assertEquals("end_turn", message.path("stop_reason").asText());
        assertTrue(message.get("stop_sequence").isNull());
        assertEquals(JSON.readTree("""
                {"input_tokens":5,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":7}"""),
                message.get("usage"));
        assertEquals("5", header(response, "x-amzn-bedrock-input-token-count"));
        assertEquals("7", header(response, "x-amzn-bedrock-output-token-count"));
        assertEquals("0", header(response, "x-amzn-bedrock-cache-read-input-token-count"));
        assertEquals("0", header(response, "x-amzn-bedrock-cache-write-input-token-count"));
        assertTrue(Long.parseLong(header(response, "x-amzn-bedrock-invocation-latency")) >= LATENCY.toMillis());
        assertFalse(header(response, "x-amzn-requestid").isEmpty());
    }

    @Test
    void everyFormOfAClaudeIdIsServedAndAnsweredWithTheFoundationModel() throws Exception {
        String arn = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/" + SONNET;
        for (String modelId : List.of(SONNET_BASE, SONNET, "global." + SONNET_BASE, arn)) {
            JsonNode message = json(invoke(Protocol.HTTP1_1, modelId, minimal("hi")));
            assertEquals(SONNET_BASE, message.path("model").asText(), modelId);
            assertEquals("Simulated reply from " + modelId + ": hi", message.at("/content/0/text").asText());
        }
    }

    @Test
    void maxTokensAndStopSequencesCutTheReply() throws Exception {
        JsonNode cut = json(invoke(Protocol.HTTP1_1, SONNET, """
                {%s,"max_tokens":3,"messages":[{"role":"user","content":"one two three"}]}""".formatted(VERSION)));
        assertEquals("Simulated reply from", cut.at("/content/0/text").asText());
        assertEquals("max_tokens", cut.path("stop_reason").asText());
        assertTrue(cut.get("stop_sequence").isNull());
        assertEquals(3, cut.at("/usage/output_tokens").asInt());

        JsonNode stopped = json(invoke(Protocol.HTTP1_1, SONNET, """
                {%s,"max_tokens":100,"stop_sequences":["never","STOP"],
                 "messages":[{"role":"user","content":[{"type":"text","text":"alpha beta STOP gamma"}]}]}"""
                .formatted(VERSION)));
        assertEquals(REPLY + "alpha beta", stopped.at("/content/0/text").asText());
        assertEquals("stop_sequence", stopped.path("stop_reason").asText());
        assertEquals("STOP", stopped.path("stop_sequence").asText());
        assertEquals(6, stopped.at("/usage/output_tokens").asInt());
    }

    @Test
    void toolChoiceDecidesTheToolCallWhoseInputComesFromTheSchema() throws Exception {
        JsonNode forced = json(invoke(Protocol.HTTP1_1, SONNET, """
                {%s,"max_tokens":100,%s,"tool_choice":{"type":"any"},
                 "messages":[{"role":"user","content":"What is the weather?"}]}""".formatted(VERSION, TOOLS)));
        assertEquals("tool_use", forced.path("stop_reason").asText());
        assertEquals(1, forced.get("content").size());
        JsonNode call = forced.at("/content/0");
        assertEquals("tool_use", call.path("type").asText());
        assertTrue(call.path("id").asText().matches("toolu_bdrk_01[1-9A-HJ-NP-Za-km-z]{22}"), call.toString());
        assertEquals("get_weather", call.path("name").asText());
        assertEquals(JSON.readTree(WEATHER_INPUT), call.get("input"));
        assertEquals(1, forced.at("/usage/output_tokens").asInt(), "the input's compact JSON is one word");

        JsonNode named = json(invoke(Protocol.HTTP1_1, SONNET, """
                {%s,"max_tokens":100,%s,"tool_choice":{"type":"tool","name":"get_time"},
                 "messages":[{"role":"user","content":"Anything"}]}""".formatted(VERSION, TOOLS)));
        assertEquals(JSON.readTree("{\"zone\":\"example\"}"), named.at("/content/0/input"));

        JsonNode explained = json(invoke(Protocol.HTTP1_1, SONNET, """
                {%s,"max_tokens":100,%s,"messages":[{"role":"user","content":"Please explain, then use the tool"}]}"""
                .formatted(VERSION, TOOLS)));
        assertEquals(List.of("text", "tool_use"), types(explained.get("content")));
        assertEquals(REPLY + "Please explain, then use the tool", explained.at("/content/0/text").asText());
        assertEquals("tool_use", explained.path("stop_reason").asText());

        JsonNode refused = json(invoke(Protocol.HTTP1_1, SONNET, """
                {%s,"max_tokens":100,%s,"tool_choice":{"type":"none"},
                 "messages":[{"role":"user","content":"use the tool"}]}""".formatted(VERSION, TOOLS)));
        assertEquals(List.of("text"), types(refused.get("content")));
        assertEquals("end_turn", refused.path("stop_reason").asText());
    }

    @Test
    void toolResultsAreAnsweredWithTheirText() throws Exception {
        JsonNode message = json(invoke(Protocol.HTTP1_1, SONNET, """
                {%s,"max_tokens":100,%s,"messages":[
                  {"role":"user","content":"What is the weather?"},
                  {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{}}]},
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1",
                    "content":[{"type":"text","text":"22 degrees"}]}]}]}""".formatted(VERSION, TOOLS)));

        assertEquals(REPLY + "tool said 22 degrees", message.at("/content/0/text").asText());
        assertEquals("end_turn", message.path("stop_reason").asText());
        assertEquals(6, message.at("/usage/input_tokens").asInt(), "4 words asked, 2 in the tool result");
    }

    /** The tool loop of extended thinking: the signed thinking block goes back with the tool result. */
    @Test
    void thinkingComesFirstAndItsSignatureMakesTheRoundTrip() throws Exception {
        String thinking = "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2000}";
        JsonNode first = json(invoke(Protocol.HTTP1_1, SONNET, """
                {%s,"max_tokens":4000,%s,%s,"messages":[{"role":"user","content":"Use the tool please"}]}"""
                .formatted(VERSION, thinking, TOOLS)));
        assertEquals(List.of("thinking", "tool_use"), types(first.get("content")));
        JsonNode thought = first.at("/content/0");
        assertEquals("Simulated thinking about: Use the tool please", thought.path("thinking").asText());
        assertFalse(thought.path("signature").asText().isEmpty());
        assertEquals("tool_use", first.path("stop_reason").asText());
        assertEquals(8, first.at("/usage/output_tokens").asInt(), "7 words of thinking, 1 of tool input");

        String loop = """
                {%s,"max_tokens":4000,%s,%s,"messages":[
                  {"role":"user","content":"Use the tool please"},
                  {"role":"assistant","content":%s},
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"%s","content":"22 degrees"}]}]}""";
        String toolUseId = first.at("/content/1/id").asText();
        JsonNode answer = json(invoke(Protocol.HTTP1_1, SONNET,
                loop.formatted(VERSION, thinking, TOOLS, first.get("content"), toolUseId)));
        assertEquals(List.of("thinking", "text"), types(answer.get("content")));
        assertEquals("Simulated thinking about: tool said 22 degrees", answer.at("/content/0/thinking").asText());
        assertEquals(REPLY + "tool said 22 degrees", answer.at("/content/1/text").asText());

        ArrayNode edited = first.get("content").deepCopy();
        ((ObjectNode) edited.get(0)).put("thinking", "Simulated thinking about: something else");
        String forged = refusal(SONNET, loop.formatted(VERSION, thinking, TOOLS, edited, toolUseId));
        assertEquals("messages.1.content.0: Invalid `signature` in `thinking` block", forged);

        ArrayNode withoutThinking = JSON.createArrayNode().add(first.at("/content/1"));
        String unthought = refusal(SONNET, loop.formatted(VERSION, thinking, TOOLS, withoutThinking, toolUseId));
        assertTrue(unthought.startsWith("messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, "
                + "but found `tool_use`."), unthought);
    }

    @Test
    void modelsTakeTheirOwnBetasThinkingAndFields() throws Exception {
        JsonNode adaptive = json(invoke(Protocol.HTTP1_1, OPUS_46, """
                {%s,"max_tokens":100,"anthropic_beta":["effort-2025-11-24","context-management-2025-06-27"],
                 "thinking":{"type":"adaptive"},"output_config":{"effort":"low"},
                 "context_management":{"edits":[{"type":"clear_tool_uses_20250919"}]},
                 "messages":[{"role":"user","content":"hi"}]}""".formatted(VERSION)));
        assertEquals(List.of("thinking", "text"), types(adaptive.get("content")));

        JsonNode longContext = json(invoke(Protocol.HTTP1_1, SONNET, """
                {%s,"max_tokens":100,"anthropic_beta":["context-1m-2025-08-07","interleaved-thinking-2025-05-14"],
                 "messages":[{"role":"user","content":"hi"}]}""".formatted(VERSION)));
        assertEquals("end_turn", longContext.path("stop_reason").asText());
    }

    @Test
    void invalidBodiesAreRefusedWithTheFieldNamed() {
        Map<String, String> refusals = new java.util.LinkedHashMap<>();
        refusals.put("messages.0.role: Input should be 'user' or 'assistant'", """
                {%s,"max_tokens":100,"messages":[{"role":"system","content":"Be kind"},
                  {"role":"user","content":"hi"}]}""".formatted(VERSION));
        refusals.put("model: Extra inputs are not permitted", """
                {%s,"max_tokens":100,"model":"claude","messages":[{"role":"user","content":"hi"}]}"""
                .formatted(VERSION));
        refusals.put("stream: Extra inputs are not permitted", """
                {%s,"max_tokens":100,"stream":true,"messages":[{"role":"user","content":"hi"}]}""".formatted(VERSION));
        refusals.put("invalid beta flag: prompt-caching-2024-07-31", """
                {%s,"max_tokens":100,"anthropic_beta":["prompt-caching-2024-07-31"],
                 "messages":[{"role":"user","content":"hi"}]}""".formatted(VERSION));
        refusals.put("thinking.type: adaptive thinking is not supported by " + SONNET, """
                {%s,"max_tokens":2000,"thinking":{"type":"adaptive"},
                 "messages":[{"role":"user","content":"hi"}]}""".formatted(VERSION));
        refusals.put("context_management: Extra inputs are not permitted", """
                {%s,"max_tokens":100,"context_management":{"edits":[]},
                 "messages":[{"role":"user","content":"hi"}]}""".formatted(VERSION));
        refusals.put("Invalid API version: 2023-06-01", """
                {"anthropic_version":"2023-06-01","max_tokens":100,"messages":[{"role":"user","content":"hi"}]}""");
        refusals.put("max_tokens: Field required", """
                {%s,"messages":[{"role":"user","content":"hi"}]}""".formatted(VERSION));
        refusals.put("messages.0.content.0.text: text content blocks must contain non-whitespace text", """
                {%s,"max_tokens":100,"messages":[{"role":"user","content":[{"type":"text","text":" \\n "}]}]}"""
                .formatted(VERSION));
        refusals.put("system.0.cache_control.ttl: Input should be '5m' or '1h'", """
                {%s,"max_tokens":100,"system":[{"type":"text","text":"Be kind",
                  "cache_control":{"type":"ephemeral","ttl":"10m"}}],
                 "messages":[{"role":"user","content":"hi"}]}""".formatted(VERSION));
        refusals.put("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024", """
                {%s,"max_tokens":4000,"thinking":{"type":"enabled","budget_tokens":500},
                 "messages":[{"role":"user","content":"hi"}]}""".formatted(VERSION));
        refusals.put("`max_tokens` must be greater than `thinking.budget_tokens`", """
                {%s,"max_tokens":2000,"thinking":{"type":"enabled","budget_tokens":2000},
                 "messages":[{"role":"user","content":"hi"}]}""".formatted(VERSION));
        refusals.put("Requests which include `tool_use` or `tool_result` blocks must define tools.", """
                {%s,"max_tokens":100,"messages":[{"role":"user","content":"hi"},
                  {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"f","input":{}}]},
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"ok"}]}]}"""
                .formatted(VERSION));
        refusals.forEach((expected, body) -> {
            String message = refusal(SONNET, body);
            assertTrue(message.startsWith(expected), expected + " <> " + message);
        });

        assertEquals("invalid beta flag: context-1m-2025-08-07", refusal(OPUS_46, """
                {%s,"max_tokens":100,"anthropic_beta":["context-1m-2025-08-07"],
                 "messages":[{"role":"user","content":"hi"}]}""".formatted(VERSION)));
        assertEquals("thinking: Extra inputs are not permitted", refusal(CLAUDE_3, """
                {%s,"max_tokens":4000,"thinking":{"type":"enabled","budget_tokens":2000},
                 "messages":[{"role":"user","content":"hi"}]}""".formatted(VERSION)));
    }

    @Test
    void directivesRefuseBeforeAnswering() {
        AccessDeniedException denied = assertInstanceOf(AccessDeniedException.class,
                failure(http1.invokeModel(r -> r.modelId(SONNET).body(SdkBytes.fromUtf8String(minimal("simulate:denied"))))));
        assertEquals(403, denied.statusCode());
    }

    // --- Prompt caching -----------------------------------------------------------------------------------------

    @Test
    void aCachedPrefixIsWrittenOnceThenRead() throws Exception {
        String body = """
                {%s,"max_tokens":100,"system":[{"type":"text","text":"%s You follow the house style guide closely",
                  "cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":"Hello"}]}"""
                .formatted(VERSION, UUID.randomUUID());

        InvokeModelResponse first = invoke(Protocol.HTTP1_1, SONNET, body);
        assertEquals(JSON.readTree("""
                {"input_tokens":1,"cache_creation_input_tokens":8,"cache_read_input_tokens":0,
                 "cache_creation":{"ephemeral_5m_input_tokens":8,"ephemeral_1h_input_tokens":0},"output_tokens":5}"""),
                json(first).get("usage"));
        assertEquals("1", header(first, "x-amzn-bedrock-input-token-count"));
        assertEquals("8", header(first, "x-amzn-bedrock-cache-write-input-token-count"));

        InvokeModelResponse second = invoke(Protocol.HTTP2, SONNET, body);
        assertEquals(JSON.readTree("""
                {"input_tokens":1,"cache_creation_input_tokens":0,"cache_read_input_tokens":8,
                 "cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":5}"""),
                json(second).get("usage"));
        assertEquals("8", header(second, "x-amzn-bedrock-cache-read-input-token-count"));
        assertEquals("0", header(second, "x-amzn-bedrock-cache-write-input-token-count"));
    }

    /** A conversation moves its breakpoint to its newest message; the next turn reads what the last one wrote. */
    @Test
    void aMovedBreakpointReadsThePreviousTurnsPrefixAndWritesTheRestByTtl() throws Exception {
        String system = """
                "system":[{"type":"text","text":"%s Answer in English","cache_control":{"type":"ephemeral","ttl":"1h"}}]"""
                .formatted(UUID.randomUUID());
        JsonNode first = json(invoke(Protocol.HTTP1_1, SONNET, """
                {%s,"max_tokens":100,%s,"messages":[{"role":"user","content":[{"type":"text",
                  "text":"first question here","cache_control":{"type":"ephemeral"}}]}]}""".formatted(VERSION, system)));
        assertEquals(JSON.readTree("""
                {"input_tokens":0,"cache_creation_input_tokens":7,"cache_read_input_tokens":0,
                 "cache_creation":{"ephemeral_5m_input_tokens":3,"ephemeral_1h_input_tokens":4}}"""),
                withoutOutput(first.get("usage")));

        JsonNode second = json(invoke(Protocol.HTTP1_1, SONNET, """
                {%s,"max_tokens":100,%s,"messages":[
                  {"role":"user","content":[{"type":"text","text":"first question here"}]},
                  {"role":"assistant","content":"first answer"},
                  {"role":"user","content":[{"type":"text","text":"second question",
                    "cache_control":{"type":"ephemeral","ttl":"5m"}}]}]}""".formatted(VERSION, system)));
        assertEquals(JSON.readTree("""
                {"input_tokens":0,"cache_creation_input_tokens":4,"cache_read_input_tokens":7,
                 "cache_creation":{"ephemeral_5m_input_tokens":4,"ephemeral_1h_input_tokens":0}}"""),
                withoutOutput(second.get("usage")));
    }

    // --- InvokeModelWithResponseStream ----------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void streamedTextComesAsAnthropicsEventsWithBedrocksMetricsAtTheEnd(Protocol protocol) throws Exception {
        String body = """
                {%s,"max_tokens":100,"system":"Be brief",
                 "messages":[{"role":"user","content":"Hello there simulator"}]}""".formatted(VERSION);
        JsonNode whole = json(invoke(protocol, SONNET, body));
        long started = System.nanoTime();
        Chunks stream = stream(protocol, SONNET, body);

        List<String> expected = new ArrayList<>(List.of("message_start", "content_block_start"));
        expected.addAll(Collections.nCopies(7, "content_block_delta"));
        expected.addAll(List.of("content_block_stop", "message_delta", "message_stop"));
        assertEquals(expected, stream.types());
        assertEquals("application/json", stream.contentType);
        assertTrue(stream.firstChunkNanos - started >= TimeUnit.MILLISECONDS.toNanos(LATENCY.toMillis()),
                "first chunk only after the configured latency");

        JsonNode start = stream.events.get(0).get("message");
        assertTrue(start.path("id").asText().startsWith("msg_bdrk_01"));
        assertEquals(SONNET_BASE, start.path("model").asText());
        assertEquals(0, start.get("content").size());
        assertTrue(start.get("stop_reason").isNull());
        assertEquals(JSON.readTree("""
                {"input_tokens":5,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}"""),
                start.get("usage"));
        assertEquals(text(""), stream.events.get(1).get("content_block"));
        assertEquals(whole.at("/content/0/text").asText(), stream.deltas(0, "text"));
        assertEquals(JSON.readTree("""
                {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},
                 "usage":{"output_tokens":7}}"""), stream.events.get(10));

        JsonNode metrics = stream.events.get(11).get("amazon-bedrock-invocationMetrics");
        assertEquals(5, metrics.path("inputTokenCount").asInt());
        assertEquals(7, metrics.path("outputTokenCount").asInt());
        assertTrue(metrics.path("firstByteLatency").asLong() >= LATENCY.toMillis(), metrics.toString());
        assertTrue(metrics.path("invocationLatency").asLong() >= metrics.path("firstByteLatency").asLong(),
                metrics.toString());
    }

    @Test
    void streamedThinkingAndToolCallMatchTheWholeAnswer() throws Exception {
        String body = """
                {%s,"max_tokens":4000,"thinking":{"type":"enabled","budget_tokens":2000},%s,
                 "messages":[{"role":"user","content":"Use the tool please"}]}""".formatted(VERSION, TOOLS);
        JsonNode whole = json(invoke(Protocol.HTTP1_1, SONNET, body));
        Chunks stream = stream(Protocol.HTTP2, SONNET, body);

        int fragments = (int) stream.events.stream()
                .filter(event -> event.at("/delta/type").asText().equals("input_json_delta")).count();
        assertTrue(fragments >= 2, "tool input in fragments: " + fragments);
        List<String> expected = new ArrayList<>(List.of("message_start", "content_block_start"));
        expected.addAll(Collections.nCopies(7 + 1, "content_block_delta"));
        expected.addAll(List.of("content_block_stop", "content_block_start"));
        expected.addAll(Collections.nCopies(fragments, "content_block_delta"));
        expected.addAll(List.of("content_block_stop", "message_delta", "message_stop"));
        assertEquals(expected, stream.types());

        assertEquals(JSON.readTree("{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}"),
                stream.events.get(1).get("content_block"));
        assertEquals(whole.at("/content/0/thinking").asText(), stream.deltas(0, "thinking"));
        List<JsonNode> signatures = stream.events.stream()
                .filter(event -> event.at("/delta/type").asText().equals("signature_delta")).toList();
        assertEquals(1, signatures.size());
        assertEquals(whole.at("/content/0/signature").asText(), signatures.get(0).at("/delta/signature").asText());

        JsonNode toolStart = stream.events.get(11).get("content_block");
        assertEquals("tool_use", toolStart.path("type").asText());
        assertTrue(toolStart.path("id").asText().startsWith("toolu_bdrk_01"));
        assertEquals("get_weather", toolStart.path("name").asText());
        assertEquals(JSON.createObjectNode(), toolStart.get("input"));
        assertEquals(JSON.readTree(WEATHER_INPUT), JSON.readTree(stream.deltas(1, "partial_json")));
        JsonNode messageDelta = stream.events.get(stream.events.size() - 2);
        assertEquals("tool_use", messageDelta.at("/delta/stop_reason").asText());
        assertEquals(8, messageDelta.at("/usage/output_tokens").asInt());
    }

    @Test
    void streamErrorsComeBeforeAnyChunk() {
        ThrottlingException throttled = assertInstanceOf(ThrottlingException.class,
                streamFailure(SONNET, minimal("please simulate:throttle")));
        assertEquals(429, throttled.statusCode());

        ValidationException invalid = assertInstanceOf(ValidationException.class, streamFailure(SONNET,
                "{\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        assertEquals("anthropic_version: Field required", invalid.awsErrorDetails().errorMessage());

        ValidationException notClaude = assertInstanceOf(ValidationException.class,
                streamFailure("meta.llama3-8b-instruct-v1:0", minimal("hi")));
        assertTrue(notClaude.awsErrorDetails().errorMessage().contains("only for Anthropic Claude"),
                notClaude.awsErrorDetails().errorMessage());
    }

    @Test
    void stalledStreamSendsItsFirstDeltaThenNothingUntilTheClientLeaves() throws Exception {
        int abandoned = simulator.abandoned();
        Chunks stream = new Chunks();
        CompletableFuture<Void> call = http2.invokeModelWithResponseStream(
                r -> r.modelId(SONNET).body(SdkBytes.fromUtf8String(minimal("wait simulate:stall"))), stream.handler());
        await(() -> stream.events.size() >= 3, "the first delta");
        Thread.sleep(300);

        assertEquals(List.of("message_start", "content_block_start", "content_block_delta"), stream.types());
        assertEquals("Simulated", stream.deltas(0, "text"));
        assertFalse(call.isDone(), "the stream ended");
        call.cancel(true);
        await(() -> simulator.abandoned() == abandoned + 1, "the simulator to count the stream abandoned");
    }

    @Test
    void endlessStreamRepeatsItsLastBlocksDeltasUntilTheClientLeaves() throws Exception {
        int abandoned = simulator.abandoned();
        Chunks stream = new Chunks();
        CompletableFuture<Void> call = http1.invokeModelWithResponseStream(
                r -> r.modelId(SONNET).body(SdkBytes.fromUtf8String(minimal("go on simulate:endless"))),
                stream.handler());
        await(() -> stream.events.size() >= 2 + 10, "more deltas than the reply has words");

        assertTrue(stream.deltas(0, "text").startsWith(REPLY + "go on simulate:endless Simulated reply from"),
                stream.deltas(0, "text"));
        assertEquals(List.of("message_start", "content_block_start", "content_block_delta"),
                stream.types().stream().distinct().toList());
        assertFalse(call.isDone(), "the stream ended");
        call.cancel(true);
        await(() -> simulator.abandoned() == abandoned + 1, "the simulator to count the stream abandoned");
    }

    /** The SDK hides the padding, so the frame is decoded by hand. */
    @Test
    void chunksCarryTheEventInBytesAndBedrocksPadding() throws Exception {
        ObjectNode event = JSON.createObjectNode().put("type", "content_block_delta").put("index", 0);
        event.putObject("delta").put("type", "text_delta").put("text", " hi");
        BedrockSimulator.Frame frame = BedrockSimulator.chunkFrame(event);
        Message message = Message.decode(ByteBuffer.wrap(frame.bytes().getBytes()));
        JsonNode payload = JSON.readTree(message.getPayload());

        assertEquals("chunk", message.getHeaders().get(":event-type").getString());
        assertEquals("event", message.getHeaders().get(":message-type").getString());
        assertEquals(event, JSON.readTree(Base64.getDecoder().decode(payload.path("bytes").asText())));
        String padding = payload.path("p").asText();
        assertFalse(padding.isEmpty());
        assertTrue("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".startsWith(padding), padding);
        assertTrue(frame.delta());
    }

    // --- CountTokens --------------------------------------------------------------------------------------------

    @Test
    void countTokensEqualsTheInputTokensInvokeReports() throws Exception {
        String body = """
                {%s,"max_tokens":100,"system":[{"type":"text","text":"%s Keep answers short and plain",
                  "cache_control":{"type":"ephemeral"}}],%s,
                 "messages":[{"role":"user","content":"What is the weather?"},
                  {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{}}]},
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"warm and dry"}]}]}"""
                .formatted(VERSION, UUID.randomUUID(), TOOLS);
        int counted = countTokens(SONNET_BASE, CountTokensInput.fromInvokeModel(r -> r.body(SdkBytes.fromUtf8String(body))));
        assertEquals(6 + 4 + 3, counted);

        for (int call = 0; call < 2; call++) {
            JsonNode usage = json(invoke(Protocol.HTTP1_1, SONNET, body)).get("usage");
            assertEquals(counted, usage.path("input_tokens").asInt() + usage.path("cache_creation_input_tokens").asInt()
                    + usage.path("cache_read_input_tokens").asInt(), usage.toString());
        }
    }

    @Test
    void countTokensForAConverseRequestEqualsConversesInputTokens() throws Exception {
        software.amazon.awssdk.services.bedrockruntime.model.Message hello =
                software.amazon.awssdk.services.bedrockruntime.model.Message.builder().role(ConversationRole.USER)
                        .content(ContentBlock.fromText("Hello there simulator")).build();
        ConverseResponse converse = http1.converse(r -> r.modelId(SONNET_BASE).messages(hello)
                .system(SystemContentBlock.fromText("Be brief"))).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

        int counted = countTokens(SONNET_BASE, CountTokensInput.fromConverse(r -> r.messages(hello)
                .system(SystemContentBlock.fromText("Be brief"))));
        assertEquals(converse.usage().inputTokens(), counted);
        assertEquals(5, counted);
    }

    @Test
    void countTokensTakesClaudeFoundationModelsAndValidBodiesOnly() {
        CountTokensInput input = CountTokensInput.fromInvokeModel(r -> r.body(SdkBytes.fromUtf8String(minimal("hi"))));
        for (String profile : List.of(SONNET, "arn:aws:bedrock:us-east-1:123456789012:inference-profile/" + SONNET)) {
            assertEquals("The provided model identifier is invalid.", countRefusal(profile, input));
        }
        assertEquals("The provided model doesn't support counting tokens.",
                countRefusal("amazon.titan-embed-text-v2:0", input));
        assertEquals("model: Extra inputs are not permitted", countRefusal(SONNET_BASE,
                CountTokensInput.fromInvokeModel(r -> r.body(SdkBytes.fromUtf8String(
                        "{" + VERSION + ",\"model\":\"x\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\","
                                + "\"content\":\"hi\"}]}")))));

        assertInstanceOf(ThrottlingException.class, failure(http1.countTokens(r -> r.modelId(SONNET_BASE)
                .input(CountTokensInput.fromInvokeModel(b -> b.body(SdkBytes.fromUtf8String(
                        minimal("simulate:throttle"))))))));
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    private static String minimal(String prompt) {
        return "{" + VERSION + ",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
    }

    private InvokeModelResponse invoke(Protocol protocol, String modelId, String body) throws Exception {
        return (protocol == Protocol.HTTP2 ? http2 : http1)
                .invokeModel(r -> r.modelId(modelId).contentType("application/json").accept("application/json")
                        .body(SdkBytes.fromUtf8String(body)))
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private String refusal(String modelId, String body) {
        ValidationException validation = assertInstanceOf(ValidationException.class,
                failure(http1.invokeModel(r -> r.modelId(modelId).body(SdkBytes.fromUtf8String(body)))));
        assertEquals(400, validation.statusCode());
        return validation.awsErrorDetails().errorMessage();
    }

    private int countTokens(String modelId, CountTokensInput input) throws Exception {
        CountTokensResponse response = http1.countTokens(r -> r.modelId(modelId).input(input))
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return response.inputTokens();
    }

    private String countRefusal(String modelId, CountTokensInput input) {
        ValidationException validation = assertInstanceOf(ValidationException.class,
                failure(http1.countTokens(r -> r.modelId(modelId).input(input))));
        return validation.awsErrorDetails().errorMessage();
    }

    private Chunks stream(Protocol protocol, String modelId, String body) throws Exception {
        Chunks chunks = new Chunks();
        (protocol == Protocol.HTTP2 ? http2 : http1)
                .invokeModelWithResponseStream(r -> r.modelId(modelId).body(SdkBytes.fromUtf8String(body)),
                        chunks.handler())
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return chunks;
    }

    private Throwable streamFailure(String modelId, String body) {
        Chunks chunks = new Chunks();
        Throwable failure = failure(http2.invokeModelWithResponseStream(
                r -> r.modelId(modelId).body(SdkBytes.fromUtf8String(body)), chunks.handler()));
        assertEquals(List.of(), chunks.events);
        return failure;
    }

    private static Throwable failure(CompletableFuture<?> future) {
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertInstanceOf(BedrockRuntimeException.class, failed.getCause());
        return failed.getCause();
    }

    private static JsonNode json(InvokeModelResponse response) throws Exception {
        return JSON.readTree(response.body().asByteArray());
    }

    private static String header(InvokeModelResponse response, String name) {
        return response.sdkHttpResponse().firstMatchingHeader(name).orElseThrow(() -> new AssertionError(name));
    }

    private static ObjectNode text(String text) {
        return JSON.createObjectNode().put("type", "text").put("text", text);
    }

    private static List<String> types(JsonNode blocks) {
        List<String> types = new ArrayList<>();
        blocks.forEach(block -> types.add(block.path("type").asText()));
        return types;
    }

    private static JsonNode withoutOutput(JsonNode usage) {
        ObjectNode copy = usage.deepCopy();
        copy.remove("output_tokens");
        return copy;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "waited in vain for " + what);
            Thread.sleep(10);
        }
    }

    /** Collects the Anthropic events of an InvokeModelWithResponseStream, decoded from each PayloadPart's bytes. */
    private static final class Chunks {
        final List<JsonNode> events = Collections.synchronizedList(new ArrayList<>());
        volatile String contentType;
        volatile long firstChunkNanos;

        InvokeModelWithResponseStreamResponseHandler handler() {
            Consumer<software.amazon.awssdk.services.bedrockruntime.model.PayloadPart> onChunk = part -> {
                if (events.isEmpty()) {
                    firstChunkNanos = System.nanoTime();
                }
                events.add(read(part.bytes().asByteArray()));
            };
            return InvokeModelWithResponseStreamResponseHandler.builder()
                    .onResponse(response -> contentType = response.contentType())
                    .subscriber(InvokeModelWithResponseStreamResponseHandler.Visitor.builder()
                            .onChunk(onChunk)
                            .onDefault(other -> events.add(JSON.createObjectNode().put("type", "unknown " + other)))
                            .build())
                    .build();
        }

        List<String> types() {
            synchronized (events) {
                return events.stream().map(event -> event.path("type").asText()).toList();
            }
        }

        /** The {@code field} of every delta of the block at {@code index}, joined. */
        String deltas(int index, String field) {
            StringBuilder joined = new StringBuilder();
            synchronized (events) {
                events.stream()
                        .filter(event -> event.path("type").asText().equals("content_block_delta"))
                        .filter(event -> event.path("index").asInt() == index)
                        .forEach(event -> joined.append(event.path("delta").path(field).asText("")));
            }
            return joined.toString();
        }

        private static JsonNode read(byte[] bytes) {
            try {
                return JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
            } catch (Exception e) {
                throw new AssertionError("chunk bytes are not JSON", e);
            }
        }
    }
}
