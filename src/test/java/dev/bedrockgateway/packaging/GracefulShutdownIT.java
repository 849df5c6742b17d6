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
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.bedrockgateway.dev.BedrockSimulator;
import io.vertx.core.Vertx;

/**
 * The production artifact on SIGTERM, as Kubernetes stops a pod behind the ALB, with the drain delay the generated
 * Deployment sets ({@code QUARKUS_SHUTDOWN_DELAY}, 2 s here instead of 15): one line says what happens, readiness
 * turns DOWN at once, new requests are still served during the delay, and a stream in flight is allowed to finish
 * after it instead of being cut. Its Bedrock is the simulator, in this JVM (failsafe has the simulator's classes on its
 * class path, the packaged gateway does not). The stop without a delay (plain {@code java -jar}) is checked by
 * AwsCredentialsIT, whose gateways stop at the end of each test anyway.
 */
class GracefulShutdownIT {

    @Test
    void readinessGoesDownAndTheStreamInFlightCompletes() throws Exception {
        Vertx vertx = Vertx.vertx();
        Process gateway = null;
        try (BedrockSimulator bedrock = new BedrockSimulator(vertx, 0, Duration.ZERO)) {
            URI bedrockUrl = bedrock.start();
            ProcessBuilder builder = new ProcessBuilder(Artifact.command(
                    // The production drain timeout as configured (60 s); the delay as the Deployment sets it.
                    "-Dquarkus.http.port=0", "-Dquarkus.management.port=0", "-Dgateway.master-key=sk-shutdown",
                    "-Dgateway.bedrock.endpoint-override=" + bedrockUrl,
                    "-Daws.accessKeyId=AKIDGATEWAYTEST", "-Daws.secretAccessKey=gateway-test-secret"))
                    .redirectErrorStream(true);
            builder.environment().put("QUARKUS_SHUTDOWN_DELAY", "2S");
            gateway = builder.start();
            BufferedReader log = new BufferedReader(new InputStreamReader(gateway.getInputStream(),
                    StandardCharsets.UTF_8));
            Queue<String> lines = new ConcurrentLinkedQueue<>();
            int[] ports = StartupLog.ports(log, lines::add);
            int http = ports[0];
            int management = ports[1];
            BufferedReader drain = log;
            CompletableFuture.runAsync(() -> drain.lines().forEach(lines::add));

            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI ready = URI.create("http://127.0.0.1:" + management + "/q/health/ready");
            assertEquals(200, client.send(HttpRequest.newBuilder(ready).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());

            // A stream of about 3.5 s: the simulator echoes the prompt a word per delta, 100 ms apart.
            String prompt = "long answer simulate:gap-ms=100 " + IntStream.range(0, 30).mapToObj(n -> "part" + n)
                    .collect(Collectors.joining(" "));
            CompletableFuture<HttpResponse<String>> stream = client.sendAsync(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + http + "/v1/chat/completions"))
                    .header("Authorization", "Bearer sk-shutdown").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\",\"stream\":true,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            Thread.sleep(500);

            // SIGTERM, as the kubelet sends; through the handle, as Process.destroy() would also close the log's pipe.
            gateway.toHandle().destroy();
            long stopping = System.nanoTime();
            int readyStatus = 0;
            for (int i = 0; i < 20 && readyStatus != 503; i++) {
                readyStatus = client.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                Thread.sleep(50);
            }
            assertEquals(503, readyStatus, "readiness is DOWN once shutdown started");
            HttpResponse<String> during = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + http + "/v1/models")).header("Authorization", "Bearer sk-shutdown")
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(System.nanoTime() - stopping < TimeUnit.SECONDS.toNanos(2), "still within the delay");
            assertEquals(200, during.statusCode(), "a new request during the delay is served");

            HttpResponse<String> finished = stream.get(30, TimeUnit.SECONDS);
            assertEquals(200, finished.statusCode());
            assertTrue(finished.body().endsWith("data: [DONE]\n\n"), finished.body());
            assertTrue(finished.body().contains("part29"), "every part arrived");
            assertTrue(gateway.waitFor(10, TimeUnit.SECONDS), "the gateway exited once the stream was done");
            Thread.sleep(200); // the last lines of the log
            String announced = "Shutting down: readiness is DOWN; new requests are still served for 2 s "
                    + "(quarkus.shutdown.delay) while the load balancer stops routing here, then up to 60 s "
                    + "(quarkus.shutdown.timeout) for the requests in flight (1 request now)";
            assertTrue(lines.stream().anyMatch(l -> l.contains("INFO  [dev.bedrockgateway.health.ShutdownAnnouncement]")
                    && l.endsWith(announced)), String.join("\n", lines));
        } finally {
            if (gateway != null) {
                gateway.destroyForcibly();
            }
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
