package dev.bedrockgateway.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PfxOptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedAsyncClientOption;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;

/**
 * {@link VertxSdkHttpClient} under the real SDK client, against a Bedrock stand-in served over TLS (a certificate for
 * {@code localhost} only, in test resources): the answer is read on the event loop that made the call, the JVM's trust
 * store decides which certificates are trusted, and the host name is checked against the certificate.
 */
class VertxSdkHttpClientTest {

    private static final Path TLS = Path.of("src/test/resources/tls");
    private static final String ANSWER = """
            {"output":{"message":{"role":"assistant","content":[{"text":"Hi over TLS"}]}},"stopReason":"end_turn",
             "usage":{"inputTokens":1,"outputTokens":3,"totalTokens":4},"metrics":{"latencyMs":1}}""";

    private Vertx vertx;
    private HttpServer bedrock;
    private VertxSdkHttpClient http;
    private String trustStore;
    private volatile String signature;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        bedrock = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(new PfxOptions()
                .setPath(TLS.resolve("bedrock-localhost.p12").toString()).setPassword("changeit")))
                .requestHandler(request -> request.body().onSuccess(body -> {
                    signature = request.getHeader("Authorization");
                    request.response().putHeader("Content-Type", "application/json").end(ANSWER);
                }))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        http = new VertxSdkHttpClient(vertx, Duration.ofSeconds(5), 8);
        trustStore = System.getProperty("javax.net.ssl.trustStore");
    }

    @AfterEach
    void stop() throws Exception {
        restore("javax.net.ssl.trustStore", trustStore);
        System.clearProperty("javax.net.ssl.trustStorePassword");
        http.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    private static void trustTheStandIn() {
        System.setProperty("javax.net.ssl.trustStore", TLS.resolve("trust-localhost.p12").toString());
        System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
    }

    private CompletableFuture<String> converse(String host) {
        BedrockRuntimeAsyncClient client = BedrockRuntimeAsyncClient.builder().httpClient(http)
                // As BedrockClients has it: the SDK's future completes on the thread that read the answer.
                .asyncConfiguration(a -> a.advancedOption(SdkAdvancedAsyncClientOption.FUTURE_COMPLETION_EXECUTOR,
                        Runnable::run))
                .endpointOverride(URI.create("https://" + host + ":" + bedrock.actualPort()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
                .build();
        return client.converse(r -> r.modelId("anthropic.claude-3-haiku-20240307-v1:0")
                .messages(m -> m.role(ConversationRole.USER).content(ContentBlock.fromText("Hi"))))
                .thenApply(response -> response.output().message().content().get(0).text() + " on "
                        + Thread.currentThread().getName())
                .whenComplete((answer, failure) -> client.close());
    }

    @Test
    void aCallMadeOnAnEventLoopIsAnsweredOnThatLoopOverTls() throws Exception {
        trustTheStandIn();
        CompletableFuture<String> outcome = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            String caller = Thread.currentThread().getName();
            converse("localhost").whenComplete((answer, failure) -> {
                if (failure != null) {
                    outcome.completeExceptionally(failure);
                } else {
                    outcome.complete(answer + " called on " + caller);
                }
            });
        });
        String answer = outcome.get(30, TimeUnit.SECONDS);
        String[] parts = answer.split(" on | called on ");
        assertEquals("Hi over TLS", parts[0]);
        assertTrue(parts[1].startsWith("vert.x-eventloop-thread-"), answer);
        assertEquals(parts[2], parts[1], "answered on another thread than the caller's event loop");
        assertTrue(signature.startsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/"), signature);
    }

    @Test
    void aCallFromAnotherThreadIsAnsweredOnAnEventLoop() throws Exception {
        trustTheStandIn();
        String answer = converse("localhost").get(30, TimeUnit.SECONDS);
        assertTrue(answer.startsWith("Hi over TLS on vert.x-eventloop-thread-"), answer);
    }

    @Test
    void aCertificateTheJvmDoesNotTrustIsRefused() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> converse("localhost").get(30, TimeUnit.SECONDS));
        assertInstanceOf(SSLHandshakeException.class, rootOf(e, SSLHandshakeException.class), e.toString());
    }

    @Test
    void theHostNameMustMatchTheCertificate() {
        trustTheStandIn();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> converse("127.0.0.1").get(30, TimeUnit.SECONDS));
        assertInstanceOf(SSLHandshakeException.class, rootOf(e, SSLHandshakeException.class), e.toString());
    }

    private static Throwable rootOf(Throwable t, Class<?> wanted) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (wanted.isInstance(c)) {
                return c;
            }
        }
        return t;
    }
}
