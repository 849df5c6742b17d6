package dev.bedrockgateway.governance;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.bedrockgateway.testing.BedrockStandIn;
import dev.bedrockgateway.testing.ConverseReplies;
import dev.bedrockgateway.testing.GovernanceStores;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Virtual keys on the Responses API: the same model lists and spend log as on chat, and its stored responses in
 * PostgreSQL, each seen only by the key that made it. Bedrock answers 100 input and 10 output tokens: $0.00012 at the
 * catalog's prices (1e-6 and 2e-6 per token).
 */
@QuarkusTest
@TestProfile(GovernanceProfile.class)
@WithTestResource(BedrockStandIn.class)
@WithTestResource(GovernanceStores.class)
class ResponsesGovernanceTest {

    @BedrockStandIn.Inject
    WireMockServer bedrock;

    @BeforeEach
    void stub() {
        ConverseReplies.answerEverything(bedrock, ConverseReplies.text("Hello", "end_turn", 100, 10));
    }

    static Response create(String key, String model) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body("{\"model\":\"" + model + "\",\"input\":\"Hi\"}").post("/v1/responses");
    }

    @Test
    void aVirtualKeysResponsesAreCostedLoggedAndStoredForItAlone() throws Exception {
        String key = VirtualKeyEnforcementTest.newKey("{\"user_id\":\"codex\"}");
        Response created = create(key, "priced");
        created.then().statusCode(200).body("output[0].content[0].text", equalTo("Hello"))
                .body("usage.input_tokens", equalTo(100));
        assertEquals("0.00012", created.header("x-bedrock-gateway-cost"));
        List<Map<String, Object>> rows = VirtualKeyEnforcementTest.spendRows(key, 1);
        assertEquals(1, rows.size(), rows.toString());
        assertEquals(new BigDecimal("0.00012"), ((BigDecimal) rows.get(0).get("spend")).stripTrailingZeros());
        assertEquals("priced", rows.get(0).get("model_group"));
        assertEquals("codex", rows.get(0).get("user"));

        String id = created.jsonPath().getString("id");
        given().header("Authorization", "Bearer " + key).get("/v1/responses/" + id).then().statusCode(200)
                .body("id", equalTo(id));
        String other = VirtualKeyEnforcementTest.newKey("{}");
        given().header("Authorization", "Bearer " + other).get("/v1/responses/" + id).then().statusCode(404);
        given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body("{\"model\":\"priced\",\"input\":\"Again\",\"previous_response_id\":\"" + id + "\"}")
                .post("/v1/responses").then().statusCode(200).body("previous_response_id", equalTo(id));
    }

    @Test
    void aKeysModelListHoldsWithOpenAisNotFound() {
        String key = VirtualKeyEnforcementTest.newKey("{\"models\":[\"other\"]}");
        create(key, "priced").then().statusCode(404).body("error.code", equalTo("model_not_found"));
        bedrock.verify(0, postRequestedFor(urlPathMatching(".*")));
    }
}
