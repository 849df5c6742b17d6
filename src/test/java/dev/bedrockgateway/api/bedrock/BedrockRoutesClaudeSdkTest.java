package dev.bedrockgateway.api.bedrock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.bedrockgateway.testing.BedrockStandIn;
import dev.bedrockgateway.testing.EventStreamFrames;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.auth.token.credentials.StaticTokenProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.auth.scheme.BedrockRuntimeAuthSchemeProvider;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.ModelStreamErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelTimeoutException;
import software.amazon.awssdk.services.bedrockruntime.model.PayloadPart;

/**
 * The AWS SDK for Java's InvokeModel and InvokeModelWithResponseStream on Claude through the gateway, as Claude Code
 * calls Bedrock (Anthropic's Messages body, Claude's events in {@code chunk} frames), against a Bedrock stand-in
 * replaying Claude's answers.
 */
@QuarkusTest
@WithTestResource(BedrockStandIn.class)
class BedrockRoutesClaudeSdkTest {

    static final String SONNET_4_5 = "/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0";
    static final String BODY = "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":64,"
            + "\"anthropic_beta\":[\"interleaved-thinking-2025-05-14\"],"
            + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hi\"}]}]}";

    @BedrockStandIn.Inject
    WireMockServer bedrock;

    @TestHTTPResource("/")
    URL root;

    private static BedrockRuntimeAsyncClient shared;

    @BeforeEach
    void reset() {
        bedrock.resetAll();
    }

    BedrockRuntimeAsyncClient client() {
        if (shared == null) {
            shared = BedrockRuntimeAsyncClient.builder()
                    .endpointOverride(URI.create(root.toString().replaceAll("/$", "") + "/bedrock"))
                    .region(Region.US_EAST_1)
                    .tokenProvider(StaticTokenProvider.create(() -> "sk-test-key-2"))
                    .authSchemeProvider(BedrockRuntimeAuthSchemeProvider.defaultProvider(List.of("httpBearerAuth")))
                    .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                    .build();
        }
        return shared;
    }

    @AfterAll
    static void close() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }

    @Test
    void invokeModelOnClaudeByItsBedrockId() throws Exception {
        String message = "{\"id\":\"msg_bdrk_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
                + "\"claude-sonnet-4-5-20250929\",\"content\":[{\"type\":\"text\",\"text\":\"Hello!\"}],"
                + "\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":8,\"output_tokens\":3}}";
        bedrock.stubFor(post(urlEqualTo(SONNET_4_5 + "/invoke")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withHeader("X-Amzn-Bedrock-Input-Token-Count", "8")
                .withHeader("X-Amzn-Bedrock-Output-Token-Count", "3")
                .withHeader("X-Amzn-Bedrock-Invocation-Latency", "640")
                .withBody(message)));

        InvokeModelResponse response = client().invokeModel(r -> r
                .modelId("us.anthropic.claude-sonnet-4-5-20250929-v1:0").contentType("application/json")
                .accept("application/json").body(SdkBytes.fromUtf8String(BODY))).get(30, TimeUnit.SECONDS);

        assertEquals(message, response.body().asUtf8String());
        assertEquals("application/json", response.contentType());
        LoggedRequest upstream = bedrock.findAll(postRequestedFor(urlEqualTo(SONNET_4_5 + "/invoke"))).get(0);
        assertArrayEquals(BODY.getBytes(StandardCharsets.UTF_8), upstream.getBody());
        assertTrue(upstream.getHeader("Authorization").startsWith("AWS4-HMAC-SHA256 "));
        assertFalse(upstream.getHeader("Authorization").contains("sk-test-key-2"));
        assertEquals("application/json", upstream.getHeader("Accept"));
        assertEquals("application/json", upstream.getHeader("Content-Type"));
    }

    @Test
    void invokeModelWithResponseStreamGivesTheSdkClaudesChunks() throws Exception {
        byte[] frames = BedrockRoutesTest.claudeChunks();
        bedrock.stubFor(post(urlEqualTo(SONNET_4_5 + "/invoke-with-response-stream")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/vnd.amazon.eventstream")
                .withHeader("X-Amzn-Bedrock-Content-Type", "application/json").withBody(frames)));

        List<String> events = new ArrayList<>();
        client().invokeModelWithResponseStream(r -> r.modelId("claude-sonnet-4-5")
                .contentType("application/json").accept("application/json").body(SdkBytes.fromUtf8String(BODY)),
                InvokeModelWithResponseStreamResponseHandler.builder().subscriber(
                        InvokeModelWithResponseStreamResponseHandler.Visitor.builder()
                                .onChunk((PayloadPart chunk) -> events.add(chunk.bytes().asUtf8String())).build())
                        .build())
                .get(30, TimeUnit.SECONDS);

        assertEquals(BedrockRoutesTest.chunkEvents(frames), events);
        assertTrue(events.get(2).contains("\"text\":\"Hello\""), events.toString());
        LoggedRequest upstream = bedrock.findAll(postRequestedFor(urlEqualTo(SONNET_4_5
                + "/invoke-with-response-stream"))).get(0);
        assertArrayEquals(BODY.getBytes(StandardCharsets.UTF_8), upstream.getBody());
        // The SDK puts InvokeModelWithResponseStream's accept into X-Amzn-Bedrock-Accept; the gateway passes it on.
        assertEquals("application/json", upstream.getHeader("X-Amzn-Bedrock-Accept"));
    }

    @Test
    void anExceptionMidStreamIsTheSdksModelledException() {
        byte[] frames = EventStreamFrames.stream()
                .event("chunk", "{\"bytes\":\"eyJ0eXBlIjoibWVzc2FnZV9zdGFydCJ9\"}")  // {"type":"message_start"}
                .exception("modelStreamErrorException", "The model stream failed").bytes();
        bedrock.stubFor(post(urlEqualTo(SONNET_4_5 + "/invoke-with-response-stream")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/vnd.amazon.eventstream").withBody(frames)));

        CompletionException e = assertThrows(CompletionException.class, () -> client().invokeModelWithResponseStream(
                r -> r.modelId("claude-sonnet-4-5").body(SdkBytes.fromUtf8String(BODY)),
                InvokeModelWithResponseStreamResponseHandler.builder().subscriber(event -> { }).build()).join());
        ModelStreamErrorException failure = assertInstanceOf(ModelStreamErrorException.class, e.getCause());
        assertEquals("The model stream failed", failure.awsErrorDetails().errorMessage());
    }

    /** The gateway's own exception frame (a stream cut mid-frame) reaches the SDK as its modelled exception too. */
    @Test
    void theGatewaysOwnExceptionFrameIsOneTheSdkUnderstands() {
        byte[] whole = BedrockRoutesTest.claudeChunks();
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 7);
        bedrock.stubFor(post(urlEqualTo(SONNET_4_5 + "/invoke-with-response-stream")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/vnd.amazon.eventstream").withBody(cut)));

        CompletionException e = assertThrows(CompletionException.class, () -> client().invokeModelWithResponseStream(
                r -> r.modelId("claude-sonnet-4-5").body(SdkBytes.fromUtf8String(BODY)),
                InvokeModelWithResponseStreamResponseHandler.builder().subscriber(event -> { }).build()).join());
        assertInstanceOf(software.amazon.awssdk.services.bedrockruntime.model.InternalServerException.class,
                e.getCause());
        assertFalse(e.getCause() instanceof ModelTimeoutException);
    }
}
