package dev.bedrockgateway.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.ProtocolNegotiation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentSource;
import software.amazon.awssdk.services.bedrockruntime.model.InternalServerException;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningTextBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlockStart;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/** Drives the simulator with the real Bedrock Runtime SDK client, over HTTP/1.1 and over h2c. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(20)
class BedrockSimulatorTest {

    private static final String CLAUDE = "anthropic.claude-3-sonnet-20240229-v1:0";
    private static final String PREFIX = "Simulated reply from " + CLAUDE + ": ";
    /** A Claude model that takes extended thinking. */
    private static final String THINKER = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    private static final Duration LATENCY = Duration.ofMillis(30);
    private static final long TIMEOUT_SECONDS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TLS = Path.of("src/test/resources/tls");
    private static final char[] PASSWORD = "changeit".toCharArray();

    private Vertx vertx;
    private BedrockSimulator simulator;
    private URI endpoint;
    private final Map<Protocol, BedrockRuntimeAsyncClient> clients = new EnumMap<>(Protocol.class);

    @BeforeAll
    void start() {
        vertx = Vertx.vertx();
        simulator = new BedrockSimulator(vertx, 0, LATENCY);
        endpoint = simulator.start();
        for (Protocol protocol : Protocol.values()) {
            clients.put(protocol, client(protocol, endpoint));
        }
    }

    @AfterAll
    void stop() throws Exception {
        clients.values().forEach(BedrockRuntimeAsyncClient::close);
        simulator.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private static BedrockRuntimeAsyncClient client(Protocol protocol, URI endpoint) {
        return client(NettyNioAsyncHttpClient.builder().protocol(protocol), endpoint);
    }

    private static BedrockRuntimeAsyncClient client(NettyNioAsyncHttpClient.Builder http, URI endpoint) {
        return BedrockRuntimeAsyncClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDSIMULATOR", "simulator-secret")))
                .httpClientBuilder(http)
                // Error tests must see the first answer, not the outcome of retries.
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    // --- Converse ---------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void converseEchoesTheLastUserTurnAndCountsWords(Protocol protocol) throws Exception {
        ConverseResponse response = converse(protocol, r -> r
                .system(SystemContentBlock.fromText("Be brief"))
                .messages(user("Hello there simulator")));

        assertEquals(PREFIX + "Hello there simulator", text(response));
        assertEquals(ConversationRole.ASSISTANT, response.output().message().role());
        assertEquals(StopReason.END_TURN, response.stopReason());
        assertEquals(5, response.usage().inputTokens());
        assertEquals(7, response.usage().outputTokens());
        assertEquals(12, response.usage().totalTokens());
        assertTrue(response.metrics().latencyMs() >= LATENCY.toMillis(), "latency " + response.metrics());
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void documentsAreEchoedWhereTheyStandInTheTurn(Protocol protocol) throws Exception {
        ConverseResponse response = converse(protocol, r -> r.messages(Message.builder().role(ConversationRole.USER)
                .content(ContentBlock.fromText("Compare"), document("Q3 report (final)", "pdf", 1234),
                        ContentBlock.fromText("with"), document("figures", "csv", 20))
                .build()));

        assertEquals(PREFIX + "Compare [document Q3 report (final): pdf, 1234 bytes] with [document figures: csv, 20"
                + " bytes]", text(response));
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void documentNamesAndFormatsAreCheckedAsBedrockChecksThem(Protocol protocol) {
        assertValidation(protocol, "Messages can't contain duplicate document names", r -> r.messages(
                Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText("a"),
                        document("report", "pdf", 4)).build(),
                Message.builder().role(ConversationRole.ASSISTANT).content(ContentBlock.fromText("b")).build(),
                Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText("c"),
                        document("report", "txt", 4)).build()));
        for (String name : List.of("report.pdf", "two  spaces", "under_score", "caf\u00e9")) {
            assertValidation(protocol, "The document file name can only contain alphanumeric characters",
                    r -> r.messages(Message.builder().role(ConversationRole.USER)
                            .content(ContentBlock.fromText("a"), document(name, "pdf", 4)).build()));
        }
        assertValidation(protocol, "Member must satisfy enum value set", r -> r.messages(Message.builder()
                .role(ConversationRole.USER).content(ContentBlock.fromText("a"), document("notes", "rtf", 4)).build()));
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void maxTokensCutsTheReply(Protocol protocol) throws Exception {
        ConverseResponse response = converse(protocol, r -> r
                .messages(user("one two three"))
                .inferenceConfig(c -> c.maxTokens(3)));

        assertEquals("Simulated reply from", text(response));
        assertEquals(StopReason.MAX_TOKENS, response.stopReason());
        assertEquals(3, response.usage().outputTokens());
    }

    @Test
    void stopSequenceCutsBeforeItsFirstOccurrence() throws Exception {
        ConverseResponse response = converse(Protocol.HTTP1_1, r -> r
                .messages(user("alpha beta STOP gamma"))
                .inferenceConfig(c -> c.stopSequences("never", "STOP")));

        assertEquals(PREFIX + "alpha beta", text(response));
        assertEquals(StopReason.STOP_SEQUENCE, response.stopReason());
        assertEquals(6, response.usage().outputTokens());
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void toolChoiceAnyCallsTheToolWithInputFromItsSchema(Protocol protocol) throws Exception {
        ConverseResponse response = converse(protocol, r -> r
                .messages(user("What is the weather?"))
                .toolConfig(weatherTools(ToolChoice.fromAny(a -> { }))));

        assertEquals(StopReason.TOOL_USE, response.stopReason());
        List<ContentBlock> content = response.output().message().content();
        assertEquals(1, content.size());
        ToolUseBlock toolUse = content.get(0).toolUse();
        assertEquals("get_weather", toolUse.name());
        assertTrue(toolUse.toolUseId().matches("tooluse_[A-Za-z0-9_-]{22}"), toolUse.toolUseId());
        Map<String, Document> input = toolUse.input().asMap();
        assertEquals(Set.of("city", "days", "metric", "unit"), input.keySet());
        assertEquals("example", input.get("city").asString());
        assertEquals(1, input.get("days").asNumber().intValue());
        assertTrue(input.get("metric").asBoolean());
        assertEquals("celsius", input.get("unit").asString());
    }

    @Test
    void namedToolChoiceCallsThatTool() throws Exception {
        ConverseResponse response = converse(Protocol.HTTP2, r -> r
                .messages(user("Anything"))
                .toolConfig(weatherTools(ToolChoice.fromTool(t -> t.name("get_time")))));

        ToolUseBlock toolUse = response.output().message().content().get(0).toolUse();
        assertEquals("get_time", toolUse.name());
        assertEquals(Map.of("zone", Document.fromString("example")), toolUse.input().asMap());
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void toolResultIsAnsweredWithItsText(Protocol protocol) throws Exception {
        ConverseResponse response = converse(protocol, r -> r
                .messages(user("What is the weather?"), assistantToolUse("tooluse_1"),
                        toolResult("tooluse_1", "22 degrees"))
                .toolConfig(weatherTools(ToolChoice.fromAuto(a -> { }))));

        assertEquals(PREFIX + "tool said 22 degrees", text(response));
        assertEquals(StopReason.END_TURN, response.stopReason());
    }

    @Test
    void modelArnIsDecodedFromThePath() throws Exception {
        String arn = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-v1:0";
        ConverseResponse response = clients.get(Protocol.HTTP1_1)
                .converse(ConverseRequest.builder().modelId(arn).messages(user("hi")).build())
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

        assertEquals("Simulated reply from " + arn + ": hi", text(response));
    }

    // --- ConverseStream ---------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void streamedTextReassemblesToTheConverseReply(Protocol protocol) throws Exception {
        Consumer<ConverseRequest.Builder> request = r -> r
                .system(SystemContentBlock.fromText("Be brief"))
                .messages(user("Hello there\nsimulator"));
        ConverseResponse whole = converse(protocol, request);
        long started = System.nanoTime();
        StreamRecorder stream = converseStream(protocol, streamRequest(request));

        assertEquals(text(whole), stream.text.get(0).toString());
        assertEquals(7, stream.deltaCount.get(0), "one delta per word");
        assertEquals("messageStart", stream.events.get(0));
        assertEquals(List.of("contentBlockStop", "messageStop", "metadata"),
                stream.events.subList(stream.events.size() - 3, stream.events.size()));
        assertEquals(StopReason.END_TURN, stream.stopReason);
        assertEquals(whole.usage(), stream.metadata.usage());
        assertTrue(stream.firstEventNanos - started >= TimeUnit.MILLISECONDS.toNanos(LATENCY.toMillis()),
                "first frame only after the configured latency");
        assertEquals(List.of(), stream.unknown);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void streamedToolInputFragmentsReassembleToJson(Protocol protocol) throws Exception {
        StreamRecorder stream = converseStream(protocol, streamRequest(r -> r
                .messages(user("What is the weather?"))
                .toolConfig(weatherTools(ToolChoice.fromAny(a -> { })))));

        ToolUseBlockStart start = stream.toolStarts.get(0);
        assertEquals("get_weather", start.name());
        assertTrue(start.toolUseId().startsWith("tooluse_"));
        assertTrue(stream.deltaCount.get(0) >= 2, "input split into fragments");
        JsonNode input = JSON.readTree(stream.toolInput.get(0).toString());
        assertEquals(JSON.readTree("{\"city\":\"example\",\"days\":1,\"metric\":true,\"unit\":\"celsius\"}"), input);
        assertEquals(List.of(0), stream.stops);
        assertEquals(StopReason.TOOL_USE, stream.stopReason);
        assertTrue(stream.metadata.usage().outputTokens() > 0);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void explainingBeforeAToolGivesATextBlockThenAToolBlock(Protocol protocol) throws Exception {
        StreamRecorder stream = converseStream(protocol, streamRequest(r -> r
                .messages(user("Please explain, then use the tool"))
                .toolConfig(weatherTools(ToolChoice.fromAuto(a -> { })))));

        assertEquals(PREFIX + "Please explain, then use the tool", stream.text.get(0).toString());
        assertEquals(Set.of(1), stream.toolStarts.keySet());
        assertEquals("get_weather", stream.toolStarts.get(1).name());
        assertEquals("celsius", JSON.readTree(stream.toolInput.get(1).toString()).path("unit").asText());
        assertEquals(List.of(0, 1), stream.stops);
        assertEquals(StopReason.TOOL_USE, stream.stopReason);
    }

    // --- Extended thinking (Converse on Claude) ---------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void thinkingClaudeStartsItsReplyWithSignedReasoning(Protocol protocol) throws Exception {
        ConverseResponse response = converse(protocol, r -> r.modelId(THINKER)
                .messages(user("Plan my day"))
                .inferenceConfig(c -> c.maxTokens(2000))
                .additionalModelRequestFields(thinking(1024)));

        List<ContentBlock> content = response.output().message().content();
        assertEquals(2, content.size());
        ReasoningTextBlock reasoning = content.get(0).reasoningContent().reasoningText();
        assertEquals("Simulated thinking about: Plan my day", reasoning.text());
        assertTrue(ThinkingSignatures.verify(reasoning.text(), reasoning.signature()), reasoning.signature());
        assertEquals("Simulated reply from " + THINKER + ": Plan my day", content.get(1).text());
        assertEquals(StopReason.END_TURN, response.stopReason());
        assertEquals(6 + 7, response.usage().outputTokens(), "the thinking's words count too");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void streamedReasoningIsTextDeltasThenASignatureDeltaBeforeTheTextBlock(Protocol protocol) throws Exception {
        Consumer<ConverseRequest.Builder> request = r -> r.modelId(THINKER)
                .messages(user("Plan my day"))
                .additionalModelRequestFields(thinking(1024));
        ConverseResponse whole = converse(protocol, request);
        StreamRecorder stream = converseStream(protocol, streamRequest(request));

        ReasoningTextBlock reasoning = whole.output().message().content().get(0).reasoningContent().reasoningText();
        assertEquals(reasoning.text(), stream.reasoning.get(0).toString());
        assertEquals(List.of(reasoning.signature()), stream.signatures.get(0));
        assertEquals(6 + 1, stream.deltaCount.get(0), "a delta per word, then the signature's");
        assertEquals(List.of("messageStart", "contentBlockDelta", "contentBlockDelta"), stream.events.subList(0, 3));
        int firstStop = stream.events.indexOf("contentBlockStop");
        assertEquals(1 + 7, firstStop, "the reasoning block ends after its signature");
        assertEquals(List.of(0, 1), stream.stops);
        assertEquals(whole.output().message().content().get(1).text(), stream.text.get(1).toString());
        assertEquals(whole.usage(), stream.metadata.usage());
        assertEquals(List.of(), stream.unknown);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void toolLoopWithThinkingNeedsTheSignedReasoningBack(Protocol protocol) throws Exception {
        ConverseResponse call = converse(protocol, r -> r.modelId(THINKER)
                .messages(user("What is the weather? Use the tool"))
                .toolConfig(weatherTools(ToolChoice.fromAuto(a -> { })))
                .additionalModelRequestFields(thinking(1024)));
        List<ContentBlock> content = call.output().message().content();
        assertEquals(StopReason.TOOL_USE, call.stopReason());
        assertEquals("Simulated thinking about: What is the weather? Use the tool",
                content.get(0).reasoningContent().reasoningText().text());
        ToolUseBlock toolUse = content.get(1).toolUse();
        Message toolResult = toolResult(toolUse.toolUseId(), "22 degrees");

        ConverseResponse answer = converse(protocol, toolLoop(call.output().message(), toolResult));
        assertEquals("Simulated thinking about: tool said 22 degrees",
                answer.output().message().content().get(0).reasoningContent().reasoningText().text());
        assertEquals("Simulated reply from " + THINKER + ": tool said 22 degrees", text(answer));

        Message dropped = call.output().message().toBuilder().content(content.get(1)).build();
        assertValidation(protocol, "messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but found "
                + "`tool_use`. When `thinking` is enabled, a final `assistant` message must start with a thinking "
                + "block", toolLoop(dropped, toolResult));

        ReasoningTextBlock signed = content.get(0).reasoningContent().reasoningText();
        Message tampered = call.output().message().toBuilder().content(
                ContentBlock.fromReasoningContent(ReasoningContentBlock.fromReasoningText(
                        signed.toBuilder().text(signed.text() + " and more").build())),
                content.get(1)).build();
        assertValidation(protocol, "messages.1.content.0: Invalid `signature` in `thinking` block",
                toolLoop(tampered, toolResult));
    }

    @Test
    void thinkingIsValidatedAsBedrockValidatesIt() {
        assertValidation(Protocol.HTTP1_1, "thinking.enabled.budget_tokens: Input should be greater than or equal "
                + "to 1024", r -> r.modelId(THINKER).messages(user("hi")).additionalModelRequestFields(thinking(1000)));
        assertValidation(Protocol.HTTP1_1, "`max_tokens` must be greater than `thinking.budget_tokens`",
                r -> r.modelId(THINKER).messages(user("hi")).inferenceConfig(c -> c.maxTokens(2000))
                        .additionalModelRequestFields(thinking(2000)));
        assertValidation(Protocol.HTTP1_1, "thinking: Extra inputs are not permitted",
                r -> r.messages(user("hi")).additionalModelRequestFields(thinking(1024)));
    }

    @Test
    void otherModelsIgnoreThinkingFields() throws Exception {
        ConverseResponse response = converse(Protocol.HTTP1_1, r -> r.modelId("amazon.nova-lite-v1:0")
                .messages(user("hi"))
                .additionalModelRequestFields(thinking(1024)));

        assertEquals(1, response.output().message().content().size());
        assertEquals("Simulated reply from amazon.nova-lite-v1:0: hi", text(response));
    }

    // --- Errors -----------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void invalidConversationsAreValidationExceptions(Protocol protocol) {
        assertValidation(protocol, "alternate between user and assistant roles", r -> r.messages(user("a"), user("b")));
        assertValidation(protocol, "must start with a user message",
                r -> r.messages(Message.builder().role(ConversationRole.ASSISTANT).content(ContentBlock.fromText("a"))
                        .build(), user("b")));
        assertValidation(protocol, "messages.0.content.0 is blank", r -> r.messages(user("  \n ")));
        assertValidation(protocol, "toolConfig field must be defined",
                r -> r.messages(user("a"), assistantToolUse("tooluse_1"), toolResult("tooluse_1", "done")));
    }

    @Test
    void streamValidationFailsBeforeAnyFrame() {
        Throwable failure = streamFailure(Protocol.HTTP2, r -> r.messages(user("a"), user("b")));
        ValidationException validation = assertInstanceOf(ValidationException.class, failure);
        assertEquals(400, validation.statusCode());
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void simulateMarkersProduceServiceErrors(Protocol protocol) {
        ThrottlingException throttled = assertInstanceOf(ThrottlingException.class,
                failure(clients.get(protocol).converse(request(r -> r.messages(user("please simulate:throttle"))))));
        assertEquals(429, throttled.statusCode());
        assertEquals("Too many requests, please wait before trying again.", throttled.awsErrorDetails().errorMessage());

        InternalServerException internal = assertInstanceOf(InternalServerException.class,
                streamFailure(protocol, r -> r.messages(user("simulate:error now"))));
        assertEquals(500, internal.statusCode());

        AccessDeniedException denied = assertInstanceOf(AccessDeniedException.class,
                failure(clients.get(protocol).converse(request(r -> r.messages(user("simulate:denied"))))));
        assertEquals(403, denied.statusCode());

        ServiceUnavailableException unavailable = assertInstanceOf(ServiceUnavailableException.class,
                failure(clients.get(protocol).converse(request(r -> r.messages(user("simulate:unavailable"))))));
        assertEquals(503, unavailable.statusCode());
    }

    @Test
    void unsignedRequestsAreRejected() throws Exception {
        HttpResponse<String> unsigned = post("/model/" + encoded(CLAUDE) + "/converse", Map.of(), minimalConverse());
        assertEquals(403, unsigned.statusCode());
        assertEquals("UnrecognizedClientException", unsigned.headers().firstValue("x-amzn-ErrorType").orElseThrow());
        assertEquals("application/json", unsigned.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("Missing Authentication Token", JSON.readTree(unsigned.body()).path("message").asText());

        Map<String, String> undated = Map.of("Authorization", authorization());
        HttpResponse<String> noDate = post("/model/" + encoded(CLAUDE) + "/converse", undated, minimalConverse());
        assertEquals(403, noDate.statusCode());
        assertEquals("IncompleteSignatureException", noDate.headers().firstValue("x-amzn-ErrorType").orElseThrow());
    }

    @Test
    void unknownRoutesAre404InTheAwsErrorShape() throws Exception {
        HttpResponse<String> response = post("/model/" + encoded(CLAUDE) + "/invoke-agent", signedHeaders(), "{}");
        assertEquals(404, response.statusCode());
        assertEquals("UnknownOperationException", response.headers().firstValue("x-amzn-ErrorType").orElseThrow());
        assertTrue(JSON.readTree(response.body()).path("message").asText().contains("/invoke-agent"));
    }

    /**
     * A raw socket declares the oversized length without sending the body; the JDK 17 HttpClient would have to
     * upload it, or hang on an expect-continue answered with a final status.
     */
    @Test
    void bodiesOverTwentyMegabytesAreRefusedFromTheirDeclaredLength() throws Exception {
        try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            StringBuilder head = new StringBuilder("POST /model/" + encoded(CLAUDE) + "/converse HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1\r\nContent-Type: application/json\r\n")
                    .append("Content-Length: ").append(BedrockSimulator.MAX_BODY_BYTES + 1).append("\r\n");
            signedHeaders().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            socket.getOutputStream().write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertTrue(response.startsWith("HTTP/1.1 413 "), response);
            // Exact case on purpose: upper-case header names are invalid in HTTP/2 and strict h2 clients reject them.
            assertTrue(response.contains("\r\nx-amzn-errortype: ValidationException\r\n"), response);
            assertTrue(response.contains("exceeds the 20 MB limit"), response);
        }
    }

    // --- InvokeModel (embeddings) -----------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void titanV2EmbeddingsHaveTheRequestedSizeAreNormalizedAndDeterministic(Protocol protocol) throws Exception {
        String body = "{\"inputText\":\"hello embedding world\",\"dimensions\":256}";
        JsonNode first = invoke(protocol, "us.amazon.titan-embed-text-v2:0", body);
        JsonNode second = invoke(protocol, "amazon.titan-embed-text-v2:0", body);
        JsonNode other = invoke(protocol, "amazon.titan-embed-text-v2:0", "{\"inputText\":\"something else\"}");

        JsonNode embedding = first.path("embedding");
        assertEquals(256, embedding.size());
        assertEquals(1.0, norm(embedding), 1e-4);
        assertEquals(3, first.path("inputTextTokenCount").asInt());
        assertEquals(embedding, second.path("embedding"));
        assertEquals(1024, other.path("embedding").size());
        assertNotEquals(embedding.get(0), other.path("embedding").get(0));
    }

    @Test
    void titanV2WithoutNormalizationIsNotUnitLength() throws Exception {
        JsonNode response = invoke(Protocol.HTTP1_1, "amazon.titan-embed-text-v2:0",
                "{\"inputText\":\"raw\",\"dimensions\":512,\"normalize\":false}");
        assertEquals(512, response.path("embedding").size());
        assertTrue(Math.abs(norm(response.path("embedding")) - 1.0) > 0.5);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void cohereV3EmbedsEveryTextOfTheBatch(Protocol protocol) throws Exception {
        JsonNode response = invoke(protocol, "cohere.embed-english-v3",
                "{\"texts\":[\"first text\",\"second text\"],\"input_type\":\"search_document\"}");

        assertEquals("embeddings_floats", response.path("response_type").asText());
        assertEquals(2, response.path("embeddings").size());
        assertEquals(1024, response.path("embeddings").get(0).size());
        assertEquals(1.0, norm(response.path("embeddings").get(1)), 1e-4);
        assertNotEquals(response.path("embeddings").get(0), response.path("embeddings").get(1));
        assertEquals("second text", response.path("texts").get(1).asText());
        assertFalse(response.path("id").asText().isEmpty());
    }

    @Test
    void cohereV4AnswersByTypeWithTheRequestedDimension() throws Exception {
        String body = "{\"texts\":[\"same text\"],\"input_type\":\"search_query\",\"output_dimension\":512}";
        JsonNode response = invoke(Protocol.HTTP2, "cohere.embed-v4:0", body);

        assertEquals("embeddings_by_type", response.path("response_type").asText());
        assertEquals(512, response.path("embeddings").path("float").get(0).size());
        assertEquals(response.path("embeddings").path("float"),
                invoke(Protocol.HTTP2, "cohere.embed-v4:0", body).path("embeddings").path("float"));
    }

    /** Regression: the simulator had no Nova embeddings, which the gateway maps (so dev mode could not serve them). */
    @ParameterizedTest
    @EnumSource(Protocol.class)
    void novaEmbedsItsOneTextWithTheRequestedDimension(Protocol protocol) throws Exception {
        String body = "{\"schemaVersion\":\"nova-multimodal-embed-v1\",\"taskType\":\"SINGLE_EMBEDDING\","
                + "\"singleEmbeddingParams\":{\"embeddingPurpose\":\"GENERIC_INDEX\",\"embeddingDimension\":384,"
                + "\"text\":{\"truncationMode\":\"NONE\",\"value\":\"nova text\"}}}";
        JsonNode response = invoke(protocol, "us.amazon.nova-2-multimodal-embeddings-v1:0", body);

        JsonNode entry = response.path("embeddings").get(0);
        assertEquals(1, response.path("embeddings").size());
        assertEquals("TEXT", entry.path("embeddingType").asText());
        assertEquals(384, entry.path("embedding").size());
        assertEquals(1.0, norm(entry.path("embedding")), 1e-4);
        assertEquals(entry.path("embedding"), invoke(protocol, "amazon.nova-2-multimodal-embeddings-v1:0", body)
                .path("embeddings").get(0).path("embedding"));

        String dimension = invokeValidationMessage("amazon.nova-2-multimodal-embeddings-v1:0",
                body.replace("384", "300"));
        assertTrue(dimension.contains("embeddingDimension: 300 is not a valid enum value"), dimension);
    }

    @Test
    void invokeRejectsOtherChatModelsAndBadEmbeddingParameters() {
        String chat = invokeValidationMessage("meta.llama3-8b-instruct-v1:0", "{\"inputText\":\"hi\"}");
        assertTrue(chat.contains("only for Anthropic Claude and the Titan, Cohere and Nova embedding models"), chat);

        String dimensions =
                invokeValidationMessage("amazon.titan-embed-text-v2:0", "{\"inputText\":\"hi\",\"dimensions\":300}");
        assertTrue(dimensions.contains("#/dimensions: 300 is not a valid enum value"), dimensions);
    }

    // --- Directives ---------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void latencyDirectiveDelaysTheAnswerAndTheFirstFrame(Protocol protocol) throws Exception {
        long started = System.nanoTime();
        ConverseResponse response = converse(protocol, r -> r.messages(user("slowly simulate:latency-ms=400")));
        assertTrue(millisSince(started) >= 400, "answered after " + millisSince(started) + " ms");
        assertTrue(response.metrics().latencyMs() >= 400, "latency " + response.metrics());
        assertEquals(PREFIX + "slowly simulate:latency-ms=400", text(response));

        started = System.nanoTime();
        StreamRecorder stream = converseStream(protocol,
                streamRequest(r -> r.messages(user("slowly simulate:latency-ms=400"))));
        assertTrue(stream.firstEventNanos - started >= TimeUnit.MILLISECONDS.toNanos(400),
                "first frame after " + TimeUnit.NANOSECONDS.toMillis(stream.firstEventNanos - started) + " ms");
        assertEquals(StopReason.END_TURN, stream.stopReason);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void gapDirectiveSlowsTheStreamsDeltas(Protocol protocol) throws Exception {
        StreamRecorder stream = converseStream(protocol,
                streamRequest(r -> r.messages(user("one two three simulate:gap-ms=100"))));

        assertEquals(PREFIX + "one two three simulate:gap-ms=100", stream.text.get(0).toString());
        assertEquals(8, stream.deltaNanos.size());
        // Seven gaps of 100 ms; the first delta may reach the client late, the later ones never early.
        long spread = TimeUnit.NANOSECONDS.toMillis(stream.deltaNanos.get(7) - stream.deltaNanos.get(0));
        assertTrue(spread >= 600, "deltas spread over " + spread + " ms");
        assertEquals(StopReason.END_TURN, stream.stopReason);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void stalledStreamSendsItsFirstDeltaThenNothingUntilTheClientLeaves(Protocol protocol) throws Exception {
        int abandoned = simulator.abandoned();
        StreamRecorder stream = startStream(protocol, "wait simulate:stall");
        await(() -> stream.events.contains("contentBlockDelta"), "the first delta");
        Thread.sleep(300);  // a hundred of the simulator's own gaps

        assertEquals(List.of("messageStart", "contentBlockDelta"), List.copyOf(stream.events));
        assertEquals("Simulated", stream.text.get(0).toString());
        assertFalse(stream.call.isDone(), "the stream ended");
        assertEquals(abandoned, simulator.abandoned());
        stream.call.cancel(true);
        await(() -> simulator.abandoned() == abandoned + 1, "the simulator to count the stream abandoned");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void endlessStreamRepeatsItsDeltasUntilTheClientLeaves(Protocol protocol) throws Exception {
        int abandoned = simulator.abandoned();
        StreamRecorder stream = startStream(protocol, "go on simulate:endless");
        String reply = PREFIX + "go on simulate:endless";
        await(() -> stream.deltaNanos.size() >= 10, "more deltas than the reply has words");

        assertTrue(stream.text.get(0).toString().startsWith(reply + " Simulated reply from"), stream.text.toString());
        assertEquals(List.of("messageStart", "contentBlockDelta"), stream.events.stream().distinct().toList());
        // At least 50 ms apart, not as fast as the client can read.
        long spread = TimeUnit.NANOSECONDS.toMillis(stream.deltaNanos.get(9) - stream.deltaNanos.get(0));
        assertTrue(spread >= 400, "ten deltas within " + spread + " ms");
        assertFalse(stream.call.isDone(), "the stream ended");
        stream.call.cancel(true);
        await(() -> simulator.abandoned() == abandoned + 1, "the simulator to count the stream abandoned");
        int received = stream.deltaNanos.size();
        Thread.sleep(200);
        assertEquals(received, stream.deltaNanos.size(), "deltas after the client left");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void stalledOrEndlessCallsWithoutAStreamAreNeverAnswered(Protocol protocol) throws Exception {
        int abandoned = simulator.abandoned();
        CompletableFuture<ConverseResponse> converse = clients.get(protocol)
                .converse(request(r -> r.messages(user("wait simulate:stall"))));
        CompletableFuture<InvokeModelResponse> invoke = clients.get(protocol).invokeModel(r -> r
                .modelId("amazon.titan-embed-text-v2:0").contentType("application/json")
                .body(SdkBytes.fromUtf8String("{\"inputText\":\"simulate:endless\"}")));
        Thread.sleep(500);

        assertFalse(converse.isDone(), "Converse answered");
        assertFalse(invoke.isDone(), "InvokeModel answered");
        assertEquals(abandoned, simulator.abandoned());
        converse.cancel(true);
        invoke.cancel(true);
        await(() -> simulator.abandoned() == abandoned + 2, "the simulator to count both calls abandoned");
    }

    @Test
    void unknownOrMalformedDirectivesAreValidationErrors() {
        assertValidation(Protocol.HTTP1_1, "Unknown simulator directive simulate:throttled",
                r -> r.messages(user("simulate:throttled")));
        assertValidation(Protocol.HTTP2, "simulate:latency-ms needs a whole number of milliseconds",
                r -> r.messages(user("simulate:latency-ms=soon")));
    }

    // --- Settings, and the simulator as a process of its own ----------------------------------------------------

    @Test
    void fixedReplyLengthRepeatsTheWordsOfEveryTextReply() throws Exception {
        String twelve = PREFIX + "Hi " + PREFIX + "Hi Simulated reply";
        try (BedrockSimulator fixed = new BedrockSimulator(vertx,
                new BedrockSimulator.Settings(0, Duration.ZERO, Duration.ZERO, 12, null))) {
            URI url = fixed.start();
            try (BedrockRuntimeAsyncClient client = client(Protocol.HTTP1_1, url)) {
                ConverseResponse whole = client.converse(request(r -> r.messages(user("Hi"))))
                        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                StreamRecorder stream = new StreamRecorder();
                client.converseStream(streamRequest(r -> r.messages(user("Hi"))), stream.handler())
                        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

                assertEquals(twelve, text(whole));
                assertEquals(12, whole.usage().outputTokens());
                assertEquals(twelve, stream.text.get(0).toString());
                assertEquals(12, stream.deltaCount.get(0));
            }
        }
    }

    @Test
    void pacedStreamsWriteADeltaAtATimeUnpacedOnesEverythingAtOnce() throws Exception {
        SimulatedModel.Reply reply = SimulatedModel.respond(CLAUDE, JSON.readTree(minimalConverse()), 0);
        List<SimulatedModel.StreamEvent> events = SimulatedModel.streamEvents(reply, 1);
        // messageStart, 5 deltas ("Simulated reply from <id>: hi"), contentBlockStop, messageStop, metadata
        assertEquals(9, events.size());

        List<Buffer> paced = BedrockSimulator.writes(BedrockSimulator.converseFrames(events), true);
        // The start alone (as Bedrock opens a stream before the model's first token), then a delta per write, the
        // frames after the last delta with it.
        assertEquals(6, paced.size());
        assertEquals(frames(events.subList(0, 1)), paced.get(0));
        assertEquals(frames(events.subList(1, 2)), paced.get(1));
        assertEquals(frames(events.subList(2, 3)), paced.get(2));
        assertEquals(frames(events.subList(5, 9)), paced.get(5));
        assertEquals(List.of(frames(events)), BedrockSimulator.writes(BedrockSimulator.converseFrames(events), false));
    }

    @Test
    void servesHttpsWithThePemKeyAndCertificateItIsGiven(@TempDir Path dir) throws Exception {
        KeyStore store = keyStore("bedrock-localhost.p12");
        Path key = Files.writeString(dir.resolve("key.pem"),
                pem("PRIVATE KEY", store.getKey("bedrock", PASSWORD).getEncoded()));
        Path certificate = Files.writeString(dir.resolve("cert.pem"),
                pem("CERTIFICATE", store.getCertificate("bedrock").getEncoded()));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keyStore("trust-localhost.p12"));

        try (BedrockSimulator https = new BedrockSimulator(vertx, new BedrockSimulator.Settings(0, Duration.ZERO,
                Duration.ZERO, 0, new BedrockSimulator.Tls(key, certificate)))) {
            URI url = https.start();
            assertEquals("https://localhost:" + url.getPort(), url.toString());
            for (Protocol protocol : Protocol.values()) {
                // The SDK's Netty client negotiates HTTP/2 by ALPN but cannot yet offer HTTP/1.1 that way.
                ProtocolNegotiation negotiation = protocol == Protocol.HTTP2
                        ? ProtocolNegotiation.ALPN : ProtocolNegotiation.ASSUME_PROTOCOL;
                try (BedrockRuntimeAsyncClient client = client(NettyNioAsyncHttpClient.builder().protocol(protocol)
                        .protocolNegotiation(negotiation).tlsTrustManagersProvider(trust::getTrustManagers), url)) {
                    ConverseResponse response = client.converse(request(r -> r.messages(user("over TLS"))))
                            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    assertEquals(PREFIX + "over TLS", text(response), protocol.name());
                }
            }
        }
    }

    @Test
    void runsAsAProcessOfItsOwnThatPrintsItsUrl() throws Exception {
        Process process = simulatorProcess("--stream-events", "3", "--latency-ms", "0", "--stream-gap-ms", "20");
        try {
            String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            URI url = URI.create(line);
            assertEquals("http://127.0.0.1:" + url.getPort(), line);
            try (BedrockRuntimeAsyncClient client = client(Protocol.HTTP2, url)) {
                StreamRecorder stream = new StreamRecorder();
                client.converseStream(streamRequest(r -> r.messages(user("Hi"))), stream.handler())
                        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertEquals("Simulated reply from", stream.text.get(0).toString());
                long spread = TimeUnit.NANOSECONDS.toMillis(stream.deltaNanos.get(2) - stream.deltaNanos.get(0));
                assertTrue(spread >= 30, "two gaps of 20 ms took " + spread + " ms");
            }
        } finally {
            process.destroy();
        }

        Process refused = simulatorProcess("--latency-ms", "soon");
        assertTrue(refused.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertEquals(2, refused.exitValue());
        String error = new String(refused.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(error.contains("--latency-ms needs a non-negative whole number"), error);
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    private static Process simulatorProcess(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SimulatorMain.class.getName()));
        command.addAll(List.of(options));
        return new ProcessBuilder(command).start();
    }

    private static KeyStore keyStore(String file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(TLS.resolve(file))) {
            store.load(in, PASSWORD);
        }
        return store;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static Buffer frames(List<SimulatedModel.StreamEvent> events) {
        Buffer frames = Buffer.buffer();
        events.forEach(event -> frames.appendBuffer(BedrockSimulator.encodeFrame(event)));
        return frames;
    }

    private static long millisSince(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "waited in vain for " + what);
            Thread.sleep(10);
        }
    }

    private String invokeValidationMessage(String modelId, String body) {
        CompletableFuture<InvokeModelResponse> response = clients.get(Protocol.HTTP1_1).invokeModel(r -> r
                .modelId(modelId).contentType("application/json").body(SdkBytes.fromUtf8String(body)));
        ValidationException validation = assertInstanceOf(ValidationException.class, failure(response));
        assertEquals(400, validation.statusCode());
        return validation.awsErrorDetails().errorMessage();
    }

    private JsonNode invoke(Protocol protocol, String modelId, String body) throws Exception {
        InvokeModelResponse response = clients.get(protocol)
                .invokeModel(r -> r.modelId(modelId).contentType("application/json").accept("application/json")
                        .body(SdkBytes.fromUtf8String(body)))
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertEquals("application/json", response.contentType());
        return JSON.readTree(response.body().asByteArray());
    }

    private static double norm(JsonNode vector) {
        double squares = 0;
        for (JsonNode value : vector) {
            squares += value.doubleValue() * value.doubleValue();
        }
        return Math.sqrt(squares);
    }

    private ConverseResponse converse(Protocol protocol, Consumer<ConverseRequest.Builder> request) throws Exception {
        return clients.get(protocol).converse(request(request)).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private static ConverseRequest request(Consumer<ConverseRequest.Builder> request) {
        ConverseRequest.Builder builder = ConverseRequest.builder().modelId(CLAUDE);
        request.accept(builder);
        return builder.build();
    }

    /** The same request for ConverseStream, which shares Converse's members. */
    private static ConverseStreamRequest streamRequest(Consumer<ConverseRequest.Builder> request) {
        ConverseRequest converse = request(request);
        return ConverseStreamRequest.builder()
                .modelId(converse.modelId())
                .messages(converse.messages())
                .system(converse.system())
                .inferenceConfig(converse.inferenceConfig())
                .toolConfig(converse.toolConfig())
                .additionalModelRequestFields(converse.additionalModelRequestFields())
                .build();
    }

    /** {@code additionalModelRequestFields} that turn Claude's extended thinking on. */
    private static Document thinking(int budgetTokens) {
        return Document.fromMap(Map.of("thinking", Document.fromMap(Map.of(
                "type", Document.fromString("enabled"), "budget_tokens", Document.fromNumber(budgetTokens)))));
    }

    /** The weather question, the assistant's turn {@code call} and the tool's result, thinking on. */
    private static Consumer<ConverseRequest.Builder> toolLoop(Message call, Message toolResult) {
        return r -> r.modelId(THINKER)
                .messages(user("What is the weather? Use the tool"), call, toolResult)
                .toolConfig(weatherTools(ToolChoice.fromAuto(a -> { })))
                .additionalModelRequestFields(thinking(1024));
    }

    private StreamRecorder converseStream(Protocol protocol, ConverseStreamRequest request) throws Exception {
        StreamRecorder recorder = new StreamRecorder();
        clients.get(protocol).converseStream(request, recorder.handler()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return recorder;
    }

    /** Starts a stream and returns at once, the call still running. */
    private StreamRecorder startStream(Protocol protocol, String prompt) {
        StreamRecorder stream = new StreamRecorder();
        stream.call = clients.get(protocol)
                .converseStream(streamRequest(r -> r.messages(user(prompt))), stream.handler());
        return stream;
    }

    private Throwable streamFailure(Protocol protocol, Consumer<ConverseRequest.Builder> request) {
        StreamRecorder recorder = new StreamRecorder();
        Throwable failure = failure(clients.get(protocol).converseStream(streamRequest(request), recorder.handler()));
        assertEquals(List.of(), recorder.events);
        return failure;
    }

    private void assertValidation(Protocol protocol, String expected, Consumer<ConverseRequest.Builder> request) {
        ValidationException validation = assertInstanceOf(ValidationException.class,
                failure(clients.get(protocol).converse(request(request))));
        assertEquals(400, validation.statusCode());
        assertTrue(validation.awsErrorDetails().errorMessage().contains(expected),
                validation.awsErrorDetails().errorMessage());
    }

    private static Throwable failure(CompletableFuture<?> future) {
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertInstanceOf(BedrockRuntimeException.class, failed.getCause());
        return failed.getCause();
    }

    private static String text(ConverseResponse response) {
        StringBuilder text = new StringBuilder();
        response.output().message().content().stream()
                .filter(block -> block.text() != null)
                .forEach(block -> text.append(block.text()));
        return text.toString();
    }

    private static ContentBlock document(String name, String format, int size) {
        return ContentBlock.fromDocument(DocumentBlock.builder().name(name).format(format)
                .source(DocumentSource.fromBytes(SdkBytes.fromByteArray(new byte[size]))).build());
    }

    private static Message user(String text) {
        return Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText(text)).build();
    }

    private static Message assistantToolUse(String toolUseId) {
        return Message.builder().role(ConversationRole.ASSISTANT)
                .content(ContentBlock.fromToolUse(ToolUseBlock.builder()
                        .toolUseId(toolUseId).name("get_weather").input(Document.mapBuilder().build()).build()))
                .build();
    }

    private static Message toolResult(String toolUseId, String text) {
        return Message.builder().role(ConversationRole.USER)
                .content(ContentBlock.fromToolResult(ToolResultBlock.builder()
                        .toolUseId(toolUseId).content(ToolResultContentBlock.fromText(text)).build()))
                .build();
    }

    private static ToolConfiguration weatherTools(ToolChoice choice) {
        Document weatherSchema = schema(
                Map.of("city", type("string"), "days", type("integer"), "metric", type("boolean"),
                        "unit", Document.fromMap(Map.of("type", Document.fromString("string"),
                                "enum", Document.fromList(List.of(Document.fromString("celsius"),
                                        Document.fromString("fahrenheit"))))),
                        "note", type("string")),
                "city", "days", "metric", "unit");
        Document timeSchema = schema(Map.of("zone", type("string")), "zone");
        return ToolConfiguration.builder()
                .tools(tool("get_weather", weatherSchema), tool("get_time", timeSchema))
                .toolChoice(choice)
                .build();
    }

    private static Tool tool(String name, Document schema) {
        return Tool.fromToolSpec(ToolSpecification.builder()
                .name(name).description("Simulated " + name).inputSchema(s -> s.json(schema)).build());
    }

    private static Document schema(Map<String, Document> properties, String... required) {
        Map<String, Document> schema = new LinkedHashMap<>();
        schema.put("type", Document.fromString("object"));
        schema.put("properties", Document.fromMap(new TreeMap<>(properties)));
        schema.put("required", Document.fromList(List.of(required).stream().map(Document::fromString).toList()));
        return Document.fromMap(schema);
    }

    private static Document type(String type) {
        return Document.fromMap(Map.of("type", Document.fromString(type)));
    }

    private static String encoded(String modelId) {
        return URLEncoder.encode(modelId, StandardCharsets.UTF_8);
    }

    private static String minimalConverse() {
        return "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]}";
    }

    /** Well-formed SigV4 material; the simulator checks its shape, not the signature. */
    private static String authorization() {
        return "AWS4-HMAC-SHA256 Credential=AKIDSIMULATOR/20250101/us-east-1/bedrock/aws4_request, "
                + "SignedHeaders=host;x-amz-date, Signature=" + "0".repeat(64);
    }

    private static Map<String, String> signedHeaders() {
        return Map.of("Authorization", authorization(), "X-Amz-Date", "20250101T000000Z");
    }

    private HttpResponse<String> post(String path, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return httpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient httpClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(TIMEOUT_SECONDS))
                .build();
    }

    /** Collects a ConverseStream as the SDK's visitor delivers it, keyed by content block index. */
    private static final class StreamRecorder {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final List<String> unknown = Collections.synchronizedList(new ArrayList<>());
        final Map<Integer, StringBuilder> text = new TreeMap<>();
        final Map<Integer, StringBuilder> toolInput = new TreeMap<>();
        final Map<Integer, StringBuilder> reasoning = new TreeMap<>();
        final Map<Integer, List<String>> signatures = new TreeMap<>();
        final Map<Integer, Integer> deltaCount = new TreeMap<>();
        final Map<Integer, ToolUseBlockStart> toolStarts = new TreeMap<>();
        final List<Integer> stops = new ArrayList<>();
        final List<Long> deltaNanos = Collections.synchronizedList(new ArrayList<>());
        volatile StopReason stopReason;
        volatile ConverseStreamMetadataEvent metadata;
        volatile long firstEventNanos;
        CompletableFuture<Void> call;

        ConverseStreamResponseHandler handler() {
            return ConverseStreamResponseHandler.builder()
                    .subscriber(ConverseStreamResponseHandler.Visitor.builder()
                            .onMessageStart(e -> record("messageStart"))
                            .onContentBlockStart(e -> {
                                record("contentBlockStart");
                                toolStarts.put(e.contentBlockIndex(), e.start().toolUse());
                            })
                            .onContentBlockDelta(e -> {
                                record("contentBlockDelta");
                                deltaNanos.add(System.nanoTime());
                                deltaCount.merge(e.contentBlockIndex(), 1, Integer::sum);
                                if (e.delta().text() != null) {
                                    text.computeIfAbsent(e.contentBlockIndex(), i -> new StringBuilder())
                                            .append(e.delta().text());
                                } else if (e.delta().type() == ContentBlockDelta.Type.REASONING_CONTENT) {
                                    reasoning(e.contentBlockIndex(), e.delta().reasoningContent());
                                } else {
                                    toolInput.computeIfAbsent(e.contentBlockIndex(), i -> new StringBuilder())
                                            .append(e.delta().toolUse().input());
                                }
                            })
                            .onContentBlockStop(e -> {
                                record("contentBlockStop");
                                stops.add(e.contentBlockIndex());
                            })
                            .onMessageStop(e -> {
                                record("messageStop");
                                stopReason = e.stopReason();
                            })
                            .onMetadata(e -> {
                                record("metadata");
                                metadata = e;
                            })
                            .onDefault(e -> unknown.add(String.valueOf(e)))
                            .build())
                    .build();
        }

        /** A ReasoningContentBlockDelta carries text or, once the block's text is complete, its signature. */
        private void reasoning(int index, ReasoningContentBlockDelta delta) {
            if (delta.signature() != null) {
                signatures.computeIfAbsent(index, i -> new ArrayList<>()).add(delta.signature());
            } else {
                reasoning.computeIfAbsent(index, i -> new StringBuilder()).append(delta.text());
            }
        }

        private void record(String event) {
            if (events.isEmpty()) {
                firstEventNanos = System.nanoTime();
            }
            events.add(event);
        }
    }
}
