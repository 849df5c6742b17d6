package dev.bedrockgateway.governance;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

import dev.bedrockgateway.testing.BedrockStandIn;
import dev.bedrockgateway.testing.ConverseReplies;
import dev.bedrockgateway.testing.GovernanceStores;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Virtual keys on the API routes, through the official OpenAI SDK and raw HTTP: cost in the answer and the spend log,
 * model allow-lists, RPM and parallel limits, budgets (also under a burst), expiry, blocking, deletion and
 * regeneration. Bedrock answers every call with 100 input and 10 output tokens: $0.00012 at the catalog's prices.
 */
@QuarkusTest
@TestProfile(GovernanceProfile.class)
@WithTestResource(BedrockStandIn.class)
@WithTestResource(GovernanceStores.class)
class VirtualKeyEnforcementTest {

    static final String MASTER = "sk-test-key-1";
    /** 100 input tokens at 1e-6 and 10 output tokens at 2e-6. */
    static final double COST = 0.00012;

    @BedrockStandIn.Inject
    WireMockServer bedrock;

    @TestHTTPResource("/v1")
    URL baseUrl;

    @BeforeEach
    void stub() {
        ConverseReplies.answerEverything(bedrock, ConverseReplies.text("Hello", "end_turn", 100, 10));
    }

    static JsonPath admin(String path, String body) {
        Response response = given().header("Authorization", "Bearer " + MASTER).contentType(ContentType.JSON)
                .body(body).post(path);
        assertEquals(200, response.statusCode(), response.asString());
        return response.jsonPath();
    }

    static String newKey(String body) {
        return admin("/key/generate", body).getString("key");
    }

    static Response chat(String key, String model) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body("{\"model\":\"" + model + "\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"Hi\"}]}")
                .post("/v1/chat/completions");
    }

    private OpenAIClient sdk(String key) {
        return OpenAIOkHttpClient.builder().baseUrl(baseUrl.toString()).apiKey(key).maxRetries(0).build();
    }

    private static ChatCompletionCreateParams hello(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("Hi").maxCompletionTokens(10).build();
    }

    /** The spend rows of a key, once {@code count} of them are written (the spend log writes in batches). */
    static List<Map<String, Object>> spendRows(String key, int count) throws InterruptedException {
        List<Map<String, Object>> rows = List.of();
        for (int i = 0; i < 100 && rows.size() < count; i++) {
            // Numbers as BigDecimal: REST Assured would read them as floats.
            rows = given().config(RestAssuredConfig.config().jsonConfig(JsonConfig.jsonConfig()
                    .numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL)))
                    .header("Authorization", "Bearer " + MASTER).queryParam("api_key", key)
                    .get("/spend/logs").then().statusCode(200).extract().jsonPath().getList("$");
            if (rows.size() < count) {
                Thread.sleep(50);
            }
        }
        return rows;
    }

    @Test
    void aVirtualKeyIsServedThroughTheSdkAndItsCostIsAnsweredAndLogged() throws Exception {
        String key = newKey("{\"key_alias\":\"sdk-" + System.nanoTime() + "\",\"user_id\":\"ada\"}");
        assertTrue(key.startsWith("sk-"), key);
        OpenAIClient openai = sdk(key);
        try {
            HttpResponseFor<ChatCompletion> raw = openai.chat().completions().withRawResponse().create(hello("priced"));
            ChatCompletion completion = raw.parse();
            assertEquals("Hello", completion.choices().get(0).message().content().orElseThrow());
            assertEquals("0.00012", raw.headers().values("x-bedrock-gateway-cost").get(0));
            assertEquals("0.00012", raw.headers().values("x-litellm-response-cost").get(0));
        } finally {
            openai.close();
        }
        List<Map<String, Object>> rows = spendRows(key, 1);
        assertEquals(1, rows.size(), rows.toString());
        Map<String, Object> row = rows.get(0);
        assertEquals(new BigDecimal("0.00012"), ((BigDecimal) row.get("spend")).stripTrailingZeros());
        assertEquals(100, ((Number) row.get("prompt_tokens")).intValue());
        assertEquals(10, ((Number) row.get("completion_tokens")).intValue());
        assertEquals("priced", row.get("model_group"));
        assertEquals("anthropic.claude-3-haiku-20240307-v1:0", row.get("model"));
        assertEquals("ada", row.get("user"));
        assertEquals("success", row.get("status"));
        assertEquals(KeyHashes.hash(key), row.get("api_key"));
        assertNotNull(row.get("startTime"));
        // The key's spend in the database followed.
        double spend = 0;
        for (int i = 0; i < 50 && spend == 0; i++) {
            spend = given().header("Authorization", "Bearer " + MASTER).queryParam("key", key).get("/key/info")
                    .then().statusCode(200).extract().jsonPath().getDouble("info.spend");
            Thread.sleep(20);
        }
        assertEquals(COST, spend, 1e-12);
    }

    @Test
    void aKeyLimitedToSomeModelsSeesAndReachesOnlyThose() {
        String key = newKey("{\"models\":[\"priced\"]}");
        OpenAIClient openai = sdk(key);
        try {
            List<String> listed = openai.models().list().data().stream().map(m -> m.id()).toList();
            assertEquals(List.of("priced"), listed);
            assertEquals("Hello", openai.chat().completions().create(hello("priced")).choices().get(0).message()
                    .content().orElseThrow());
            assertThrows(NotFoundException.class, () -> openai.chat().completions().create(hello("other")));
        } finally {
            openai.close();
        }
        chat(key, "other").then().statusCode(404).body("error.code", equalTo("model_not_found"));
        given().header("Authorization", "Bearer " + key).get("/v1/models/other").then().statusCode(404);
    }

    /** Sends five requests with {@code key}: the first three are served, the last two get 429; answers the last. */
    private static Response threeServedThenRefused(String key) {
        List<Integer> statuses = new ArrayList<>();
        Response last = null;
        for (int i = 0; i < 5; i++) {
            last = chat(key, "priced");
            statuses.add(last.statusCode());
        }
        assertEquals(List.of(200, 200, 200, 429, 429), statuses);
        return last;
    }

    @Test
    void aKeyGetsItsRpmThen429WithOpenAisHeaders() {
        String key = newKey("{\"rpm_limit\":3}");
        Response last = threeServedThenRefused(key);
        assertEquals("rate_limit_exceeded", last.jsonPath().getString("error.code"));
        assertEquals("3", last.header("x-ratelimit-limit-requests"));
        assertEquals("0", last.header("x-ratelimit-remaining-requests"));
        assertTrue(Integer.parseInt(last.header("Retry-After")) >= 1);
    }

    @Test
    void aBudgetStopsTheKeyWithInsufficientQuota() {
        // Admitted while spent + reserved < max: 0, 0.00012 and 0.00024 are under 0.0003, 0.00036 is not.
        String key = newKey("{\"max_budget\":0.0003}");
        Response last = threeServedThenRefused(key);
        assertEquals("insufficient_quota", last.jsonPath().getString("error.type"));
        assertEquals("insufficient_quota", last.jsonPath().getString("error.code"));
    }

    @Test
    void aBurstAgainstASmallBudgetOvershootsByAtMostOneRequestsWorstCase() throws Exception {
        bedrock.stubFor(post(urlPathMatching("/model/.*/converse"))
                .willReturn(ConverseReplies.text("Hello", "end_turn", 100, 10).withFixedDelay(300)));
        double budget = 0.0005;
        String key = newKey("{\"max_budget\":" + budget + "}");
        String body = "{\"model\":\"priced\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        // The reservation: the body's bytes as input tokens at the dearer cache-write price, max_tokens as output.
        double worstCase = body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length * 0.00000125 + 10 * 0.000002;
        ExecutorService pool = Executors.newFixedThreadPool(40);
        try {
            List<CompletableFuture<Integer>> burst = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                burst.add(CompletableFuture.supplyAsync(() -> given().header("Authorization", "Bearer " + key)
                        .contentType(ContentType.JSON).body(body).post("/v1/chat/completions").statusCode(), pool));
            }
            long admitted = burst.stream().map(CompletableFuture::join).filter(s -> s == 200).count();
            long refused = burst.stream().map(CompletableFuture::join).filter(s -> s == 429).count();
            assertEquals(40, admitted + refused);
            assertTrue(admitted >= 1, "the first request fits the budget");
            double spent = admitted * COST;
            assertTrue(spent <= budget + worstCase, "spent " + spent + " with " + admitted + " admitted, budget "
                    + budget + " + one worst case " + worstCase);
            // Without reservations (spend checked after the fact, as LiteLLM does) all 40 would have passed: $0.0048.
            assertTrue(admitted < 40);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void maxParallelRequestsRefusesTheSecondRequestInFlight() throws Exception {
        bedrock.stubFor(post(urlPathMatching("/model/.*/converse"))
                .willReturn(ConverseReplies.text("Hello", "end_turn", 100, 10).withFixedDelay(700)));
        String key = newKey("{\"max_parallel_requests\":1}");
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> chat(key, "priced").statusCode());
        Thread.sleep(250);
        Response second = chat(key, "priced");
        assertEquals(429, second.statusCode(), second.asString());
        assertEquals("rate_limit_exceeded", second.jsonPath().getString("error.code"));
        assertEquals(200, first.join());
        // The slot is released when the first one ends.
        assertEquals(200, chat(key, "priced").statusCode());
    }

    @Test
    void aClientThatLeavesGivesBackItsSlotAndItsReservation() throws Exception {
        bedrock.stubFor(post(urlPathMatching("/model/.*/converse"))
                .willReturn(ConverseReplies.text("Hello", "end_turn", 100, 10).withFixedDelay(600)));
        // One request at a time, and a budget smaller than one reservation (about $0.000126): a slot or a
        // reservation left behind by the request that was abandoned would refuse the next one.
        String key = newKey("{\"max_parallel_requests\":1,\"max_budget\":0.0001}");
        String body = "{\"model\":\"priced\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        try (java.net.Socket socket = new java.net.Socket(baseUrl.getHost(), baseUrl.getPort())) {
            socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + key + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\n\r\n" + body).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            Thread.sleep(200); // admitted, its Bedrock call under way
        } // and gone
        Thread.sleep(100);
        assertEquals(200, chat(key, "priced").statusCode(), "the slot and the reservation were given back");
    }

    @Test
    void blockingDeletingAndRegeneratingTakeEffectAtOnce() {
        String key = newKey("{}");
        assertEquals(200, chat(key, "priced").statusCode());
        admin("/key/block", "{\"key\":\"" + key + "\"}");
        Response blocked = chat(key, "priced");
        assertEquals(401, blocked.statusCode());
        assertEquals("invalid_api_key", blocked.jsonPath().getString("error.code"));
        admin("/key/unblock", "{\"key\":\"" + key + "\"}");
        assertEquals(200, chat(key, "priced").statusCode());

        String renewed = admin("/key/regenerate", "{\"key\":\"" + key + "\"}").getString("key");
        assertEquals(401, chat(key, "priced").statusCode());
        assertEquals(200, chat(renewed, "priced").statusCode());

        admin("/key/delete", "{\"keys\":[\"" + renewed + "\"]}");
        OpenAIClient openai = sdk(renewed);
        try {
            assertThrows(UnauthorizedException.class, () -> openai.chat().completions().create(hello("priced")));
        } finally {
            openai.close();
        }
    }

    @Test
    void anExpiredKeyIsRefused() throws InterruptedException {
        String key = newKey("{\"duration\":\"1s\"}");
        assertEquals(200, chat(key, "priced").statusCode());
        Thread.sleep(Duration.ofMillis(1100).toMillis());
        Response expired = chat(key, "priced");
        assertEquals(401, expired.statusCode());
        assertTrue(expired.jsonPath().getString("error.message").contains("expired"), expired.asString());
    }

    @Test
    void aTeamsModelsAndBudgetHoldForAllItsKeys() {
        String team = admin("/team/new", "{\"team_alias\":\"t\",\"models\":[\"priced\"],\"max_budget\":0.0003}")
                .getString("team_id");
        String a = newKey("{\"team_id\":\"" + team + "\"}");
        String b = newKey("{\"team_id\":\"" + team + "\"}");
        assertEquals(404, chat(a, "other").statusCode());
        // Three requests fit the team's budget, from either key; the fourth is refused to both.
        assertEquals(200, chat(a, "priced").statusCode());
        assertEquals(200, chat(b, "priced").statusCode());
        assertEquals(200, chat(a, "priced").statusCode());
        assertEquals(429, chat(b, "priced").statusCode());
        Response refused = chat(a, "priced");
        assertEquals(429, refused.statusCode());
        assertEquals("insufficient_quota", refused.jsonPath().getString("error.code"));
    }

    @Test
    void anUnknownKeyIsRefusedAndTheMasterKeyStillWorks() {
        Response unknown = chat("sk-not-a-key-of-this-gateway", "priced");
        assertEquals(401, unknown.statusCode());
        assertEquals("invalid_api_key", unknown.jsonPath().getString("error.code"));
        assertEquals(200, chat(MASTER, "priced").statusCode());
    }
}
