package dev.bedrockgateway.api.openai;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.bedrockgateway.api.StreamLifecycleTest;
import dev.bedrockgateway.testing.SimulatedBedrock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * A Responses stream whose Bedrock stream stalls after its first delta: the client gets the events so far, then an
 * {@code error} event and {@code response.failed} (which Codex reads), all in OpenAI's schemas, and nothing is stored.
 */
@QuarkusTest
// StreamLifecycleTest's profile (a 1 s stream idle timeout): one application start for both.
@TestProfile(StreamLifecycleTest.Profile.class)
@WithTestResource(SimulatedBedrock.class)
class ResponsesStreamFailureTest {

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
