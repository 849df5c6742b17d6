package dev.bedrockgateway.api.bedrock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.bedrockgateway.bedrock.EventFrame;
import dev.bedrockgateway.bedrock.EventFrameReader;
import dev.bedrockgateway.testing.ConverseReplies;
import dev.bedrockgateway.testing.EventStreamFrames;
import dev.bedrockgateway.testing.AccessLines;
import dev.bedrockgateway.testing.Metrics;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;

/**
 * Bedrock's own runtime API through the gateway, against a Bedrock stand-in: the exact request Bedrock gets (the
 * deployment's model id, the client's bytes, the gateway's SigV4 signature and never the client's key), the exact
 * answer the client gets, Bedrock's errors in Bedrock's shape, streams relayed frame by frame, and metering.
 */
@QuarkusTest
@WithTestResource(dev.bedrockgateway.testing.BedrockStandIn.class)
class BedrockRoutesTest {

    static final String KEY = "sk-test-key-1";
    /** bedrock-claude-3-sonnet's deployment in the bundled catalog. */
    static final String SONNET = "/model/anthropic.claude-3-sonnet-20240229-v1%3A0";
    /** gpt-4o-mini's, the first catalog entry of this id. */
    static final String HAIKU_ID = "us.anthropic.claude-3-5-haiku-20241022-v1:0";
    static final String HAIKU = "/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0";
    static final String AMZ_DATE = "\\d{8}T\\d{6}Z";

    @dev.bedrockgateway.testing.BedrockStandIn.Inject
    WireMockServer bedrock;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    private final AccessLines access = new AccessLines();

    @BeforeEach
    void reset() {
        bedrock.resetAll();
        access.start();
    }

    @AfterEach
    void stopCapture() {
        access.stop();
    }

    /** A client sending paths as given: the model ids in them are percent-encoded already, as the SDKs send them. */
    static RequestSpecification client() {
        return given().urlEncodingEnabled(false).header("Authorization", "Bearer " + KEY);
    }

    /** The access line of the request to {@code path}, once written (after the response ended). */
    private String accessLine(String path) throws InterruptedException {
        return access.find("path=" + path + " ");
    }

    @Test
    void invokeRelaysTheClientsBytesSignedByTheGatewayAndBedrocksAnswerAsItIs() throws Exception {
        // Odd spacing and key order: the bytes must reach Bedrock exactly as sent.
        String body = "{ \"anthropic_version\":\"bedrock-2023-05-31\",  \"max_tokens\": 50,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi \\u00e9\"}] }\n";
        String answer = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"text\","
                + "\"text\":\"Hello\"}],\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":12,\"output_tokens\":7}}";
        bedrock.stubFor(post(urlEqualTo(SONNET + "/invoke")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withHeader("x-amzn-RequestId", "aaaaaaaa-0000-0000-0000-000000000001")
                .withHeader("X-Amzn-Bedrock-Input-Token-Count", "12")
                .withHeader("X-Amzn-Bedrock-Output-Token-Count", "7")
                .withHeader("X-Amzn-Bedrock-Invocation-Latency", "321")
                .withHeader("X-Internal-Upstream", "not for clients")
                .withBody(answer)));

        Response response = client().header("Content-Type", "application/json").header("Accept", "application/json")
                .header("X-Amzn-Bedrock-Trace", "ENABLED")
                .header("X-Amzn-Bedrock-GuardrailIdentifier", "gr-123")
                .header("X-Amzn-Bedrock-GuardrailVersion", "1")
                .header("X-Forwarded-For", "10.0.0.1")
                .body(body.getBytes(StandardCharsets.UTF_8))
                .post("/bedrock/model/bedrock-claude-3-sonnet/invoke");

        response.then().statusCode(200).contentType("application/json")
                .header("x-amzn-RequestId", "aaaaaaaa-0000-0000-0000-000000000001")
                .header("X-Amzn-Bedrock-Input-Token-Count", "12")
                .header("X-Amzn-Bedrock-Output-Token-Count", "7")
                .header("X-Amzn-Bedrock-Invocation-Latency", "321");
        assertNull(response.header("X-Internal-Upstream"));
        assertEquals(answer, response.asString());

        List<LoggedRequest> sent = bedrock.findAll(postRequestedFor(urlEqualTo(SONNET + "/invoke")));
        assertEquals(1, sent.size());
        LoggedRequest upstream = sent.get(0);
        assertArrayEquals(body.getBytes(StandardCharsets.UTF_8), upstream.getBody());
        assertEquals("application/json", upstream.getHeader("Content-Type"));
        assertEquals("application/json", upstream.getHeader("Accept"));
        assertEquals("ENABLED", upstream.getHeader("X-Amzn-Bedrock-Trace"));
        assertEquals("gr-123", upstream.getHeader("X-Amzn-Bedrock-GuardrailIdentifier"));
        assertEquals("1", upstream.getHeader("X-Amzn-Bedrock-GuardrailVersion"));
        assertFalse(upstream.containsHeader("X-Forwarded-For"));
        assertTrue(upstream.getHeader("X-Amz-Date").matches(AMZ_DATE), upstream.getHeader("X-Amz-Date"));
        String authorization = upstream.getHeader("Authorization");
        assertFalse(authorization.contains(KEY), authorization);
        assertFalse(upstream.toString().contains(KEY));
        assertTrue(authorization.matches("AWS4-HMAC-SHA256 Credential=[^/]+/\\d{8}/us-east-1/bedrock/aws4_request, "
                + "SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}"), authorization);
        assertEquals(authorization, resigned(upstream), "the signature is SigV4's for what Bedrock received");

        String line = accessLine("/bedrock/model/bedrock-claude-3-sonnet/invoke");
        assertTrue(line.contains("status=200"), line);
        assertTrue(line.contains("model=bedrock-claude-3-sonnet "), line);
        assertTrue(line.contains("bedrock_model=anthropic.claude-3-sonnet-20240229-v1:0"), line);
        assertTrue(line.contains("input_tokens=12 output_tokens=7"), line);
        assertTrue(Metrics.sum(metrics, "gateway_requests_seconds_count", "endpoint=\"bedrock.invoke\"",
                "model=\"bedrock-claude-3-sonnet\"") >= 1);
    }

    /**
     * The signature the gateway's credentials give the request Bedrock received, computed again with the SDK's signer
     * at the request's own X-Amz-Date: equal only if the gateway signed exactly these bytes, path and headers.
     */
    private String resigned(LoggedRequest upstream) {
        String authorization = upstream.getHeader("Authorization");
        String access = authorization.replaceAll(".*Credential=([^/]+)/.*", "$1");
        String signedHeaders = authorization.replaceAll(".*SignedHeaders=([^,]+),.*", "$1");
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST)
                .uri(URI.create("http://127.0.0.1:" + bedrock.port() + upstream.getUrl()));
        for (String name : signedHeaders.split(";")) {
            String value = upstream.getHeader(name);
            // Over HTTP/2 (gateway.bedrock.protocol=HTTP2) the host travels as :authority, which WireMock does not list.
            request.putHeader(name, value == null && name.equals("host") ? "127.0.0.1:" + bedrock.port() : value);
        }
        Instant date = ZonedDateTime.parse(upstream.getHeader("X-Amz-Date"),
                DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssX")).toInstant();
        return AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsBasicCredentials.create(access, "gateway-test-secret"))
                .request(request.build())
                .payload(ContentStreamProvider.fromByteArray(upstream.getBody()))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "bedrock")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(date, ZoneOffset.UTC)))
                .request().firstMatchingHeader("Authorization").orElseThrow();
    }

    @Test
    void aBedrockModelIdStandsForTheFirstCatalogEntryUsingItAndConverseIsMetered() throws Exception {
        String answer = "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"Hi\"}]}},"
                + "\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":9,\"outputTokens\":3,\"totalTokens\":42,"
                + "\"cacheReadInputTokens\":30},\"metrics\":{\"latencyMs\":12}}";
        bedrock.stubFor(post(urlEqualTo(HAIKU + "/converse")).willReturn(ConverseReplies.json(answer)));

        String path = "/bedrock/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse";
        client().contentType("application/json").body("{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":"
                + "\"Hi\"}]}],\"inferenceConfig\":{\"maxTokens\":100}}").post(path)
                .then().statusCode(200).header("x-amzn-RequestId", "00000000-0000-0000-0000-000000000000")
                .body(org.hamcrest.Matchers.equalTo(answer));

        String line = accessLine(path);
        assertTrue(line.contains("model=gpt-4o-mini "), line);
        assertTrue(line.contains("bedrock_model=" + HAIKU_ID), line);
        assertTrue(line.contains("input_tokens=9 output_tokens=3"), line);
        assertTrue(Metrics.sum(metrics, "gateway_requests_seconds_count", "endpoint=\"bedrock.converse\"",
                "model=\"gpt-4o-mini\"") >= 1);
    }

    @Test
    void countTokensGoesToTheBaseModelAndCostsNothing() throws Exception {
        String body = "{\"input\":{\"converse\":{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hi\"}]}]}}}";
        bedrock.stubFor(post(urlEqualTo("/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/count-tokens"))
                .willReturn(ConverseReplies.json("{\"inputTokens\":8}")));

        client().contentType("application/json").body(body).post("/bedrock/model/gpt-4o-mini/count-tokens")
                .then().statusCode(200).body(org.hamcrest.Matchers.equalTo("{\"inputTokens\":8}"));

        bedrock.verify(postRequestedFor(urlEqualTo("/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/count-tokens"))
                .withRequestBody(binaryEqualTo(body.getBytes(StandardCharsets.UTF_8))));
        String line = accessLine("/bedrock/model/gpt-4o-mini/count-tokens");
        assertTrue(line.contains("status=200"), line);
        assertFalse(line.contains("input_tokens"), line);
    }

    @Test
    void bedrocksValidationExceptionReachesTheClientInBedrocksShape() {
        bedrock.stubFor(post(urlEqualTo(SONNET + "/invoke")).willReturn(ConverseReplies.error(400,
                "ValidationException", "Malformed input request: #: required key [messages] not found")));

        Response response = client().contentType("application/json").body("{\"max_tokens\":5}")
                .post("/bedrock/model/bedrock-claude-3-sonnet/invoke");

        response.then().statusCode(400).header("x-amzn-ErrorType", "ValidationException");
        assertEquals("{\"message\":\"Malformed input request: #: required key [messages] not found\"}",
                response.asString());
    }

    @Test
    void bedrocksThrottlingReachesTheClientAs429WithRetryAfter() {
        bedrock.stubFor(post(urlEqualTo(SONNET + "/converse")).willReturn(ConverseReplies.error(429,
                "ThrottlingException", "Too many requests, please wait before trying again.")));

        Response response = client().contentType("application/json").body("{\"messages\":[]}")
                .post("/bedrock/model/bedrock-claude-3-sonnet/converse");

        response.then().statusCode(429).header("x-amzn-ErrorType", "ThrottlingException").header("Retry-After", "1");
        assertEquals("{\"message\":\"Too many requests, please wait before trying again.\"}", response.asString());
    }

    @Test
    void anUnknownModelIsBedrocksResourceNotFound() {
        for (String model : new String[] {"no-such-model", "anthropic.claude-v2%3A1",
                "arn%3Aaws%3Abedrock%3Aus-east-1%3A111122223333%3Aapplication-inference-profile%2Fabc"}) {
            Response response = client().contentType("application/json").body("{\"messages\":[]}")
                    .post("/bedrock/model/" + model + "/converse");
            response.then().statusCode(404).header("x-amzn-ErrorType", "ResourceNotFoundException")
                    .contentType("application/json");
            assertTrue(response.jsonPath().getString("message").contains("does not exist"), response.asString());
        }
        bedrock.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aMissingOrWrongKeyIsAccessDenied() {
        for (Supplier<RequestSpecification> caller : List.<Supplier<RequestSpecification>>of(() -> given(),
                () -> given().header("Authorization", "Bearer sk-wrong"),
                () -> given().header("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/bedrock/"
                        + "aws4_request, SignedHeaders=host, Signature=00"))) {
            Response response = caller.get().contentType("application/json").body("{\"messages\":[]}")
                    .post("/bedrock/model/bedrock-claude-3-sonnet/converse");
            response.then().statusCode(403).header("x-amzn-ErrorType", "AccessDeniedException");
            assertTrue(response.jsonPath().getString("message").length() > 0);
        }
        bedrock.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void badRequestsAreAnsweredInBedrocksShapeWithoutCallingIt() {
        client().get("/bedrock/model/bedrock-claude-3-sonnet/converse").then().statusCode(405)
                .header("x-amzn-ErrorType", "ValidationException");
        client().contentType("application/json").body("{}").post("/bedrock/model/bedrock-claude-3-sonnet/invoke-async")
                .then().statusCode(404).header("x-amzn-ErrorType", "UnknownOperationException");
        client().contentType("application/json").body("{}").post("/bedrock/model/converse")
                .then().statusCode(404).header("x-amzn-ErrorType", "UnknownOperationException");
        client().contentType("application/json").post("/bedrock/model/bedrock-claude-3-sonnet/converse")
                .then().statusCode(400).header("x-amzn-ErrorType", "ValidationException");
        client().contentType("application/json").body("{}").post("/bedrock/runtime")
                .then().statusCode(404).header("x-amzn-ErrorType", "ResourceNotFoundException");
        bedrock.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void invalidJsonIsBedrocksToJudge() {
        bedrock.stubFor(post(urlEqualTo(SONNET + "/converse")).willReturn(ConverseReplies.error(400,
                "ValidationException", "Malformed input request, please reformat your input and try again.")));

        client().contentType("application/json").body("{not json").post("/bedrock/model/bedrock-claude-3-sonnet/converse")
                .then().statusCode(400).header("x-amzn-ErrorType", "ValidationException");
        bedrock.verify(postRequestedFor(urlEqualTo(SONNET + "/converse")).withRequestBody(equalTo("{not json")));
    }

    @Test
    void converseStreamIsRelayedFrameByFrameAndMeteredFromItsMetadata() throws Exception {
        byte[] frames = EventStreamFrames.stream().start().text(0, "Hel").text(0, "lo").stop(0).messageStop("end_turn")
                .metadata(11, 2).bytes();
        // Dribbled in pieces that cut frames anywhere: the gateway must reassemble each before relaying it.
        bedrock.stubFor(post(urlEqualTo(SONNET + "/converse-stream")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/vnd.amazon.eventstream")
                .withHeader("x-amzn-RequestId", "bbbbbbbb-0000-0000-0000-000000000002")
                .withBody(frames).withChunkedDribbleDelay(9, 200)));

        Response response = client().contentType("application/json").body("{\"messages\":[]}")
                .post("/bedrock/model/bedrock-claude-3-sonnet/converse-stream");

        response.then().statusCode(200).contentType("application/vnd.amazon.eventstream")
                .header("x-amzn-RequestId", "bbbbbbbb-0000-0000-0000-000000000002")
                .header("Transfer-Encoding", "chunked");
        assertArrayEquals(frames, response.asByteArray());
        bedrock.verify(postRequestedFor(urlEqualTo(SONNET + "/converse-stream"))
                .withHeader("Authorization", matching("AWS4-HMAC-SHA256 .*")));
        String line = accessLine("/bedrock/model/bedrock-claude-3-sonnet/converse-stream");
        assertTrue(line.contains("stream=true"), line);
        assertTrue(line.contains("ttft_ms="), line);
        assertTrue(line.contains("input_tokens=11 output_tokens=2"), line);
    }

    @Test
    void anExceptionFrameMidStreamIsRelayedAsItIs() {
        byte[] frames = EventStreamFrames.stream().start().text(0, "Partial")
                .exception("modelStreamErrorException", "The model failed mid-stream").bytes();
        bedrock.stubFor(post(urlEqualTo(SONNET + "/converse-stream")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/vnd.amazon.eventstream").withBody(frames)));

        Response response = client().contentType("application/json").body("{\"messages\":[]}")
                .post("/bedrock/model/bedrock-claude-3-sonnet/converse-stream");

        response.then().statusCode(200);
        assertArrayEquals(frames, response.asByteArray());
    }

    @Test
    void anExceptionFrameBeforeAnythingIsAnOrdinaryError() {
        bedrock.stubFor(post(urlEqualTo(SONNET + "/converse-stream")).willReturn(EventStreamFrames.stream()
                .exception("throttlingException", "Slow down").response()));

        Response response = client().contentType("application/json").body("{\"messages\":[]}")
                .post("/bedrock/model/bedrock-claude-3-sonnet/converse-stream");

        response.then().statusCode(429).header("x-amzn-ErrorType", "ThrottlingException")
                .contentType("application/json");
        assertEquals("Slow down", response.jsonPath().getString("message"));
    }

    @Test
    void aStreamCutMidFrameEndsWithAnExceptionFrame() {
        byte[] whole = EventStreamFrames.stream().start().text(0, "Hel").text(0, "lo").bytes();
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 5);
        bedrock.stubFor(post(urlEqualTo(SONNET + "/converse-stream")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/vnd.amazon.eventstream").withBody(cut)));

        byte[] body = client().contentType("application/json").body("{\"messages\":[]}")
                .post("/bedrock/model/bedrock-claude-3-sonnet/converse-stream").then().statusCode(200).extract()
                .asByteArray();

        List<EventFrame> frames = new EventFrameReader().feed(ByteBuffer.wrap(body));
        assertEquals(3, frames.size());
        assertEquals("contentBlockDelta", frames.get(1).eventType());
        assertTrue(frames.get(2).isException());
        assertEquals("internalServerException", frames.get(2).exceptionType());
    }

    @Test
    void invokeWithResponseStreamRelaysClaudesChunksAndMetersTheInvocationMetrics() throws Exception {
        byte[] frames = claudeChunks();
        bedrock.stubFor(post(urlEqualTo(SONNET + "/invoke-with-response-stream")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/vnd.amazon.eventstream")
                .withHeader("X-Amzn-Bedrock-Content-Type", "application/json").withBody(frames)));

        Response response = client().contentType("application/json")
                .header("X-Amzn-Bedrock-Accept", "application/json")
                .body("{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":20,\"messages\":[]}")
                .post("/bedrock/model/anthropic.claude-3-sonnet-20240229-v1%3A0/invoke-with-response-stream");

        response.then().statusCode(200).contentType("application/vnd.amazon.eventstream")
                .header("X-Amzn-Bedrock-Content-Type", "application/json");
        assertArrayEquals(frames, response.asByteArray());
        bedrock.verify(postRequestedFor(urlEqualTo(SONNET + "/invoke-with-response-stream"))
                .withHeader("X-Amzn-Bedrock-Accept", equalTo("application/json")));
        String line = accessLine(
                "/bedrock/model/anthropic.claude-3-sonnet-20240229-v1%3A0/invoke-with-response-stream");
        assertTrue(line.contains("model=bedrock-claude-3-sonnet "), line);
        assertTrue(line.contains("ttft_ms="), line);
        assertTrue(line.contains("input_tokens=25 output_tokens=15"), line);
        assertTrue(Metrics.sum(metrics, "gateway_requests_seconds_count",
                "endpoint=\"bedrock.invoke-with-response-stream\"") >= 1);
    }

    /** Claude's stream events as InvokeModelWithResponseStream wraps them: one {@code chunk} event each. */
    static byte[] claudeChunks() {
        return chunks("""
                {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],\
                "model":"claude-3-sonnet","usage":{"input_tokens":25,"output_tokens":1}}}""",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" there\"}}",
                "{\"type\":\"content_block_stop\",\"index\":0}",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":15}}",
                """
                {"type":"message_stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":25,\
                "outputTokenCount":15,"invocationLatency":812,"firstByteLatency":301}}""");
    }

    static byte[] chunks(String... events) {
        EventStreamFrames frames = EventStreamFrames.stream();
        for (String event : events) {
            frames.event("chunk", "{\"bytes\":\"" + Base64.getEncoder().encodeToString(
                    event.getBytes(StandardCharsets.UTF_8)) + "\",\"p\":\"abcdefgh\"}");
        }
        return frames.bytes();
    }

    /** The events of a chunk stream, decoded as a client reads them. */
    static List<String> chunkEvents(byte[] body) throws Exception {
        List<String> events = new ArrayList<>();
        for (EventFrame frame : new EventFrameReader().feed(ByteBuffer.wrap(body))) {
            String payload = new String(frame.payload(), StandardCharsets.UTF_8);
            String b64 = payload.replaceAll(".*\"bytes\":\"([^\"]+)\".*", "$1");
            events.add(new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8));
        }
        return events;
    }

    @Test
    void aClaudeStreamCutShortIsMeteredWithClaudesCountsSoFar() throws Exception {
        byte[] whole = chunks("""
                {"type":"message_start","message":{"id":"msg_2","usage":{"input_tokens":40,\
                "cache_read_input_tokens":1000,"output_tokens":1}}}""",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}");
        ByteArrayOutputStream cut = new ByteArrayOutputStream();
        cut.write(whole, 0, whole.length - 3);
        bedrock.stubFor(post(urlEqualTo(SONNET + "/invoke-with-response-stream")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/vnd.amazon.eventstream")
                .withBody(cut.toByteArray())));

        byte[] body = client().contentType("application/json").body("{\"max_tokens\":20}")
                .post("/bedrock/model/bedrock-claude-3-sonnet/invoke-with-response-stream").then().statusCode(200)
                .extract().asByteArray();

        List<EventFrame> frames = new EventFrameReader().feed(ByteBuffer.wrap(body));
        assertEquals("internalServerException", frames.get(frames.size() - 1).exceptionType());
        String line = accessLine("/bedrock/model/bedrock-claude-3-sonnet/invoke-with-response-stream");
        assertTrue(line.contains("input_tokens=40 output_tokens=1"), line);
    }
}
