package dev.bedrockgateway.api.bedrock;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.bedrockgateway.governance.GovernanceProfile;
import dev.bedrockgateway.testing.BedrockStandIn;
import dev.bedrockgateway.testing.ConverseReplies;
import dev.bedrockgateway.testing.GovernanceStores;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Virtual keys on Bedrock's routes, as on every other: the key's model list (a Bedrock id counts as the catalog name
 * it stands for), its cost answered and logged, its budget and rate limits, refused in Bedrock's shape. Bedrock
 * answers every call with 100 input and 10 output tokens: $0.00012 at the catalog's prices.
 */
@QuarkusTest
@TestProfile(GovernanceProfile.class)
@WithTestResource(BedrockStandIn.class)
@WithTestResource(GovernanceStores.class)
class BedrockRoutesGovernanceTest {

    static final String MASTER = "sk-test-key-1";

    @BedrockStandIn.Inject
    WireMockServer bedrock;

    @BeforeEach
    void stub() {
        ConverseReplies.answerEverything(bedrock, ConverseReplies.text("Hello", "end_turn", 100, 10));
    }

    static String newKey(String body) {
        Response response = given().header("Authorization", "Bearer " + MASTER).contentType("application/json")
                .body(body).post("/key/generate");
        assertEquals(200, response.statusCode(), response.asString());
        return response.jsonPath().getString("key");
    }

    static Response converse(String key, String modelId) {
        return given().urlEncodingEnabled(false).header("Authorization", "Bearer " + key)
                .contentType("application/json")
                .body("{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hi\"}]}],"
                        + "\"inferenceConfig\":{\"maxTokens\":10}}")
                .post("/bedrock/model/" + modelId + "/converse");
    }

    @Test
    void aKeyLimitedToSomeModelsReachesOnlyThoseWhateverTheyAreCalled() {
        String key = newKey("{\"models\":[\"priced\"]}");
        converse(key, "priced").then().statusCode(200).header("x-bedrock-gateway-cost", "0.00012");
        converse(key, "anthropic.claude-3-haiku-20240307-v1%3A0").then().statusCode(200);
        converse(key, "other").then().statusCode(404).header("x-amzn-ErrorType", "ResourceNotFoundException");
        converse(key, "meta.llama3-8b-instruct-v1%3A0").then().statusCode(404)
                .header("x-amzn-ErrorType", "ResourceNotFoundException");
        bedrock.verify(2, postRequestedFor(
                urlPathMatching("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse")));
    }

    @Test
    void aSpentBudgetIsBedrocksServiceQuotaExceededWhichTheSdksDoNotRetry() {
        // Admitted while spent + reserved < max: 0, 0.00012 and 0.00024 are under 0.0003, 0.00036 is not.
        String key = newKey("{\"max_budget\":0.0003}");
        List<Integer> statuses = new ArrayList<>();
        Response last = null;
        for (int i = 0; i < 4; i++) {
            last = converse(key, "priced");
            statuses.add(last.statusCode());
        }
        assertEquals(List.of(200, 200, 200, 400), statuses);
        last.then().header("x-amzn-ErrorType", "ServiceQuotaExceededException");
        assertTrue(last.jsonPath().getString("message").contains("budget"), last.asString());
    }

    @Test
    void aKeysRateLimitIsThrottling() {
        String key = newKey("{\"rpm_limit\":1}");
        converse(key, "priced").then().statusCode(200);
        Response refused = converse(key, "priced");
        refused.then().statusCode(429).header("x-amzn-ErrorType", "ThrottlingException");
        assertTrue(Integer.parseInt(refused.header("Retry-After")) >= 1);
        assertEquals(1, bedrock.getAllServeEvents().size(), "the refused call reached Bedrock");
    }
}
