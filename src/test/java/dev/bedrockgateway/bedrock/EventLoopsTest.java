package dev.bedrockgateway.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.catalog.ModelMode;
import dev.bedrockgateway.testing.SimulatedBedrock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;

/**
 * With {@code GATEWAY_BEDROCK_HTTP_CLIENT=NETTY} (and HTTP/2), the Bedrock client runs on Vert.x's event loops rather
 * than threads of its own (docs/performance/investigations.md), and by default
 * ({@code quarkus.vertx.prefer-native-transport=true}) those loops take the epoll transport on Linux, so the Bedrock
 * calls here go over epoll channels; {@link JavaNioTransportTest} covers Java NIO.
 */
@QuarkusTest
@TestProfile(EventLoopsTest.Netty.class)
@WithTestResource(SimulatedBedrock.class)
class EventLoopsTest {

    public static class Netty implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.bedrock.http-client", "NETTY");
        }
    }

    @Inject
    Vertx vertx;

    @Inject
    BedrockClients clients;

    @Inject
    BedrockInvoker invoker;

    /**
     * The simulator's echo of the prompt. The latency keeps the answer well apart from the subscription, which runs on
     * the test's thread.
     */
    private static final String PROMPT = "Hi simulate:latency-ms=200";
    static final String ANSWER = "Simulated reply from anthropic.claude-3-haiku-20240307-v1:0: " + PROMPT;

    @Test
    void bedrockAnswersArriveOnVertxEventLoops() throws Exception {
        assertEquals("NettyNio", clients.httpClientName());
        assertAnswerArrivesOnAVertxEventLoop(invoker);
    }

    @Test
    void linuxTakesEpollByDefault() {
        String arch = System.getProperty("os.arch");
        assumeTrue(System.getProperty("os.name").startsWith("Linux")
                && ("amd64".equals(arch) || "aarch64".equals(arch)), "epoll jars are shipped for Linux x86-64 and aarch64");
        assertTrue(vertx.isNativeTransportEnabled(), "Vert.x runs on Java NIO although epoll is the default");
    }

    static void assertAnswerArrivesOnAVertxEventLoop(BedrockInvoker invoker) throws Exception {
        assertEquals(ANSWER + " on vert.x-eventloop-thread-N", answerAndItsThread(invoker));
    }

    /** A Converse answer's text and the thread (its number as N) it arrived on, called from a thread of the test's. */
    private static String answerAndItsThread(BedrockInvoker invoker) throws Exception {
        String model = "anthropic.claude-3-haiku-20240307-v1:0";
        Deployment deployment = new Deployment("haiku", model, "us-east-1", ModelMode.CHAT, OptionalInt.empty(),
                OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), Optional.empty(), OptionalInt.empty(), 0);
        CompletableFuture<String> outcome = new CompletableFuture<>();
        invoker.converse(deployment, ConverseRequest.builder().modelId(model)
                .messages(m -> m.role(ConversationRole.USER).content(ContentBlock.fromText(PROMPT))).build())
                .subscribe().with(response -> outcome.complete(response.output().message().content().get(0).text()
                        + " on " + Thread.currentThread().getName().replaceAll("\\d+$", "N")),
                        failure -> outcome.complete(failure + " on " + Thread.currentThread().getName()));
        return outcome.get(30, TimeUnit.SECONDS);
    }
}
