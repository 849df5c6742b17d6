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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.bedrockgateway.dev.BedrockSimulator;
import dev.bedrockgateway.testing.EmbeddedPostgresServer;
import dev.bedrockgateway.testing.EmbeddedRedis;
import io.vertx.core.Vertx;

/**
 * Two packaged gateways (two replicas) sharing one PostgreSQL and one Redis, as on EKS with the HPA: a key made on one
 * works on the other, an RPM limit holds for both together, a key blocked, regenerated or deleted on one is refused by
 * the other within a second, and a team's budget spent through both stops both. Bedrock is the simulator.
 */
class GovernanceReplicasIT {

    private static final String MASTER = "sk-replicas-master";
    private static final Pattern KEY = Pattern.compile("\"key\":\"(sk-[^\"]+)\"");
    private static final Pattern TEAM = Pattern.compile("\"team_id\":\"([^\"]+)\"");

    private static Vertx vertx;
    private static BedrockSimulator bedrock;
    private static EmbeddedPostgresServer postgres;
    private static EmbeddedRedis redis;
    private static final List<Process> gateways = new ArrayList<>();
    private static URI a;
    private static URI b;
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        bedrock = new BedrockSimulator(vertx, 0, Duration.ZERO);
        URI bedrockUrl = bedrock.start();
        postgres = EmbeddedPostgresServer.start();
        redis = EmbeddedRedis.start();
        a = gateway(bedrockUrl);
        b = gateway(bedrockUrl);
    }

    private static URI gateway(URI bedrockUrl) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Artifact.command(
                "-Dquarkus.http.port=0", "-Dquarkus.management.port=0",
                "-Dgateway.master-key=" + MASTER, "-Dgateway.bedrock.endpoint-override=" + bedrockUrl,
                "-Dgateway.config-file=src/test/resources/catalogs/governance.yaml",
                "-Daws.accessKeyId=AKIDGATEWAYTEST", "-Daws.secretAccessKey=gateway-test-secret"))
                .redirectErrorStream(true);
        // The URLs travel in the environment, as the Kubernetes Secret hands them over.
        builder.environment().put("GATEWAY_DATABASE_URL", postgres.url());
        builder.environment().put("GATEWAY_REDIS_URL", redis.url());
        Process gateway = builder.start();
        gateways.add(gateway);
        BufferedReader log = new BufferedReader(new InputStreamReader(gateway.getInputStream(),
                StandardCharsets.UTF_8));
        int port = StartupLog.ports(log, line -> { })[0];
        CompletableFuture.runAsync(() -> log.lines().forEach(l -> { }));
        return URI.create("http://127.0.0.1:" + port);
    }

    @AfterAll
    static void stop() throws Exception {
        for (Process p : gateways) {
            p.destroyForcibly().waitFor();
        }
        if (bedrock != null) {
            bedrock.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (redis != null) {
            redis.close();
        }
        if (vertx != null) {
            vertx.close();
        }
    }

    private static HttpResponse<String> post(URI gateway, String path, String key, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(gateway.resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String admin(URI gateway, String path, String body, Pattern answer) throws Exception {
        HttpResponse<String> response = post(gateway, path, MASTER, body);
        assertEquals(200, response.statusCode(), response.body());
        if (answer == null) {
            return null;
        }
        Matcher m = answer.matcher(response.body());
        assertTrue(m.find(), response.body());
        return m.group(1);
    }

    private static int chat(URI gateway, String key) throws Exception {
        return post(gateway, "/v1/chat/completions", key,
                "{\"model\":\"priced\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .statusCode();
    }

    /** Polls {@code gateway} with {@code key} until it answers {@code status}; answers how long that took. */
    private static long millisUntil(URI gateway, String key, int status) throws Exception {
        long start = System.nanoTime();
        while (chat(gateway, key) != status) {
            assertTrue(System.nanoTime() - start < 5_000_000_000L, "no " + status + " within 5 s");
            Thread.sleep(20);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void aKeyMadeOnOneReplicaWorksOnTheOther() throws Exception {
        String key = admin(a, "/key/generate", "{}", KEY);
        assertEquals(200, chat(b, key));
        assertEquals(200, chat(a, key));
    }

    @Test
    void anRpmLimitHoldsForBothReplicasTogether() throws Exception {
        String key = admin(a, "/key/generate", "{\"rpm_limit\":6}", KEY);
        int admitted = 0;
        for (int i = 0; i < 12; i++) {
            int status = chat(i % 2 == 0 ? a : b, key);
            assertTrue(status == 200 || status == 429, "status " + status);
            admitted += status == 200 ? 1 : 0;
        }
        assertEquals(6, admitted, "6 requests per minute across both replicas, not 6 each");
    }

    @Test
    void blockingRegeneratingAndDeletingOnOneReplicaAreRefusedOnTheOtherWithinASecond() throws Exception {
        String key = admin(a, "/key/generate", "{}", KEY);
        assertEquals(200, chat(b, key)); // B has it in memory now
        admin(a, "/key/block", "{\"key\":\"" + key + "\"}", null);
        assertTrue(millisUntil(b, key, 401) < 1000);
        admin(a, "/key/unblock", "{\"key\":\"" + key + "\"}", null);
        assertTrue(millisUntil(b, key, 200) < 1000);

        String renewed = admin(a, "/key/regenerate", "{\"key\":\"" + key + "\"}", KEY);
        assertTrue(millisUntil(b, key, 401) < 1000);
        assertEquals(200, chat(b, renewed));

        admin(a, "/key/delete", "{\"keys\":[\"" + renewed + "\"]}", null);
        assertTrue(millisUntil(b, renewed, 401) < 1000);
    }

    @Test
    void aDeploymentCooledDownOnOneReplicaIsCooledDownOnTheOther() throws Exception {
        // Bedrock fails on A until the deployment cools down (4 retryable failures in a row: 2 requests, 3 calls
        // each); B, which saw no failure, stops calling it as well.
        String failing = "{\"model\":\"cooled\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"simulate:unavailable\"}]}";
        String fine = "{\"model\":\"cooled\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        assertEquals(200, post(b, "/v1/chat/completions", MASTER, fine).statusCode());
        for (int i = 0; i < 2; i++) {
            assertEquals(503, post(a, "/v1/chat/completions", MASTER, failing).statusCode());
        }
        assertEquals(503, post(a, "/v1/chat/completions", MASTER, fine).statusCode(), "A cooled it down");
        long start = System.nanoTime();
        HttpResponse<String> onB = post(b, "/v1/chat/completions", MASTER, fine);
        while (onB.statusCode() == 200 && System.nanoTime() - start < 1_000_000_000L) {
            Thread.sleep(20);
            onB = post(b, "/v1/chat/completions", MASTER, fine);
        }
        assertEquals(503, onB.statusCode(), "B refuses while A's cool-down runs: " + onB.body());
    }

    @Test
    void aTeamBudgetSpentThroughBothReplicasStopsBoth() throws Exception {
        // Smaller than one request's cost: the first request is admitted (nothing spent yet), then none.
        String team = admin(a, "/team/new", "{\"max_budget\":0.000001}", TEAM);
        String first = admin(a, "/key/generate", "{\"team_id\":\"" + team + "\"}", KEY);
        String second = admin(b, "/key/generate", "{\"team_id\":\"" + team + "\"}", KEY);
        assertEquals(200, chat(a, first));
        HttpResponse<String> refused = post(b, "/v1/chat/completions", second,
                "{\"model\":\"priced\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertEquals(429, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("\"insufficient_quota\""), refused.body());
        assertEquals(429, chat(a, first));
    }
}
