package dev.bedrockgateway.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.bedrockgateway.testing.OpenAiSchemas;
import dev.bedrockgateway.testing.SimulatedBedrock;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The request bodies held in memory at once are bounded (gateway.limits.max-in-flight-request-bytes): past the
 * bound a request is refused with a retryable 503 before its body is read, instead of every request in flight
 * failing when the heap runs out.
 */
@QuarkusTest
@TestProfile(InFlightBytesTest.Profile.class)
@WithTestResource(SimulatedBedrock.class)
class InFlightBytesTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.limits.max-in-flight-request-bytes", "300000");
        }
    }

    @Inject
    RequestLimits limits;

    @Inject
    MeterRegistry registry;

    @Test
    void bodiesPastTheBoundAreRefusedUntilMemoryIsFreed() throws Exception {
        // A slow answer holds its request in flight; the others come at once.
        CompletableFuture<Response> held = CompletableFuture
                .supplyAsync(() -> chat("bedrock-claude-3-sonnet", SLOW + "3000 ", 200_000));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (limits.inFlightBytes() < 200_000 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(limits.inFlightBytes() >= 200_000, "the slow request is in flight");

        Response refused = chat("gpt-4o-mini", "", 200_000);
        assertEquals(503, refused.statusCode(), refused.asString());
        assertEquals("1", refused.header("Retry-After"));
        assertEquals("server_overloaded", refused.jsonPath().getString("error.code"));
        assertEquals("server_error", refused.jsonPath().getString("error.type"));
        OpenAiSchemas.assertValid("ErrorResponse", refused.asString());
        assertEquals(1.0, registry.get("gateway.rate.limited").tag("scope", "memory").counter().count());

        // What still fits is served meanwhile.
        Response small = chat("gpt-4o-mini", "", 1_000);
        assertEquals(200, small.statusCode(), small.asString());

        Response slow = held.get(30, TimeUnit.SECONDS);
        assertEquals(200, slow.statusCode(), slow.asString());
        assertEquals(0, released(10), "every ended request gave its bytes back");

        // Once memory is free the same request passes; so does one larger than the whole bound, when it is alone.
        assertEquals(200, chat("gpt-4o-mini", "", 200_000).statusCode());
        assertEquals(200, chat("gpt-4o-mini", "", 400_000).statusCode());
        assertEquals(404, chat("nonexistent-model", "", 200_000).statusCode());
        assertEquals(0, released(10), "refused and failed requests give their bytes back too");
    }

    @Test
    void aClientThatHangsUpGivesItsBytesBack() throws Exception {
        byte[] body = ("{\"model\":\"bedrock-claude-3-sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + SLOW + "8000 " + "x".repeat(200_000) + "\"}]}").getBytes(StandardCharsets.US_ASCII);
        URL url = new URL(RestAssured.baseURI + ":" + RestAssured.port + "/v1/chat/completions");
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer sk-test-key-1"
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (limits.inFlightBytes() < body.length && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(body.length, limits.inFlightBytes(), "the request is in flight");
        } // hangs up long before Bedrock answers
        assertEquals(0, released(2), "a request whose client went away gave its bytes back at once");
    }

    /** The bytes still held once the end handlers of finished requests have run. */
    private long released(int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (limits.inFlightBytes() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return limits.inFlightBytes();
    }

    /** Asks the simulator to answer after the milliseconds that follow. */
    private static final String SLOW = "simulate:latency-ms=";

    private static Response chat(String model, String directive, int size) {
        return given().header("Authorization", "Bearer sk-test-key-1").contentType(ContentType.JSON).body("""
                {"model":"%s","messages":[{"role":"user","content":"%s%s"}]}""".formatted(model, directive,
                "x".repeat(size)))
                .post("/v1/chat/completions");
    }
}
