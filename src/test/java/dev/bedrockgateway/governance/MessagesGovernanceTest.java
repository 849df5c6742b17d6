package dev.bedrockgateway.governance;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.bedrockgateway.testing.BedrockStandIn;
import dev.bedrockgateway.testing.ConverseReplies;
import dev.bedrockgateway.testing.EventStreamFrames;
import dev.bedrockgateway.testing.GovernanceStores;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Virtual keys on Anthropic's Messages API: the same model lists, limits, budgets and spend log as on OpenAI's routes,
 * refusals in Anthropic's shape. Claude answers every call with 100 input, 10 output and 1,000 cache-read tokens:
 * $0.00022 at the catalog's prices (1e-6, 2e-6, 1e-7 per token).
 */
@QuarkusTest
@TestProfile(GovernanceProfile.class)
@WithTestResource(BedrockStandIn.class)
@WithTestResource(GovernanceStores.class)
class MessagesGovernanceTest {

    static final String CLAUDE_ANSWER = "{\"id\":\"msg_bdrk_1\",\"type\":\"message\",\"role\":\"assistant\","
            + "\"model\":\"claude-3-haiku-20240307\",\"content\":[{\"type\":\"text\",\"text\":\"Hello\"}],"
            + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":100,"
            + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":1000,\"output_tokens\":10}}";

    @BedrockStandIn.Inject
    WireMockServer bedrock;

    @BeforeEach
    void stub() {
        bedrock.resetAll();
        bedrock.stubFor(post(urlPathMatching("/model/.*/invoke")).willReturn(ConverseReplies.json(CLAUDE_ANSWER)));
        EventStreamFrames frames = EventStreamFrames.stream();
        for (String event : List.of(
                "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bdrk_2\",\"type\":\"message\",\"role\":"
                        + "\"assistant\",\"model\":\"claude-3-haiku-20240307\",\"content\":[],\"stop_reason\":null,"
                        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":100,\"cache_read_input_tokens\":1000,"
                        + "\"cache_creation_input_tokens\":0,\"output_tokens\":1}}}",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}",
                "{\"type\":\"content_block_stop\",\"index\":0}",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
                        + "\"usage\":{\"output_tokens\":10}}",
                "{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":100,"
                        + "\"outputTokenCount\":10}}")) {
            frames.event("chunk", "{\"bytes\":\"" + Base64.getEncoder().encodeToString(
                    event.getBytes(StandardCharsets.UTF_8)) + "\"}");
        }
        bedrock.stubFor(post(urlPathMatching("/model/.*/invoke-with-response-stream")).willReturn(frames.response()));
    }

    static Response messages(String key, String model, boolean stream) {
        return given().header("x-api-key", key).contentType(ContentType.JSON)
                .body("{\"model\":\"" + model + "\",\"max_tokens\":10,\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .post("/v1/messages");
    }

    @Test
    void aVirtualKeysMessagesAreCostedAndLoggedJsonAndStreamed() throws Exception {
        String key = VirtualKeyEnforcementTest.newKey("{\"user_id\":\"claude-code\"}");
        Response json = messages(key, "priced", false);
        json.then().statusCode(200).body("content[0].text", equalTo("Hello"));
        assertEquals("0.00022", json.header("x-bedrock-gateway-cost"));
        messages(key, "priced", true).then().statusCode(200);

        List<Map<String, Object>> rows = VirtualKeyEnforcementTest.spendRows(key, 2);
        assertEquals(2, rows.size(), rows.toString());
        for (Map<String, Object> row : rows) {
            assertEquals(new BigDecimal("0.00022"), ((BigDecimal) row.get("spend")).stripTrailingZeros(),
                    row.toString());
            assertEquals(10, ((Number) row.get("completion_tokens")).intValue());
            assertEquals("priced", row.get("model_group"));
            assertEquals("claude-code", row.get("user"));
        }
    }

    @Test
    void aKeysModelListHoldsWithAnthropicsNotFound() {
        String key = VirtualKeyEnforcementTest.newKey("{\"models\":[\"other\"]}");
        messages(key, "priced", false).then().statusCode(404).body("type", equalTo("error"))
                .body("error.type", equalTo("not_found_error"));
        bedrock.verify(0, com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlPathMatching(".*")));
    }

    @Test
    void limitsAndBudgetsAreRateLimitErrorsWithRetryAfter() {
        String limited = VirtualKeyEnforcementTest.newKey("{\"rpm_limit\":1}");
        messages(limited, "priced", false).then().statusCode(200);
        Response refused = messages(limited, "priced", false);
        refused.then().statusCode(429).body("error.type", equalTo("rate_limit_error"));
        assertTrue(Integer.parseInt(refused.header("retry-after")) >= 1);

        // Admitted while spent + reserved < max: the first costs $0.00022, the second is refused.
        String budgeted = VirtualKeyEnforcementTest.newKey("{\"max_budget\":0.0002}");
        messages(budgeted, "priced", false).then().statusCode(200);
        messages(budgeted, "priced", false).then().statusCode(429).body("error.type", equalTo("rate_limit_error"))
                .body("error.message", org.hamcrest.Matchers.containsString("budget"));
    }
}
