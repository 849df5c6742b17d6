package dev.bedrockgateway.governance;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.bedrockgateway.testing.BedrockStandIn;
import dev.bedrockgateway.testing.ConverseReplies;
import dev.bedrockgateway.testing.Eventually;
import dev.bedrockgateway.testing.GovernanceStores;
import dev.bedrockgateway.testing.Metrics;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * The real PostgreSQL and Redis servers stopped and restarted while virtual keys are in use: no request hangs (every
 * store call is bounded by the 500 ms store timeout here), requests keep flowing, and no spend row is lost.
 */
@QuarkusTest
@TestProfile(StoreOutageTest.Profile.class)
@WithTestResource(BedrockStandIn.class)
@WithTestResource(GovernanceStores.class)
class StoreOutageTest {

    public static class Profile extends GovernanceProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("gateway.governance.store-timeout", "500ms");
            return overrides;
        }
    }

    @BedrockStandIn.Inject
    WireMockServer bedrock;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @BeforeEach
    void stub() {
        ConverseReplies.answerEverything(bedrock,
                ConverseReplies.text("Hello", "end_turn", 100, 10).withFixedDelay(20));
    }

    /** Requests from 4 threads until {@code stop}: the statuses, and the slowest answer in ms. */
    private static CompletableFuture<List<long[]>> load(String key, AtomicBoolean stop, ExecutorService pool) {
        List<CompletableFuture<List<long[]>>> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(CompletableFuture.supplyAsync(() -> {
                List<long[]> results = new ArrayList<>();
                while (!stop.get()) {
                    long start = System.nanoTime();
                    int status = VirtualKeyEnforcementTest.chat(key, "priced").statusCode();
                    results.add(new long[] {status, (System.nanoTime() - start) / 1_000_000});
                }
                return results;
            }, pool));
        }
        return CompletableFuture.allOf(threads.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<long[]> all = new ArrayList<>();
            threads.forEach(f -> all.addAll(f.join()));
            return all;
        });
    }

    @Test
    void redisStoppedAndRestartedMidLoadIsAnsweredByEachReplicasOwnCounters() throws Exception {
        String key = VirtualKeyEnforcementTest.newKey("{\"rpm_limit\":100000,\"max_budget\":1000}");
        assertEquals(200, VirtualKeyEnforcementTest.chat(key, "priced").statusCode());
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CompletableFuture<List<long[]>> running = load(key, stop, pool);
            Thread.sleep(500);
            GovernanceStores.redis().stop();
            Thread.sleep(1500);
            given().get(ready).then().statusCode(200);
            String down = given().get(ready).then().extract().jsonPath()
                    .getString("checks.find { it.name == 'governance-stores' }.data.redis");
            assertTrue(down.startsWith("down"), down);
            GovernanceStores.redis().up();
            Thread.sleep(1500);
            stop.set(true);
            List<long[]> results = running.join();
            assertTrue(results.size() > 20, "requests kept flowing: " + results.size());
            for (long[] r : results) {
                assertEquals(200, r[0], "every request was served");
                assertTrue(r[1] < 3000, "no request waited on Redis for long: " + r[1] + " ms");
            }
            assertTrue(Metrics.sum(metrics, "gateway_store_fallbacks_total", "store=\"redis\"") > 0);
            Eventually.until(() -> "up".equals(given().get(ready).then().extract().jsonPath()
                    .getString("checks.find { it.name == 'governance-stores' }.data.redis")), "Redis in use again");
        } finally {
            stop.set(true);
            pool.shutdownNow();
            GovernanceStores.redis().up();
        }
    }

    @Test
    void postgresStoppedAndRestartedMidLoadLosesNoSpendRow() throws Exception {
        String key = VirtualKeyEnforcementTest.newKey("{}");
        assertEquals(200, VirtualKeyEnforcementTest.chat(key, "priced").statusCode()); // now in memory
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<long[]> results;
        boolean restarted = false;
        try {
            CompletableFuture<List<long[]>> running = load(key, stop, pool);
            Thread.sleep(300);
            GovernanceStores.postgres().stop();
            Thread.sleep(1500);
            // A key not in memory cannot be checked: a prompt 503, not a hang.
            long start = System.nanoTime();
            Response unknown = VirtualKeyEnforcementTest.chat("sk-unknown-while-the-database-is-down", "priced");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(503, unknown.statusCode(), unknown.asString());
            assertEquals("key_store_unavailable", unknown.jsonPath().getString("error.code"));
            assertTrue(millis < 2000, millis + " ms");
            int buffered = given().get(ready).then().extract().jsonPath()
                    .getInt("checks.find { it.name == 'governance-stores' }.data.spend_rows_buffered");
            assertTrue(buffered > 0, "spend rows wait for the database: " + buffered);
            GovernanceStores.postgres().restart();
            restarted = true;
            Thread.sleep(500);
            stop.set(true);
            results = running.join();
        } finally {
            stop.set(true);
            pool.shutdownNow();
            if (!restarted) {
                GovernanceStores.postgres().restart();
            }
        }
        for (long[] r : results) {
            assertEquals(200, r[0], "a key in memory keeps working");
        }
        int expected = results.size() + 1;
        List<Map<String, Object>> rows = VirtualKeyEnforcementTest.spendRows(key, expected);
        assertEquals(expected, rows.size(), "every request's spend row was written once the database was back");
    }

    /**
     * Stored responses while PostgreSQL is down: the answer still comes, promptly, and says it was not kept
     * ({@code x-bedrock-gateway-store: failed}); reading one, or continuing from one, is a prompt 503, not a hang.
     */
    @Test
    void postgresStoppedResponsesAreAnsweredAndSayTheyWereNotStored() throws Exception {
        String body = "{\"model\":\"priced\",\"input\":\"Hi\"}";
        boolean restarted = false;
        try {
            GovernanceStores.postgres().stop();
            long start = System.nanoTime();
            Response answered = given().header("Authorization", "Bearer sk-test-key-1")
                    .contentType(io.restassured.http.ContentType.JSON).body(body).post("/v1/responses");
            assertEquals(200, answered.statusCode(), answered.asString());
            assertEquals("Hello", answered.jsonPath().getString("output[0].content[0].text"));
            assertEquals("failed", answered.header("x-bedrock-gateway-store"));
            String id = answered.jsonPath().getString("id");
            Response read = given().header("Authorization", "Bearer sk-test-key-1").get("/v1/responses/" + id);
            assertEquals(503, read.statusCode(), read.asString());
            Response continued = given().header("Authorization", "Bearer sk-test-key-1")
                    .contentType(io.restassured.http.ContentType.JSON)
                    .body("{\"model\":\"priced\",\"input\":\"Again\",\"previous_response_id\":\"" + id + "\"}")
                    .post("/v1/responses");
            assertEquals(503, continued.statusCode(), continued.asString());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 4000, "three calls against a stopped database took " + millis + " ms");

            GovernanceStores.postgres().restart();
            restarted = true;
            Response stored = null;
            for (int i = 0; i < 50; i++) {
                stored = given().header("Authorization", "Bearer sk-test-key-1")
                        .contentType(io.restassured.http.ContentType.JSON).body(body).post("/v1/responses");
                if (stored.header("x-bedrock-gateway-store") == null) {
                    break;
                }
                Thread.sleep(200);
            }
            assertEquals(null, stored.header("x-bedrock-gateway-store"), "stored again once the database is back");
            given().header("Authorization", "Bearer sk-test-key-1")
                    .get("/v1/responses/" + stored.jsonPath().getString("id")).then().statusCode(200);
        } finally {
            if (!restarted) {
                GovernanceStores.postgres().restart();
            }
        }
    }
}
