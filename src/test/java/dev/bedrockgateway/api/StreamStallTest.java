package dev.bedrockgateway.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.bedrockgateway.testing.SimulatedBedrock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * A Bedrock stream that stays silent before its first event gets the client an ordinary 504 within the first-byte
 * timeout (1 s here); a stall after the start is covered by {@link StreamLifecycleTest}.
 */
@QuarkusTest
@TestProfile(StreamStallTest.Profile.class)
@WithTestResource(SimulatedBedrock.class)
class StreamStallTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.bedrock.first-byte-timeout", "1S");
        }
    }

    @Test
    void silenceBeforeTheFirstEventIs504() {
        long start = System.nanoTime();
        Response response = given().header("Authorization", "Bearer sk-test-key-1").contentType(ContentType.JSON)
                .body("""
                        {"model":"bedrock-claude-3-sonnet","stream":true,
                         "messages":[{"role":"user","content":"Hi simulate:latency-ms=5000"}]}""")
                .post("/v1/chat/completions");
        long millis = (System.nanoTime() - start) / 1_000_000;
        response.then().statusCode(504).contentType(ContentType.JSON);
        assertEquals("timeout", response.jsonPath().getString("error.code"));
        assertTrue(millis < 4000, "answered after " + millis + " ms");
    }
}
