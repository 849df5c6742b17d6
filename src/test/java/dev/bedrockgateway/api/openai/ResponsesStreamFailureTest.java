package dev.bedrockgateway.api.openai;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.bedrockgateway.testing.SimulatedBedrock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * A Responses stream whose Bedrock stream stalls after its first delta: the client gets the events so far, then an
 * {@code error} event and {@code response.failed} (which Codex reads), all in OpenAI's schemas, and nothing is stored.
 */
@QuarkusTest
@TestProfile(ResponsesStreamFailureTest.Profile.class)
@WithTestResource(SimulatedBedrock.class)
class ResponsesStreamFailureTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.bedrock.stream-idle-timeout", "1S");
        }
    }

    @Test
    void aStreamThatFailsMidWayEndsWithAnErrorEventAndResponseFailed() throws Exception {
        String sse = given().header("Authorization", ResponsesResourceTest.KEY).contentType(ContentType.JSON)
                .body("{\"model\":\"claude-haiku-4-5\",\"input\":\"Say a lot simulate:stall\",\"stream\":true}")
                .post("/v1/responses").then().statusCode(200).extract().asString();
        List<JsonNode> events = ResponsesResourceTest.events(sse);
        List<String> types = events.stream().map(e -> e.get("type").asText()).toList();
        assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added",
                "response.content_part.added", "response.output_text.delta", "error", "response.failed"), types);
        JsonNode error = events.get(5);
        assertTrue(error.get("message").asText().length() > 0);
        JsonNode failed = events.get(6).get("response");
        assertEquals("failed", failed.get("status").asText());
        assertEquals("server_error", failed.at("/error/code").asText());
        given().header("Authorization", ResponsesResourceTest.KEY)
                .get("/v1/responses/" + failed.get("id").asText()).then().statusCode(404);
    }
}
