package dev.bedrockgateway.routing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

import dev.bedrockgateway.bedrock.UpstreamFailure;
import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.observability.RequestRecord;
import dev.bedrockgateway.testing.BedrockStandIn;
import dev.bedrockgateway.testing.ConverseReplies;
import dev.bedrockgateway.testing.EventStreamFrames;
import dev.bedrockgateway.testing.Metrics;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Fault injection against the Bedrock stand-in, through the real SDK client: retries before the first byte,
 * never after; cool-down of a failing deployment; fallbacks; timeouts; and the metrics that show it. The catalog
 * (catalogs/fault-tolerance.yaml) allows 2 retries and 3 failures before a cool-down.
 */
@QuarkusTest
@TestProfile(FaultToleranceTest.Profile.class)
@WithTestResource(BedrockStandIn.class)
class FaultToleranceTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.config-file", "src/test/resources/catalogs/fault-tolerance.yaml",
                    "gateway.routing.retry-delay", "10MS",
                    "gateway.routing.retry-jitter", "5MS",
                    "gateway.routing.retry-max-delay", "50MS",
                    "gateway.bedrock.first-byte-timeout", "1S");
        }
    }

    @BedrockStandIn.Inject
    WireMockServer bedrock;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Inject
    BedrockRouter router;

    @Inject
    Vertx vertx;

    @BeforeEach
    void reset() {
        bedrock.resetAll();
    }

    private static String chat(String model, boolean stream) {
        return """
                {"model":"%s","stream":%s,"messages":[{"role":"user","content":"Hi"}]}
                """.formatted(model, stream);
    }

    private static Response send(String body) {
        return given().header("Authorization", "Bearer sk-test-key-1").contentType(ContentType.JSON).body(body)
                .post("/v1/chat/completions");
    }

    private static ResponseDefinitionBuilder throttled() {
        return ConverseReplies.error(429, "ThrottlingException", "Too many requests, please wait.");
    }

    private void failThenSucceed(String path, int failures, ResponseDefinitionBuilder failure,
            ResponseDefinitionBuilder success) {
        String state = STARTED;
        for (int i = 1; i <= failures; i++) {
            bedrock.stubFor(post(urlPathMatching(path)).inScenario(path).whenScenarioStateIs(state)
                    .willSetStateTo("failed-" + i).willReturn(failure));
            state = "failed-" + i;
        }
        bedrock.stubFor(post(urlPathMatching(path)).inScenario(path).whenScenarioStateIs(state).willReturn(success));
    }

    private int calls(String path) {
        return bedrock.countRequestsMatching(postRequestedFor(urlPathMatching(path)).build()).getCount();
    }

    /** The sum of the samples of {@code name} whose labels contain all of {@code labels}; 0 when none. */
    /** {@link #metric} of {@code {name, labels...}}. */
    private double sample(String[] nameAndLabels) {
        return metric(nameAndLabels[0], Arrays.copyOfRange(nameAndLabels, 1, nameAndLabels.length));
    }

    private double metric(String name, String... labels) {
        double sum = Metrics.sum(metrics, name, labels);
        return Double.isNaN(sum) ? 0 : sum;
    }

    @Test
    void throttlingTwiceThenSuccessIsRetriedAndTheClientSeesOnlyTheAnswer() {
        String path = "/model/anthropic.claude-3-haiku.*/converse";
        failThenSucceed(path, 2, throttled(), ConverseReplies.text("Third time lucky", "end_turn", 5, 3));
        String[] retries = { "gateway_upstream_retries_total", "ft-throttle" };
        String[] throttlings = { "gateway_upstream_failures_total", "ft-throttle", "code=\"rate_limit_exceeded\"" };
        String[] answered = { "gateway_requests_seconds_count", "endpoint=\"chat.completions\"",
                "model=\"ft-throttle\"", "bedrock_model=\"anthropic.claude-3-haiku-20240307-v1:0\"", "status=\"200\"" };
        String[] inputTokens = { "gateway_tokens_total", "model=\"ft-throttle\"", "type=\"input\"" };
        double[] before = { sample(retries), sample(throttlings), sample(answered), sample(inputTokens) };

        Response response = send(chat("ft-throttle", false));

        assertEquals(200, response.statusCode(), response.asString());
        assertEquals("Third time lucky", response.jsonPath().getString("choices[0].message.content"));
        assertEquals("ft-throttle", response.jsonPath().getString("model"));
        assertEquals(3, calls(path));
        assertEquals(2.0, sample(retries) - before[0], "retries");
        assertEquals(2.0, sample(throttlings) - before[1], "throttled calls");
        assertEquals(1.0, sample(answered) - before[2], "requests answered 200");
        assertEquals(5.0, sample(inputTokens) - before[3], "input tokens");
    }

    @Test
    void persistentThrottlingIsA429WithRetryAfterOnceTheRetriesAreSpent() {
        String path = "/model/anthropic.claude-3-sonnet.*/converse";
        bedrock.stubFor(post(urlPathMatching(path)).willReturn(throttled()));

        Response response = send(chat("ft-persist", false));

        assertEquals(429, response.statusCode());
        assertEquals("rate_limit_exceeded", response.jsonPath().getString("error.code"));
        assertNotNull(response.header("Retry-After"));
        assertEquals(3, calls(path), "one call and num_retries (2) retries");
    }

    /**
     * LiteLLM's rule: a model's only deployment is not cooled down for throttling. With nowhere else to go, a cool-down
     * would turn every client's "throttled, retry shortly" (429, which the SDKs raise as RateLimitError) into 503s.
     */
    @Test
    void throttlingNeverCoolsDownAModelsOnlyDeployment() {
        String path = "/model/amazon.nova-lite.*/converse";
        bedrock.stubFor(post(urlPathMatching(path)).willReturn(throttled()));

        for (int i = 0; i < 3; i++) {
            Response response = send(chat("ft-alone", false));
            assertEquals(429, response.statusCode(), "request " + i + ": " + response.asString());
            assertEquals("rate_limit_exceeded", response.jsonPath().getString("error.code"));
        }
        assertEquals(9, calls(path), "3 requests of 3 calls each, all of them reaching Bedrock");
        assertEquals(0.0, metric("gateway_circuit_state", "amazon.nova-lite-v1:0"));

        bedrock.resetAll();
        bedrock.stubFor(post(urlPathMatching(path)).willReturn(ConverseReplies.text("Through", "end_turn", 1, 1)));
        assertEquals(200, send(chat("ft-alone", false)).statusCode());
    }

    @Test
    void a500AndA503OnceAreRetried() {
        String path = "/model/anthropic.claude-3-opus.*/converse";
        failThenSucceed(path, 1, ConverseReplies.error(500, "InternalServerException", "Oops"),
                ConverseReplies.text("Recovered", "end_turn", 1, 1));
        Response first = send(chat("ft-once", false));
        assertEquals(200, first.statusCode(), first.asString());
        assertEquals(2, calls(path));

        bedrock.resetAll();
        failThenSucceed(path, 1, ConverseReplies.error(503, "ServiceUnavailableException", "Busy"),
                ConverseReplies.text("Recovered", "end_turn", 1, 1));
        Response second = send(chat("ft-once", false));
        assertEquals(200, second.statusCode(), second.asString());
        assertEquals(2, calls(path));
    }

    @Test
    void aValidationErrorIsNeverRetried() {
        String path = "/model/anthropic.claude-3-opus.*/converse";
        bedrock.stubFor(post(urlPathMatching(path)).willReturn(
                ConverseReplies.error(400, "ValidationException", "Malformed input request")));
        assertEquals(400, send(chat("ft-once", false)).statusCode());
        assertEquals(1, calls(path));
    }

    @Test
    void aStreamCutAfterItsFirstEventsEndsWithAnErrorFrameAndIsNotReplayed() {
        String path = "/model/meta.llama3-70b.*/converse-stream";
        byte[] frames = EventStreamFrames.stream().start().text(0, "Partial answer")
                .exception("internalServerException", "The model failed mid-stream").bytes();
        bedrock.stubFor(post(urlPathMatching(path)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/vnd.amazon.eventstream").withBody(frames)));
        double firstTokensBefore = metric("gateway_time_to_first_token_seconds_count", "model=\"ft-cut\"");
        double answeredBefore = metric("gateway_requests_seconds_count", "model=\"ft-cut\"", "status=\"200\"");

        Response response = send(chat("ft-cut", true));

        assertEquals(200, response.statusCode());
        String body = response.asString();
        assertTrue(body.contains("Partial answer"), body);
        assertTrue(body.contains("\"error\""), body);
        assertFalse(body.contains("[DONE]"), body);
        assertEquals(1, calls(path), "bytes reached the client: no retry");
        assertEquals(1.0, metric("gateway_time_to_first_token_seconds_count", "model=\"ft-cut\"")
                - firstTokensBefore);
        assertEquals(1.0, metric("gateway_requests_seconds_count", "model=\"ft-cut\"", "status=\"200\"")
                - answeredBefore);
    }

    /**
     * Regression: a client gone before the HTTP layer had subscribed to its stream left the stream running and its
     * deployment slot taken. Each client here leaves at another moment: while Bedrock has not answered, around its
     * answer, and after it; each call must have reached Bedrock and taken a slot first, and none is made again.
     */
    @Test
    void aClientLeavingReleasesItsDeploymentSlot() throws Exception {
        String path = "/model/meta.llama3-1-70b.*/converse-stream";
        bedrock.stubFor(post(urlPathMatching(path)).willReturn(aResponse().withStatus(200).withFixedDelay(700)
                .withHeader("Content-Type", "application/vnd.amazon.eventstream")
                .withBody(EventStreamFrames.stream().start().text(0, "late").messageStop("end_turn").metadata(1, 1)
                        .bytes())));
        String deployment = "meta.llama3-1-70b-instruct-v1:0";
        for (int i = 0; i < 3; i++) {
            String body = chat("ft-leave", true);
            try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
                startChat(socket, body);
                int call = i + 1;
                assertTrue(eventually(() -> calls(path) == call), "call " + call + " reached Bedrock");
                assertEquals(1.0, metric("gateway_upstream_calls_in_flight", deployment), "its slot is taken");
                Thread.sleep(i == 0 ? 0 : i == 1 ? 650 : 900); // gone before, around or after the answer (700 ms)
            }
            assertTrue(eventually(() -> metric("gateway_upstream_calls_in_flight", deployment) == 0.0),
                    "the slot of client " + (i + 1) + " was released once it left");
        }
        Thread.sleep(1500); // longer than the first-byte timeout (1 s): time for a retry, were one made
        assertEquals(3, calls(path), "a call whose client left is not retried");
    }

    /** Once its client is gone, a request is not retried: its failures would only cost Bedrock calls and cool-downs. */
    @Test
    void aRequestWhoseClientLeftIsNotRetried() throws Exception {
        String path = "/model/meta.llama3-1-8b.*/converse";
        bedrock.stubFor(post(urlPathMatching(path)).willReturn(ConverseReplies.error(503,
                "ServiceUnavailableException", "Busy").withFixedDelay(400)));
        String body = chat("ft-left", false);
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            startChat(socket, body);
            assertTrue(eventually(() -> calls(path) == 1), "the call reached Bedrock");
        }
        Thread.sleep(2000); // the failure at 400 ms, then time for two retries 10-50 ms apart, were they made
        assertEquals(1, calls(path), "no retry once the client left");
        assertEquals(0.0, metric("gateway_upstream_calls_in_flight", "meta.llama3-1-8b-instruct-v1:0"));
    }

    /** Sends a chat request over {@code socket} and reads nothing: closing the socket is the client leaving. */
    private static void startChat(Socket socket, String body) throws java.io.IOException {
        socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer sk-test-key-1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    /** Whether {@code condition} holds within 5 s. */
    private static boolean eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    @Test
    void aSlowFirstByteTimesOutEveryAttemptThenIsA504() {
        String path = "/model/meta.llama3-8b.*/converse-stream";
        // Far later than the first-byte timeout (1 s): an answer at all would mean the timeout did not cut the call.
        bedrock.stubFor(post(urlPathMatching(path)).willReturn(aResponse().withStatus(200).withFixedDelay(60_000)
                .withHeader("Content-Type", "application/vnd.amazon.eventstream")
                .withBody(EventStreamFrames.stream().start().text(0, "late").bytes())));

        long start = System.nanoTime();
        Response response = send(chat("ft-slow", true));
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertEquals(504, response.statusCode(), response.asString());
        assertEquals("timeout", response.jsonPath().getString("error.code"));
        assertEquals(3, calls(path));
        assertTrue(millis >= 3000, "each of the three attempts waited its 1 s: " + millis + " ms");
    }

    @Test
    void eachCallIsBoundedByTheCatalogsTimeoutThenRetried() {
        String path = "/model/ai21.jamba-1-5-large.*/converse";
        // Far later than the catalog's timeout (1.5 s): an answer at all would mean the timeout did not cut the call.
        bedrock.stubFor(post(urlPathMatching(path)).willReturn(ConverseReplies.text("late", "end_turn", 1, 1)
                .withFixedDelay(60_000)));

        long start = System.nanoTime();
        Response response = send(chat("ft-timeout", false));
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertEquals(504, response.statusCode(), response.asString());
        assertEquals("timeout", response.jsonPath().getString("error.code"));
        assertEquals(3, calls(path));
        assertTrue(millis >= 4500, "each of the three calls waited its 1.5 s: " + millis + " ms");
    }

    @Test
    void aFailingDeploymentIsCooledDownAndItsSiblingServes() {
        String failing = "/model/mistral.mistral-7b.*/converse";
        String healthy = "/model/mistral.mixtral-8x7b.*/converse";
        bedrock.stubFor(post(urlPathMatching(failing)).willReturn(
                ConverseReplies.error(500, "InternalServerException", "Broken deployment")));
        bedrock.stubFor(post(urlPathMatching(healthy)).willReturn(ConverseReplies.text("From the sibling",
                "end_turn", 2, 2)));

        for (int i = 0; i < 12; i++) {
            Response response = send(chat("ft-group", false));
            assertEquals(200, response.statusCode(), "request " + i + ": " + response.asString());
            assertEquals("From the sibling", response.jsonPath().getString("choices[0].message.content"));
        }
        assertEquals(4, calls(failing), "allowed_fails (3) + 1 failures, then the circuit is open for 60 s");
        assertEquals(12, calls(healthy));
        assertEquals(1.0, metric("gateway_circuit_state", "mistral.mistral-7b-instruct-v0:2"));
        assertEquals(0.0, metric("gateway_circuit_state", "mistral.mixtral-8x7b-instruct-v0:1"));
    }

    @Test
    void aGroupOfHealthyDeploymentsSharesTheTraffic() {
        String express = "/model/amazon.titan-text-express-v1/converse";
        String lite = "/model/amazon.titan-text-lite-v1/converse";
        bedrock.stubFor(post(urlPathMatching(express)).willReturn(ConverseReplies.text("e", "end_turn", 1, 1)));
        bedrock.stubFor(post(urlPathMatching(lite)).willReturn(ConverseReplies.text("l", "end_turn", 1, 1)));
        for (int i = 0; i < 10; i++) {
            assertEquals(200, send(chat("ft-pair", false)).statusCode());
        }
        assertEquals(5, calls(express), "equally busy deployments take turns");
        assertEquals(5, calls(lite));
    }

    @Test
    void anExhaustedModelFallsBackToAnotherModelInAnotherRegion() {
        String primary = "/model/cohere.command-r-v1.*/converse";
        String fallback = "/model/cohere.command-r-plus-v1.*/converse";
        bedrock.stubFor(post(urlPathMatching(primary)).willReturn(
                ConverseReplies.error(503, "ServiceUnavailableException", "Region is busy")));
        bedrock.stubFor(post(urlPathMatching(fallback)).willReturn(ConverseReplies.text("From the fallback",
                "end_turn", 3, 4)));

        Response response = send(chat("ft-primary", false));

        assertEquals(200, response.statusCode(), response.asString());
        assertEquals("From the fallback", response.jsonPath().getString("choices[0].message.content"));
        assertEquals("ft-primary", response.jsonPath().getString("model"), "the client's model name is kept");
        assertEquals(3, calls(primary));
        assertEquals(1, calls(fallback));
        assertTrue(bedrock.findAll(postRequestedFor(urlPathMatching(fallback))).get(0)
                .getHeader("Authorization").contains("/us-west-2/bedrock/aws4_request"), "signed for us-west-2");
        assertEquals(1.0, metric("gateway_fallbacks_total", "from=\"ft-primary\"", "to=\"ft-fallback\""));
    }

    @Test
    void eachResponseCarriesARequestIdAndAClientOneIsKept() {
        bedrock.stubFor(post(urlPathMatching("/model/anthropic.claude-3-haiku.*/converse"))
                .willReturn(ConverseReplies.text("Hi", "end_turn", 1, 1)));
        String generated = send(chat("ft-throttle", false)).header("x-request-id");
        assertTrue(generated != null && generated.matches("req_[0-9a-f]{24}"), generated);
        String kept = given().header("Authorization", "Bearer sk-test-key-1").header("X-Request-Id", "trace-42")
                .contentType(ContentType.JSON).body(chat("ft-throttle", false)).post("/v1/chat/completions")
                .header("x-request-id");
        assertEquals("trace-42", kept);
    }

    /**
     * Bedrock's answers may arrive on the HTTP client's own threads (Netty's, a test's executor); whatever thread a
     * call completes on, the router hands its outcome (an answer after a retry, or a failure) back to the caller's own
     * Vert.x context, where the rest of the request runs.
     */
    @Test
    void aCallsOutcomeReachesTheCallersContextWhicheverThreadBedrockAnsweredOn() throws Exception {
        ExecutorService elsewhere = Executors.newSingleThreadExecutor(r -> new Thread(r, "answering-thread"));
        try {
            AtomicInteger attempts = new AtomicInteger();
            Function<Deployment, Uni<String>> busyThenAnswer = d -> Uni.createFrom().emitter(e -> elsewhere.execute(
                    () -> {
                        if (attempts.incrementAndGet() == 1) {
                            e.fail(new UpstreamFailure(503, "api_error", "service_unavailable", "busy", Map.of(),
                                    null, true));
                        } else {
                            e.complete("answer");
                        }
                    }));
            List<Object> answered = outcomeOn(busyThenAnswer);
            assertEquals("answer", answered.get(0));
            assertEquals(2, attempts.get(), "the first, retryable failure was retried");
            assertEquals(answered.get(1), answered.get(2), "delivered on the caller's thread, not answering-thread");
            assertEquals(true, answered.get(3), "with the caller's Vert.x context current");

            Function<Deployment, Uni<String>> refused = d -> Uni.createFrom().emitter(e -> elsewhere.execute(
                    () -> e.fail(new UpstreamFailure(400, "invalid_request_error", null, "refused", Map.of(), null,
                            false))));
            List<Object> failed = outcomeOn(refused);
            assertTrue(failed.get(0) instanceof UpstreamFailure u && !u.retryable(), String.valueOf(failed.get(0)));
            assertEquals(failed.get(1), failed.get(2), "delivered on the caller's thread, not answering-thread");
            assertEquals(true, failed.get(3), "with the caller's Vert.x context current");
        } finally {
            elsewhere.shutdownNow();
        }
    }

    /** Routes {@code call} from an event-loop context: [item or failure, caller thread, delivering thread, same context]. */
    private List<Object> outcomeOn(Function<Deployment, Uni<String>> call) throws Exception {
        Context context = vertx.getOrCreateContext();
        CompletableFuture<List<Object>> outcome = new CompletableFuture<>();
        context.runOnContext(v -> {
            Thread caller = Thread.currentThread();
            router.route(new RequestRecord("req_threads", System.nanoTime()), "ft-threads", call, null)
                    .subscribe().with(
                            item -> outcome.complete(seen(item, caller, context)),
                            failure -> outcome.complete(seen(failure, caller, context)));
        });
        return outcome.get(10, TimeUnit.SECONDS);
    }

    private static List<Object> seen(Object outcome, Thread caller, Context context) {
        List<Object> seen = new ArrayList<>();
        seen.add(outcome);
        seen.add(caller.getName());
        seen.add(Thread.currentThread().getName());
        seen.add(Vertx.currentContext() == context);
        return seen;
    }

    /**
     * Anthropic's Messages API gets the same retries and fallbacks: a Claude model Bedrock keeps refusing falls back
     * to a model of another family, which answers through Converse, in Anthropic's shape.
     */
    @Test
    void aClaudeMessageFallsBackToAnotherFamilyThroughConverse() {
        bedrock.stubFor(post(urlPathMatching("/model/anthropic.claude-3-5-haiku.*/invoke")).willReturn(
                ConverseReplies.error(503, "ServiceUnavailableException", "Bedrock is unavailable.")));
        bedrock.stubFor(post(urlPathMatching("/model/amazon.nova-pro.*/converse"))
                .willReturn(ConverseReplies.text("Nova here", "end_turn", 4, 2)));

        Response response = given().header("x-api-key", "sk-test-key-1").contentType(ContentType.JSON)
                .body("{\"model\":\"ft-claude\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"Hi\"}]}")
                .post("/v1/messages");

        assertEquals(200, response.statusCode(), response.asString());
        assertEquals("message", response.jsonPath().getString("type"));
        assertEquals("Nova here", response.jsonPath().getString("content[0].text"));
        assertEquals(3, calls("/model/anthropic.claude-3-5-haiku.*/invoke"), "one call and two retries");
        assertEquals(1, calls("/model/amazon.nova-pro.*/converse"));
        assertEquals(1.0, metric("gateway_fallbacks_total", "from=\"ft-claude\"", "to=\"ft-claude-backup\""));
    }
}
