package dev.bedrockgateway.routing;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.bedrockgateway.testing.BedrockStandIn;
import dev.bedrockgateway.testing.ConverseReplies;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * With its only deployment cooling down, the gateway answers 503 + Retry-After without calling Bedrock and reports
 * not ready (liveness stays UP); after the cool-down one trial call closes the circuit and it is ready again.
 */
@QuarkusTest
@TestProfile(DeploymentsReadinessTest.Profile.class)
@WithTestResource(BedrockStandIn.class)
class DeploymentsReadinessTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.config-file", "src/test/resources/catalogs/one-deployment.yaml");
        }
    }

    @BedrockStandIn.Inject
    WireMockServer bedrock;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "/health/live", management = true)
    URL live;

    private static Response send() {
        return given().header("Authorization", "Bearer sk-test-key-1").contentType(ContentType.JSON)
                .body("{\"model\":\"only\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .post("/v1/chat/completions");
    }

    @Test
    void allCircuitsOpenMeansNotReadyUntilTheCooldownEnds() throws InterruptedException {
        String path = "/model/.*/converse";
        given().get(ready).then().statusCode(200);
        bedrock.stubFor(post(urlPathMatching(path)).willReturn(
                ConverseReplies.error(500, "InternalServerException", "Down")));

        assertEquals(502, send().statusCode());
        Response cooling = send();
        assertEquals(503, cooling.statusCode(), cooling.asString());
        assertEquals("2", cooling.header("Retry-After"));
        assertEquals(1, bedrock.countRequestsMatching(postRequestedFor(urlPathMatching(path)).build()).getCount(),
                "no call while cooling down");
        given().get(ready).then().statusCode(503);
        given().get(live).then().statusCode(200);

        bedrock.resetAll();
        bedrock.stubFor(post(urlPathMatching(path)).willReturn(ConverseReplies.text("Back", "end_turn", 1, 1)));
        Thread.sleep(2100);
        given().get(ready).then().statusCode(200);
        assertEquals(200, send().statusCode());
        given().get(ready).then().statusCode(200);
    }
}
