package dev.bedrockgateway.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.bedrockgateway.api.openai.StreamingTest;
import dev.bedrockgateway.observability.GatewayMetrics;
import dev.bedrockgateway.testing.EventStreamFrames;
import dev.bedrockgateway.testing.Metrics;
import dev.bedrockgateway.testing.OpenAiSchemas;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;

/**
 * Streams that do not end well: a client that goes away cancels the Bedrock call (no work continues for nobody),
 * and a Bedrock stream that stalls mid-way ends the client's stream with an error frame within the idle timeout.
 */
@QuarkusTest
@WithTestResource(StreamLifecycleTest.EndlessBedrock.class)
class StreamLifecycleTest {

    /**
     * A Bedrock stand-in whose stream never ends on its own: it keeps sending text, or, when the prompt says
     * "stall", goes silent after two events. It records when the gateway abandons a stream.
     */
    public static class EndlessBedrock implements QuarkusTestResourceLifecycleManager {
        static final AtomicInteger ABANDONED = new AtomicInteger();
        static final AtomicInteger FRAMES_SENT = new AtomicInteger();
        private Vertx vertx;

        @Override
        public Map<String, String> start() {
            vertx = Vertx.vertx();
            HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                    .setHttp2ClearTextEnabled(true));
            server.requestHandler(request -> request.body().onSuccess(body -> {
                HttpServerResponse response = request.response().setChunked(true)
                        .putHeader("content-type", "application/vnd.amazon.eventstream");
                response.write(Buffer.buffer(EventStreamFrames.stream().start().bytes()));
                if (body.toString().contains("stall")) {
                    response.write(Buffer.buffer(EventStreamFrames.stream().text(0, "Partial").bytes()));
                    response.closeHandler(v -> ABANDONED.incrementAndGet());
                    request.exceptionHandler(e -> ABANDONED.incrementAndGet());
                    return;
                }
                long timer = vertx.setPeriodic(50, id -> {
                    if (!response.closed() && !response.ended()) {
                        response.write(Buffer.buffer(EventStreamFrames.stream().text(0, "more ").bytes()));
                        FRAMES_SENT.incrementAndGet();
                    }
                });
                Runnable abandoned = () -> {
                    vertx.cancelTimer(timer);
                    ABANDONED.incrementAndGet();
                };
                response.closeHandler(v -> abandoned.run());
                request.exceptionHandler(e -> abandoned.run());
            }));
            int port = server.listen().toCompletionStage().toCompletableFuture().join().actualPort();
            return Map.of("gateway.bedrock.endpoint-override", "http://127.0.0.1:" + port,
                    "gateway.bedrock.stream-idle-timeout", "1S");
        }

        @Override
        public void stop() {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

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

    /** Waits until the stand-in saw one more stream abandoned than {@code before}. */
    static boolean abandonedSince(int before) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (EndlessBedrock.ABANDONED.get() > before) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    @Test
    void closingTheClientConnectionCancelsTheBedrockStream() throws Exception {
        int before = EndlessBedrock.ABANDONED.get();
        double leftBefore = leftByClient();
        String body = "{\"model\":\"bedrock-claude-3-sonnet\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me everything\"}]}";
        try (Socket socket = new Socket(chatUrl.getHost(), chatUrl.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer sk-test-key-1"
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder seen = new StringBuilder();
            byte[] buffer = new byte[1024];
            while (!seen.toString().contains("more ")) {
                int n = in.read(buffer);
                assertTrue(n > 0, "stream ended early: " + seen);
                seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        }
        assertTrue(abandonedSince(before),
                "Bedrock stream still running after the client left; frames sent: "
                        + EndlessBedrock.FRAMES_SENT.get());
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
        int before = EndlessBedrock.ABANDONED.get();
        long start = System.nanoTime();
        Response response = given().header("Authorization", "Bearer sk-test-key-1").contentType(ContentType.JSON)
                .body("{\"model\":\"bedrock-claude-3-sonnet\",\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"stall please\"}]}")
                .post("/v1/chat/completions");
        long millis = (System.nanoTime() - start) / 1_000_000;

        response.then().statusCode(200);
        List<String> frames = StreamingTest.dataFrames(response.asString());
        assertFalse(frames.contains("[DONE]"), frames.toString());
        assertEquals("Partial", StreamingTest.JSON.readTree(frames.get(1)).at("/choices/0/delta/content").asText());
        String last = frames.get(frames.size() - 1);
        OpenAiSchemas.assertValid("ErrorResponse", last);
        assertEquals("timeout", StreamingTest.JSON.readTree(last).at("/error/code").asText());
        assertTrue(millis < 5000, "ended after " + millis + " ms");
        assertTrue(abandonedSince(before), "the stalled Bedrock call was not cancelled");
    }
}
