package dev.bedrockgateway.api.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.bedrockgateway.testing.AccessLines;
import dev.bedrockgateway.testing.SimulatedBedrock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.auth.token.credentials.StaticTokenProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClientBuilder;
import software.amazon.awssdk.services.bedrockruntime.auth.scheme.BedrockRuntimeAuthSchemeProvider;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ResourceNotFoundException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * The official AWS SDK for Java as a client of the gateway's Bedrock routes, as a Bedrock API key user configures it:
 * an endpoint override {@code <gateway>/bedrock} and the gateway key as bearer token. Behind the gateway, the Bedrock
 * simulator.
 *
 * <p>How SDK 2.57 picks bearer auth for Bedrock: the runtime client offers {@code aws.auth#sigv4} first and
 * {@code smithy.api#httpBearerAuth} second. With {@code AWS_BEARER_TOKEN_BEDROCK} (or the system property
 * {@code aws.bearerTokenBedrock}) set and neither a token provider nor an auth scheme provider configured, the
 * builder takes that token and prefers bearer auth by itself. A client given a token provider in code must also
 * prefer bearer ({@code BedrockRuntimeAuthSchemeProvider.defaultProvider(List.of("httpBearerAuth"))}, or
 * {@code AWS_AUTH_SCHEME_PREFERENCE=httpBearerAuth}); otherwise it signs with SigV4, which the gateway refuses.
 */
@QuarkusTest
@WithTestResource(SimulatedBedrock.class)
class BedrockRoutesSdkTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL root;

    private final AccessLines access = new AccessLines();

    @BeforeEach
    void captureAccess() {
        access.start();
    }

    @AfterEach
    void stopCapture() {
        access.stop();
    }

    URI gateway() {
        return URI.create(root.toString().replaceAll("/$", "") + "/bedrock");
    }

    /** The SDK's builder as an application sets it up for the gateway; its own retries off, so tests see one call. */
    BedrockRuntimeAsyncClientBuilder builder() {
        return BedrockRuntimeAsyncClient.builder().endpointOverride(gateway()).region(Region.US_EAST_1)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
    }

    BedrockRuntimeAsyncClient client(String key) {
        return builder().tokenProvider(StaticTokenProvider.create(() -> key))
                .authSchemeProvider(BedrockRuntimeAuthSchemeProvider.defaultProvider(List.of("httpBearerAuth")))
                .build();
    }

    /** One client with the gateway's test key for the class (closing one takes its event loops two seconds). */
    private static BedrockRuntimeAsyncClient shared;

    BedrockRuntimeAsyncClient bedrock() {
        if (shared == null) {
            shared = client("sk-test-key-1");
        }
        return shared;
    }

    @AfterAll
    static void closeClient() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }

    static Message user(String text) {
        return Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText(text)).build();
    }

    private String accessLine(String fragment) throws InterruptedException {
        return access.find(fragment);
    }

    @Test
    void converseWithABedrockModelIdAndTheGatewayKeyAsBearerToken() throws Exception {
        BedrockRuntimeAsyncClient bedrock = bedrock();
        ConverseResponse response = bedrock.converse(r -> r.modelId("us.anthropic.claude-3-5-haiku-20241022-v1:0")
                .messages(user("Hello there"))).get(30, TimeUnit.SECONDS);

        String text = response.output().message().content().get(0).text();
        // The simulator names the model id it was called with: the deployment's.
        assertEquals("Simulated reply from us.anthropic.claude-3-5-haiku-20241022-v1:0: Hello there", text);
        assertEquals("end_turn", response.stopReasonAsString());
        assertEquals(2, response.usage().inputTokens());
        assertTrue(response.usage().outputTokens() > 0);
        String line = accessLine("/converse ");
        assertTrue(line.contains("model=gpt-4o-mini "), line);
        assertTrue(line.contains("input_tokens=2 output_tokens=" + response.usage().outputTokens()), line);
    }

    @Test
    void converseStreamWithACatalogName() throws Exception {
        StringBuilder text = new StringBuilder();
        AtomicReference<TokenUsage> usage = new AtomicReference<>();
        BedrockRuntimeAsyncClient bedrock = bedrock();
        bedrock.converseStream(r -> r.modelId("bedrock-claude-3-sonnet").messages(user("Stream me please")),
                ConverseStreamResponseHandler.builder().subscriber(ConverseStreamResponseHandler.Visitor.builder()
                        .onContentBlockDelta(delta -> text.append(delta.delta().text()))
                        .onMetadata(metadata -> usage.set(metadata.usage()))
                        .build()).build())
                .get(30, TimeUnit.SECONDS);
        assertEquals("Simulated reply from anthropic.claude-3-sonnet-20240229-v1:0: Stream me please", text.toString());
        assertEquals(3, usage.get().inputTokens());
        String line = accessLine("/bedrock/model/bedrock-claude-3-sonnet/converse-stream ");
        assertTrue(line.contains("ttft_ms="), line);
        assertTrue(line.contains("input_tokens=3 output_tokens=" + usage.get().outputTokens()), line);
    }

    @Test
    void invokeModelOnAnEmbeddingModelOfTheCatalog() throws Exception {
        BedrockRuntimeAsyncClient bedrock = bedrock();
        InvokeModelResponse response = bedrock.invokeModel(r -> r.modelId("text-embedding-3-small")
                .contentType("application/json").accept("application/json")
                .body(SdkBytes.fromUtf8String("{\"inputText\":\"embed these four words\"}")))
                .get(30, TimeUnit.SECONDS);

        JsonNode answer = JSON.readTree(response.body().asByteArray());
        assertEquals(1024, answer.get("embedding").size());
        assertEquals(4, answer.get("inputTextTokenCount").asInt());
        assertEquals("application/json", response.contentType());
        String line = accessLine("/bedrock/model/text-embedding-3-small/invoke ");
        assertTrue(line.contains("bedrock_model=amazon.titan-embed-text-v2:0"), line);
        assertTrue(line.contains("input_tokens=4 output_tokens=0"), line);
    }

    @Test
    void anUnknownModelIsTheSdksResourceNotFoundException() {
        BedrockRuntimeAsyncClient bedrock = bedrock();
        CompletionException e = assertThrows(CompletionException.class,
                () -> bedrock.converse(r -> r.modelId("anthropic.claude-v2:1").messages(user("Hi"))).join());
        ResourceNotFoundException notFound = assertInstanceOf(ResourceNotFoundException.class, e.getCause());
        assertEquals(404, notFound.statusCode());
        assertTrue(notFound.awsErrorDetails().errorMessage().contains("anthropic.claude-v2:1"),
                notFound.getMessage());
    }

    @Test
    void bedrocksThrottlingIsTheSdksThrottlingException() {
        BedrockRuntimeAsyncClient bedrock = bedrock();
        CompletionException e = assertThrows(CompletionException.class, () -> bedrock.converse(r -> r
                .modelId("bedrock-claude-3-sonnet").messages(user("Hi simulate:throttle"))).join());
        ThrottlingException throttled = assertInstanceOf(ThrottlingException.class, e.getCause());
        assertEquals(429, throttled.statusCode());

        CompletionException stream = assertThrows(CompletionException.class, () -> bedrock.converseStream(
                r -> r.modelId("bedrock-claude-3-sonnet").messages(user("Hi simulate:throttle")),
                ConverseStreamResponseHandler.builder().subscriber(event -> { }).build()).join());
        assertInstanceOf(ThrottlingException.class, stream.getCause());
    }

    @Test
    void aWrongKeyIsTheSdksAccessDeniedException() {
        try (BedrockRuntimeAsyncClient bedrock = client("sk-not-a-key")) {
            CompletionException e = assertThrows(CompletionException.class, () -> bedrock.converse(r -> r
                    .modelId("bedrock-claude-3-sonnet").messages(user("Hi"))).join());
            assertEquals(403, assertInstanceOf(AccessDeniedException.class, e.getCause()).statusCode());
        }
    }

    /** What Claude Code and an SDK configured only by environment do: AWS_BEARER_TOKEN_BEDROCK, nothing in code. */
    @Test
    void theBearerTokenSettingAloneMakesTheSdkUseTheGatewayKey() throws Exception {
        BedrockRuntimeAsyncClient bedrock;
        // The SDK reads aws.bearerTokenBedrock (or AWS_BEARER_TOKEN_BEDROCK) when the client is built.
        System.setProperty("aws.bearerTokenBedrock", "sk-test-key-1");
        try {
            bedrock = builder().build();
        } finally {
            System.clearProperty("aws.bearerTokenBedrock");
        }
        try (bedrock) {
            ConverseResponse response = bedrock.converse(r -> r.modelId("bedrock-claude-3-sonnet")
                    .messages(user("Hi"))).get(30, TimeUnit.SECONDS);
            assertTrue(response.output().message().content().get(0).text().endsWith(": Hi"));
        }
    }
}
