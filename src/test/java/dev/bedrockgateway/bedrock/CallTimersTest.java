package dev.bedrockgateway.bedrock;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.bedrockgateway.testing.BedrockStandIn;
import dev.bedrockgateway.testing.ConverseReplies;
import dev.bedrockgateway.testing.EventStreamFrames;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Every Bedrock call arms a timer for its request timeout (600 s by default). A call that has ended must not leave
 * its timer queued until then: at a few thousand requests per second that is millions of objects, over a hundred
 * megabytes of heap.
 */
@QuarkusTest
@WithTestResource(BedrockStandIn.class)
class CallTimersTest {

    @Inject
    BedrockClients clients;

    @BedrockStandIn.Inject
    WireMockServer bedrock;

    @Test
    void endedCallsLeaveNoTimerQueued() throws InterruptedException {
        bedrock.resetAll();
        bedrock.stubFor(post(urlPathMatching("/model/.*sonnet.*/converse"))
                .willReturn(ConverseReplies.text("Hi", "end_turn", 1, 1)));
        bedrock.stubFor(post(urlPathMatching("/model/.*sonnet.*/converse-stream"))
                .willReturn(EventStreamFrames.stream().start().text(0, "Hi").stop(0).messageStop("end_turn")
                        .metadata(1, 1).response()));
        bedrock.stubFor(post(urlPathMatching("/model/.*haiku.*/converse"))
                .willReturn(ConverseReplies.error(400, "ValidationException", "bad request")));
        for (int i = 0; i < 20; i++) {
            chat("bedrock-claude-3-sonnet", "").then().statusCode(200).body(containsString("\"Hi\""));
            chat("bedrock-claude-3-sonnet", ",\"stream\":true").then().statusCode(200)
                    .body(containsString("data: [DONE]"));
            chat("gpt-4o-mini", "").then().statusCode(400);
        }
        assertEquals(60, bedrock.getAllServeEvents().size(), "every request reached Bedrock once");
        // The client can have its answer a moment before the SDK's thread has cancelled the call's timer.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (clients.pendingTimeouts() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, clients.pendingTimeouts(), "timers of calls that have ended");
    }

    private static io.restassured.response.Response chat(String model, String extra) {
        return given().header("Authorization", "Bearer sk-test-key-1").contentType(ContentType.JSON).body("""
                {"model":"%s","messages":[{"role":"user","content":"Hi"}]%s}""".formatted(model, extra))
                .post("/v1/chat/completions");
    }
}
