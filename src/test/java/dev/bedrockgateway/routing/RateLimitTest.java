package dev.bedrockgateway.routing;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.bedrockgateway.testing.BedrockStandIn;
import dev.bedrockgateway.testing.ConverseReplies;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Client rate limits with exact counts: 5 requests per minute per key ({@code gateway.rate-limits.key-rpm}), and a
 * deployment whose catalog {@code tpm} is 40 while each answer uses 15 tokens (so 3 calls fit).
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestProfile(RateLimitTest.Profile.class)
@WithTestResource(BedrockStandIn.class)
class RateLimitTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.config-file", "src/test/resources/catalogs/rate-limits.yaml",
                    "gateway.rate-limits.key-rpm", "5",
                    "gateway.limits.max-messages", "3",
                    "gateway.limits.max-output-tokens", "100");
        }
    }

    @BedrockStandIn.Inject
    WireMockServer bedrock;

    @BeforeEach
    void stub() {
        ConverseReplies.answerEverything(bedrock, ConverseReplies.text("Hello", "end_turn", 10, 5));
    }

    private static Response send(String key, String model) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .post("/v1/chat/completions");
    }

    @Test
    @Order(1)
    void aKeyGetsItsRequestsPerMinuteThen429WithOpenAisHeaders() {
        List<Response> responses = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            responses.add(send("sk-test-key-1", "rl-free"));
        }
        List<Integer> statuses = responses.stream().map(Response::statusCode).toList();
        assertEquals(List.of(200, 200, 200, 200, 200, 429, 429), statuses);
        for (int i = 0; i < 5; i++) {
            assertEquals("5", responses.get(i).header("x-ratelimit-limit-requests"));
            assertEquals(String.valueOf(4 - i), responses.get(i).header("x-ratelimit-remaining-requests"));
            assertTrue(responses.get(i).header("x-ratelimit-reset-requests").matches("\\d+(\\.\\d+)?m?s|\\d+m\\d+(\\.\\d+)?s"),
                    responses.get(i).header("x-ratelimit-reset-requests"));
        }
        Response refused = responses.get(5);
        assertEquals("rate_limit_exceeded", refused.jsonPath().getString("error.code"));
        assertEquals("rate_limit_error", refused.jsonPath().getString("error.type"));
        assertTrue(refused.jsonPath().getString("error.message").contains("requests per min (RPM): Limit 5"));
        int retryAfter = Integer.parseInt(refused.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 12, "one request refills in at most 60 s / 5: " + retryAfter);
        assertEquals("0", refused.header("x-ratelimit-remaining-requests"));
        // Another key has its own budget.
        assertEquals(200, send("sk-test-key-2", "rl-free").statusCode());
    }

    /** Runs second: key 2 used 1 of its 5 requests above, so its RPM leaves room for these 4. */
    @Test
    @Order(2)
    void aDeploymentsTokensPerMinuteStopItAfterTheTokensItCanServe() {
        List<Response> responses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            responses.add(send("sk-test-key-2", "rl-tpm"));
        }
        assertEquals(List.of(200, 200, 200, 429), responses.stream().map(Response::statusCode).toList(),
                "15 tokens each: 40 -> 25 -> 10 -> -5, then refused");
        Response refused = responses.get(3);
        assertEquals("rate_limit_exceeded", refused.jsonPath().getString("error.code"));
        assertTrue(refused.jsonPath().getString("error.message").contains("tokens per minute"),
                refused.jsonPath().getString("error.message"));
    }

    /** The request limits are checked before the rate limits, so they never use up a key's budget. */
    @Test
    @Order(3)
    void messageCountAndMaxTokensAboveTheLimitsAre400sNamingTheField() {
        Response tooMany = given().header("Authorization", "Bearer sk-test-key-1").contentType(ContentType.JSON)
                .body("{\"model\":\"rl-free\",\"messages\":[" + "{\"role\":\"user\",\"content\":\"a\"},".repeat(3)
                        + "{\"role\":\"user\",\"content\":\"b\"}]}")
                .post("/v1/chat/completions");
        assertEquals(400, tooMany.statusCode(), tooMany.asString());
        assertEquals("messages", tooMany.jsonPath().getString("error.param"));
        Response tooLong = given().header("Authorization", "Bearer sk-test-key-1").contentType(ContentType.JSON)
                .body("{\"model\":\"rl-free\",\"max_tokens\":101,\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}")
                .post("/v1/chat/completions");
        assertEquals(400, tooLong.statusCode(), tooLong.asString());
        assertEquals("max_tokens", tooLong.jsonPath().getString("error.param"));
        Response legacy = given().header("Authorization", "Bearer sk-test-key-1").contentType(ContentType.JSON)
                .body("{\"model\":\"rl-free\",\"max_tokens\":500,\"prompt\":\"a\"}").post("/v1/completions");
        assertEquals(400, legacy.statusCode(), legacy.asString());
        assertEquals("max_tokens", legacy.jsonPath().getString("error.param"));
    }
}
