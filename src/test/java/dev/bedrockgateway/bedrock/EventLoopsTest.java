package dev.bedrockgateway.bedrock;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.bedrockgateway.testing.BedrockStandIn;
import dev.bedrockgateway.testing.ConverseReplies;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;

/** The Bedrock client runs on Vert.x's event loops rather than threads of its own (bench/README.md). */
@QuarkusTest
@WithTestResource(BedrockStandIn.class)
class EventLoopsTest {

    @Inject
    BedrockClients clients;

    @BedrockStandIn.Inject
    WireMockServer bedrock;

    @Test
    void bedrockAnswersArriveOnVertxEventLoops() throws Exception {
        assertAnswerArrivesOnAVertxEventLoop(clients, bedrock);
    }

    static void assertAnswerArrivesOnAVertxEventLoop(BedrockClients clients, WireMockServer bedrock) throws Exception {
        // The delay keeps the answer from arriving before whenComplete is attached below: a call already complete
        // by then would run the callback on this test thread (seen once on a loaded 2-core machine).
        bedrock.stubFor(post(urlPathMatching("/model/.*/converse"))
                .willReturn(ConverseReplies.text("Hi", "end_turn", 1, 1).withFixedDelay(200)));
        CompletableFuture<String> outcome = new CompletableFuture<>();
        clients.forRegion("us-east-1").converse(r -> r.modelId("anthropic.claude-3-haiku-20240307-v1:0")
                .messages(m -> m.role(ConversationRole.USER).content(ContentBlock.fromText("Hi"))))
                .whenComplete((response, failure) -> outcome.complete((failure == null
                        ? response.output().message().content().get(0).text() : failure.toString())
                        + " on " + Thread.currentThread().getName().replaceAll("\\d+$", "N")));
        assertEquals("Hi on vert.x-eventloop-thread-N", outcome.get(30, TimeUnit.SECONDS));
    }
}
