package dev.bedrockgateway.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.bedrockgateway.testing.EventStreamFrames;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;

/**
 * The production artifact on SIGTERM, as Kubernetes stops a pod behind the ALB: readiness turns DOWN at once, and a
 * stream in flight is allowed to finish instead of being cut.
 */
class GracefulShutdownIT {

    @Test
    void readinessGoesDownAndTheStreamInFlightCompletes() throws Exception {
        Vertx vertx = Vertx.vertx();
        Process gateway = null;
        try {
            int bedrockPort = slowStreamingBedrock(vertx);
            gateway = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    // The production shutdown settings as configured (15 s delay, 60 s drain): not overridden here.
                    "-Dquarkus.http.port=0", "-Dquarkus.management.port=0", "-Dgateway.master-key=sk-shutdown",
                    "-Dgateway.bedrock.endpoint-override=http://127.0.0.1:" + bedrockPort,
                    "-Daws.accessKeyId=AKIDGATEWAYTEST", "-Daws.secretAccessKey=gateway-test-secret",
                    "-jar", Path.of("target/quarkus-app/quarkus-run.jar").toString())
                    .redirectErrorStream(true).start();
            BufferedReader log = new BufferedReader(new InputStreamReader(gateway.getInputStream(),
                    StandardCharsets.UTF_8));
            int[] ports = StartupLog.ports(log, line -> { });
            int http = ports[0];
            int management = ports[1];
            BufferedReader drain = log;
            CompletableFuture.runAsync(() -> drain.lines().forEach(l -> { }));

            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI ready = URI.create("http://127.0.0.1:" + management + "/q/health/ready");
            assertEquals(200, client.send(HttpRequest.newBuilder(ready).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());

            CompletableFuture<HttpResponse<String>> stream = client.sendAsync(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + http + "/v1/chat/completions"))
                    .header("Authorization", "Bearer sk-shutdown").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\",\"stream\":true,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"long answer\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            Thread.sleep(500);

            gateway.destroy();  // SIGTERM, as the kubelet sends
            int readyStatus = 0;
            for (int i = 0; i < 20 && readyStatus != 503; i++) {
                readyStatus = client.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                Thread.sleep(50);
            }
            assertEquals(503, readyStatus, "readiness is DOWN once shutdown started");

            HttpResponse<String> finished = stream.get(30, TimeUnit.SECONDS);
            assertEquals(200, finished.statusCode());
            assertTrue(finished.body().endsWith("data: [DONE]\n\n"), finished.body());
            assertTrue(finished.body().contains("part 29"), "every part arrived");
            assertTrue(gateway.waitFor(60, TimeUnit.SECONDS), "the gateway exited after draining");
        } finally {
            if (gateway != null) {
                gateway.destroyForcibly();
            }
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    /** A Bedrock stand-in whose stream takes about 3 s: 30 text events 100 ms apart. */
    private static int slowStreamingBedrock(Vertx vertx) {
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
        server.requestHandler(request -> request.body().onSuccess(body -> {
            HttpServerResponse response = request.response().setChunked(true)
                    .putHeader("content-type", "application/vnd.amazon.eventstream");
            response.write(Buffer.buffer(EventStreamFrames.stream().start().bytes()));
            AtomicInteger part = new AtomicInteger();
            AtomicReference<Long> timer = new AtomicReference<>();
            timer.set(vertx.setPeriodic(100, id -> {
                int n = part.getAndIncrement();
                if (n < 30) {
                    response.write(Buffer.buffer(EventStreamFrames.stream().text(0, " part " + n).bytes()));
                } else {
                    vertx.cancelTimer(timer.get());
                    response.end(Buffer.buffer(EventStreamFrames.stream().stop(0).messageStop("end_turn")
                            .metadata(3, 30).bytes()));
                }
            }));
        }));
        return server.listen().toCompletionStage().toCompletableFuture().join().actualPort();
    }
}
