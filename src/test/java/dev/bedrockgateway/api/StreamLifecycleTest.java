package dev.bedrockgateway.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.bedrockgateway.api.openai.StreamingTest;
import dev.bedrockgateway.dev.BedrockSimulator;
import dev.bedrockgateway.observability.GatewayMetrics;
import dev.bedrockgateway.testing.Metrics;
import dev.bedrockgateway.testing.OpenAiSchemas;
import dev.bedrockgateway.testing.SimulatedBedrock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Streams that do not end well: a client that goes away cancels the Bedrock call (no work continues for nobody),
 * a Bedrock stream that stalls mid-way ends the client's stream with an error frame within the idle timeout, and
 * one that goes on past the request timeout ends with an error frame then.
 * The simulator's {@code simulate:endless} and {@code simulate:stall} make those streams, and it counts the answers
 * the gateway abandoned.
 */
@QuarkusTest
@TestProfile(StreamLifecycleTest.Profile.class)
@WithTestResource(SimulatedBedrock.class)
public class StreamLifecycleTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // The request timeout bounds a whole stream; 3 s is longer than any other stream here takes.
            return Map.of("gateway.bedrock.stream-idle-timeout", "1S", "gateway.bedrock.request-timeout", "3S");
        }
    }

    @SimulatedBedrock.Inject
    BedrockSimulator bedrock;

    @TestHTTPResource("/v1/chat/completions")
    URL chatUrl;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Inject
    GatewayMetrics gatewayMetrics;

    /** Exchanges counted as left by their client (status 499) so far. */
    private double leftByClient() {
        double count = Metrics.sum(metrics, "gateway_requests_seconds_count", "status=\"499\"");
        return Double.isNaN(count) ? 0 : count;
    }

    /**
     * Sends a streamed chat request with this prompt over a raw socket (10 s read timeout), so that each byte's
     * arrival can be seen.
     */
    private static void postStream(Socket socket, String prompt) throws IOException {
        String body = "{\"model\":\"bedrock-claude-3-sonnet\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer sk-test-key-1"
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Waits until the simulator saw one more answer abandoned than {@code before}. */
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

    /**
     * The answer is committed by Bedrock's first event, messageStart, and its head (200, the event-stream headers)
     * leaves then, not with the model's first token: the simulator sends messageStart at once and the first delta
     * 700 ms later (its gap; under this profile's 1 s idle timeout).
     */
    @Test
    void theResponseHeadLeavesWhenBedrocksStreamOpensNotWithTheFirstToken() throws Exception {
        try (Socket socket = new Socket(chatUrl.getHost(), chatUrl.getPort())) {
            long sent = System.nanoTime();
            postStream(socket, "Hi simulate:gap-ms=700");
            InputStream in = socket.getInputStream();
            StringBuilder seen = new StringBuilder();
            long headAt = 0;
            while (!seen.toString().contains("\"content\":\"Simulated")) {
                int b = in.read();
                assertTrue(b >= 0, "stream ended early: " + seen);
                seen.append((char) b);
                if (headAt == 0 && seen.toString().endsWith("\r\n\r\n")) {
                    headAt = System.nanoTime();
                    assertTrue(seen.toString().startsWith("HTTP/1.1 200"), seen.toString());
                }
            }
            long headMillis = (headAt - sent) / 1_000_000;
            long contentMillis = (System.nanoTime() - sent) / 1_000_000;
            assertTrue(headAt > 0 && contentMillis - headMillis >= 500,
                    "head after " + headMillis + " ms, first content after " + contentMillis + " ms");
        }
    }

    @Test
    void closingTheClientConnectionCancelsTheBedrockStream() throws Exception {
        int before = bedrock.abandoned();
        double leftBefore = leftByClient();
        try (Socket socket = new Socket(chatUrl.getHost(), chatUrl.getPort())) {
            postStream(socket, "Tell me everything simulate:endless");
            InputStream in = socket.getInputStream();
            StringBuilder seen = new StringBuilder();
            byte[] buffer = new byte[1024];
            // Until the reply comes round again: the stream goes on past its own end.
            while (seen.toString().split(" everything", -1).length < 3) {
                int n = in.read(buffer);
                assertTrue(n > 0, "stream ended early: " + seen);
                seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        }
        assertTrue(abandonedSince(before), "Bedrock stream still running after the client left");
        // The exchange ended as one the client left (499), and the stream no longer counts as in flight.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((leftByClient() == leftBefore || gatewayMetrics.streamsInFlight() != 0)
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(leftBefore + 1, leftByClient());
        assertEquals(0, gatewayMetrics.streamsInFlight(), "streams in flight");
    }

    @Test
    void aStreamThatStallsMidwayEndsWithAnErrorFrameNotACleanEnd() throws Exception {
        int before = bedrock.abandoned();
        long start = System.nanoTime();
        Response response = given().header("Authorization", "Bearer sk-test-key-1").contentType(ContentType.JSON)
                .body("{\"model\":\"bedrock-claude-3-sonnet\",\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"stall please simulate:stall\"}]}")
                .post("/v1/chat/completions");
        long millis = (System.nanoTime() - start) / 1_000_000;

        response.then().statusCode(200);
        List<String> frames = StreamingTest.dataFrames(response.asString());
        assertFalse(frames.contains("[DONE]"), frames.toString());
        // The stream's first delta, after which the simulator falls silent.
        assertEquals("Simulated", StreamingTest.JSON.readTree(frames.get(1)).at("/choices/0/delta/content").asText());
        String last = frames.get(frames.size() - 1);
        OpenAiSchemas.assertValid("ErrorResponse", last);
        assertEquals("timeout", StreamingTest.JSON.readTree(last).at("/error/code").asText());
        assertTrue(millis < 5000, "ended after " + millis + " ms");
        assertTrue(abandonedSince(before), "the stalled Bedrock call was not cancelled");
    }

    /**
     * The request timeout bounds a whole ConverseStream, however lively: an endless stream (a delta every 50 ms, well
     * within the idle timeout) ends at 3 s with a timeout error frame, and the Bedrock call is cancelled. Read on a raw
     * socket for at most 10 s, so that a stream that never ends fails the test rather than hanging it.
     */
    @Test
    void aStreamStillGoingAtTheRequestTimeoutEndsWithATimeoutErrorFrame() throws Exception {
        int before = bedrock.abandoned();
        StringBuilder seen = new StringBuilder();
        long start = System.nanoTime();
        try (Socket socket = new Socket(chatUrl.getHost(), chatUrl.getPort())) {
            postStream(socket, "on and on simulate:endless simulate:gap-ms=50");
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            // Until the chunked body's last chunk; an endless stream never sends it.
            while (seen.indexOf("\r\n0\r\n\r\n") < 0) {
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "still streaming after 10 s");
                int n = in.read(buffer);
                assertTrue(n > 0, "the connection closed: " + seen);
                seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertTrue(seen.toString().startsWith("HTTP/1.1 200"), seen.toString());
        assertFalse(seen.toString().contains("[DONE]"), seen.toString());
        String body = seen.substring(seen.indexOf("\r\n\r\n") + 4);
        long deltas = body.split("\"content\":\"", -1).length - 1;
        assertTrue(deltas > 20, "deltas before the timeout: " + deltas);
        String last = body.substring(body.lastIndexOf("data: ") + 6, body.indexOf('\n', body.lastIndexOf("data: ")));
        OpenAiSchemas.assertValid("ErrorResponse", last);
        assertEquals("timeout", StreamingTest.JSON.readTree(last).at("/error/code").asText(), last);
        assertTrue(millis >= 2900 && millis < 6000, "ended after " + millis + " ms");
        assertTrue(abandonedSince(before), "the Bedrock call was not cancelled");
    }
}
