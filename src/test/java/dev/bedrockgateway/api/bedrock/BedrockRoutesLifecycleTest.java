package dev.bedrockgateway.api.bedrock;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.bedrockgateway.bedrock.EventFrame;
import dev.bedrockgateway.bedrock.EventFrameReader;
import dev.bedrockgateway.dev.BedrockSimulator;
import dev.bedrockgateway.observability.GatewayMetrics;
import dev.bedrockgateway.testing.SimulatedBedrock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Relayed streams that do not end well: a silence before the first frame is an ordinary error, a silence after it
 * ends the stream with an exception frame, and a client that leaves cancels the Bedrock call; never a hang, never a
 * call left running for nobody (the simulator counts the answers the gateway abandoned).
 */
@QuarkusTest
@TestProfile(BedrockRoutesLifecycleTest.Profile.class)
@WithTestResource(SimulatedBedrock.class)
class BedrockRoutesLifecycleTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.bedrock.stream-idle-timeout", "1S", "gateway.bedrock.first-byte-timeout", "1S");
        }
    }

    static final String STREAM = "/bedrock/model/bedrock-claude-3-sonnet/converse-stream";

    @SimulatedBedrock.Inject
    BedrockSimulator bedrock;

    @Inject
    GatewayMetrics metrics;

    @TestHTTPResource("/")
    URL root;

    static String converse(String text) {
        return "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"" + text + "\"}]}]}";
    }

    private boolean abandonedSince(int before) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (bedrock.abandoned() > before) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    @Test
    void aStreamThatStallsEndsWithAModelTimeoutFrame() throws Exception {
        given().get(STREAM).then().statusCode(405);
        int before = bedrock.abandoned();
        long start = System.nanoTime();
        Response response = given().header("Authorization", "Bearer sk-test-key-1").contentType("application/json")
                .body(converse("stall please simulate:stall")).post(STREAM);
        long millis = (System.nanoTime() - start) / 1_000_000;

        response.then().statusCode(200).contentType("application/vnd.amazon.eventstream");
        List<EventFrame> frames = new EventFrameReader().feed(ByteBuffer.wrap(response.asByteArray()));
        assertEquals("messageStart", frames.get(0).eventType());
        assertEquals("contentBlockDelta", frames.get(frames.size() - 2).eventType());
        EventFrame last = frames.get(frames.size() - 1);
        assertTrue(last.isException());
        assertEquals("modelTimeoutException", last.exceptionType());
        assertTrue(millis < 3000, "ended after " + millis + " ms");
        assertTrue(abandonedSince(before), "the stalled Bedrock call was not cancelled");
    }

    @Test
    void noFirstFrameInTimeIsBedrocksModelTimeout() throws Exception {
        // REST Assured's own first request takes seconds; not part of what is measured.
        given().get(STREAM).then().statusCode(405);
        int before = bedrock.abandoned();
        long start = System.nanoTime();
        Response response = given().header("Authorization", "Bearer sk-test-key-1").contentType("application/json")
                .body(converse("Hi simulate:latency-ms=5000")).post(STREAM);
        long millis = (System.nanoTime() - start) / 1_000_000;

        response.then().statusCode(408).header("x-amzn-ErrorType", "ModelTimeoutException");
        assertTrue(response.jsonPath().getString("message").contains("first-byte timeout"), response.asString());
        assertTrue(millis < 3000, "answered after " + millis + " ms");
        assertTrue(abandonedSince(before), "the Bedrock call was not cancelled at the first-byte timeout");
    }

    @Test
    void aClientThatLeavesCancelsTheBedrockStream() throws Exception {
        int before = bedrock.abandoned();
        String body = converse("Tell me everything simulate:endless");
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + STREAM + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer sk-test-key-1"
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            int read = 0;
            while (read < 8192) {
                int n = in.read(buffer);
                assertTrue(n > 0, "stream ended early");
                read += n;
            }
        }
        assertTrue(abandonedSince(before), "Bedrock stream still running after the client left");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (metrics.streamsInFlight() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, metrics.streamsInFlight(), "streams in flight");
    }
}
