package dev.bedrockgateway.api.bedrock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.bedrockgateway.testing.BedrockStandIn;
import dev.bedrockgateway.testing.ConverseReplies;
import dev.bedrockgateway.testing.EventStreamFrames;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * The router on Bedrock's own routes: a retryable failure before the first byte (an error status, a stream refused
 * with an exception frame first) is tried again, each attempt freshly signed; an exhausted model falls back to
 * another, whose own deployment (model id, region) the relay then calls.
 */
@QuarkusTest
@TestProfile(BedrockRoutesRoutingTest.Profile.class)
@WithTestResource(BedrockStandIn.class)
class BedrockRoutesRoutingTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.config-file", "src/test/resources/catalogs/bedrock-routes.yaml",
                    "gateway.routing.retry-delay", "10MS",
                    "gateway.routing.retry-jitter", "5MS",
                    "gateway.routing.retry-max-delay", "50MS");
        }
    }

    static final String BODY = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hi\"}]}]}";

    @BedrockStandIn.Inject
    WireMockServer bedrock;

    @BeforeEach
    void reset() {
        bedrock.resetAll();
    }

    static Response converse(String model, String operation) {
        return given().header("Authorization", "Bearer sk-test-key-1").contentType("application/json").body(BODY)
                .post("/bedrock/model/" + model + "/" + operation);
    }

    @Test
    void aThrottledCallIsTriedAgainBeforeTheClientSeesIt() {
        String path = "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse";
        bedrock.stubFor(post(urlEqualTo(path)).inScenario("retry").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(ConverseReplies.error(503, "ServiceUnavailableException", "Try again"))
                .willSetStateTo("second"));
        bedrock.stubFor(post(urlEqualTo(path)).inScenario("retry").whenScenarioStateIs("second")
                .willReturn(ConverseReplies.text("Hello", "end_turn", 5, 1)));

        converse("br-retry", "converse").then().statusCode(200);

        List<LoggedRequest> attempts = bedrock.findAll(postRequestedFor(urlEqualTo(path)));
        assertEquals(2, attempts.size());
        assertArrayEquals(attempts.get(0).getBody(), attempts.get(1).getBody());
    }

    @Test
    void aStreamRefusedWithAnExceptionFrameFirstIsTriedAgain() {
        String path = "/model/anthropic.claude-3-sonnet-20240229-v1%3A0/converse-stream";
        byte[] frames = EventStreamFrames.stream().start().text(0, "Hi").stop(0).messageStop("end_turn")
                .metadata(2, 1).bytes();
        bedrock.stubFor(post(urlEqualTo(path)).inScenario("stream").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(EventStreamFrames.stream().exception("throttlingException", "Slow down").response())
                .willSetStateTo("second"));
        bedrock.stubFor(post(urlEqualTo(path)).inScenario("stream").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/vnd.amazon.eventstream")
                        .withBody(frames)));

        Response response = converse("br-stream", "converse-stream");

        response.then().statusCode(200);
        assertArrayEquals(frames, response.asByteArray());
        bedrock.verify(2, postRequestedFor(urlEqualTo(path)));
    }

    @Test
    void anExhaustedModelFallsBackToAnotherModelsDeployment() {
        bedrock.stubFor(post(urlEqualTo("/model/cohere.command-r-v1%3A0/converse"))
                .willReturn(ConverseReplies.error(500, "InternalServerException", "Down")));
        bedrock.stubFor(post(urlEqualTo("/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse"))
                .willReturn(ConverseReplies.text("From the fallback", "end_turn", 5, 3)));

        Response response = converse("br-primary", "converse");

        response.then().statusCode(200);
        assertTrue(response.asString().contains("From the fallback"), response.asString());
        bedrock.verify(3, postRequestedFor(urlEqualTo("/model/cohere.command-r-v1%3A0/converse")));
        LoggedRequest fallback = bedrock.findAll(postRequestedFor(
                urlEqualTo("/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse"))).get(0);
        // Signed for the fallback deployment's own region.
        assertTrue(fallback.getHeader("Authorization").contains("/us-west-2/bedrock/aws4_request"),
                fallback.getHeader("Authorization"));
    }

    @Test
    void aValidationErrorIsNotRetried() {
        String path = "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse";
        bedrock.stubFor(post(urlEqualTo(path)).willReturn(ConverseReplies.error(400, "ValidationException", "No")));

        converse("br-retry", "converse").then().statusCode(400).header("x-amzn-ErrorType", "ValidationException");
        bedrock.verify(1, postRequestedFor(urlEqualTo(path)));
    }
}
