package dev.bedrockgateway.api.anthropic;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.bedrockgateway.testing.Eventually;
import dev.bedrockgateway.testing.Metrics;
import dev.bedrockgateway.testing.SimulatedBedrock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * {@code /v1/messages} over raw HTTP against the Bedrock simulator, which refuses what Bedrock refuses: Claude Code's
 * own defaults, other model families through Converse, and Anthropic's error shape for every refusal.
 */
@QuarkusTest
@WithTestResource(SimulatedBedrock.class)
class MessagesResourceTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    static RequestSpecification anthropic() {
        return given().header("x-api-key", "sk-test-key-1").header("anthropic-version", "2023-06-01")
                .contentType(ContentType.JSON);
    }

    /** Server-sent events as (event, data) pairs. */
    static List<String[]> events(String body) {
        List<String[]> events = new ArrayList<>();
        for (String frame : body.split("\n\n")) {
            if (frame.isBlank()) {
                continue;
            }
            String[] lines = frame.split("\n", 2);
            assertTrue(lines[0].startsWith("event: ") && lines[1].startsWith("data: "), frame);
            events.add(new String[] {lines[0].substring(7), lines[1].substring(6)});
        }
        return events;
    }

    /**
     * What Claude Code 2.1 sends by default to Anthropic's API reaches Bedrock in a form it takes, on a model without
     * adaptive thinking: the simulator refuses a system role in messages, unknown fields and unknown beta flags.
     */
    @Test
    void claudeCodesDefaultsAreAdaptedNotRefused() throws InterruptedException {
        Response response = anthropic()
                .header("anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14,"
                        + "context-management-2025-06-27,fine-grained-tool-streaming-2025-05-14")
                .body("""
                        {"model":"claude-sonnet-4-5","max_tokens":32000,"stream":true,
                         "system":[{"type":"text","text":"You are Claude Code.","cache_control":{"type":"ephemeral"}}],
                         "messages":[{"role":"user","content":"What is here?"},
                                     {"role":"system","content":"<system-reminder>cwd is /repo</system-reminder>"},
                                     {"role":"user","content":[{"type":"text","text":"Answer briefly"}]}],
                         "thinking":{"type":"adaptive"},
                         "context_management":{"edits":[{"type":"clear_thinking_20251015","keep":"all"}]},
                         "output_config":{"effort":"high"},
                         "metadata":{"user_id":"user_1_account_2_session_3"},
                         "temperature":1}""")
                .post("/v1/messages");

        assertEquals(200, response.statusCode(), response.asString());
        assertEquals("messages[1] role system moved to system; thinking adaptive became enabled with budget_tokens "
                + "25600; output_config.effort dropped; metadata dropped; anthropic-beta claude-code-20250219 dropped",
                response.header("x-bedrock-gateway-adapted"));
        List<String[]> events = events(response.asString());
        assertEquals("message_start", events.get(0)[0]);
        assertEquals("ping", events.get(1)[0]);
        assertEquals("content_block_start", events.get(2)[0]);
        assertTrue(events.get(2)[1].contains("\"thinking\""), events.get(2)[1]);
        assertEquals("message_stop", events.get(events.size() - 1)[0]);
        assertEquals("{\"type\":\"message_stop\"}", events.get(events.size() - 1)[1]);
        // Metered like any stream: its time to first token under this endpoint, and its tokens (recorded as the
        // exchange ends, which may come just after the client read the last byte).
        assertTrue(Metrics.sum(metrics, "gateway_time_to_first_token_seconds_count", "endpoint=\"messages\"",
                "model=\"claude-sonnet-4-5\"") >= 1);
        Eventually.until(() -> Metrics.sum(metrics, "gateway_tokens_total", "model=\"claude-sonnet-4-5\"",
                "type=\"output\"") > 0, "the stream's output tokens in gateway_tokens_total");
    }

    @Test
    void anotherFamilyAnswersThroughConverse() throws Exception {
        Response response = anthropic().body("""
                {"model":"bedrock-llama3-8b-instruct-v1","max_tokens":64,"metadata":{"user_id":"u"},
                 "system":"Be brief.","messages":[{"role":"user","content":"Hello there"}]}""")
                .post("/v1/messages");

        assertEquals(200, response.statusCode(), response.asString());
        assertEquals("metadata.user_id", response.header("x-bedrock-gateway-adapted"));
        JsonNode message = JSON.readTree(response.asString());
        assertEquals("message", message.path("type").asText());
        assertEquals("bedrock-llama3-8b-instruct-v1", message.path("model").asText());
        assertTrue(message.path("id").asText().startsWith("msg_"));
        assertEquals("Simulated reply from meta.llama3-8b-instruct-v1:0: Hello there",
                message.path("content").path(0).path("text").asText());
        assertEquals("end_turn", message.path("stop_reason").asText());
        assertEquals(4, message.path("usage").path("input_tokens").asInt(), "Be brief. + Hello there, a token a word");
    }

    @Test
    void anotherFamilyStreamsAnthropicsEvents() {
        Response response = anthropic().body("""
                {"model":"bedrock-llama3-8b-instruct-v1","max_tokens":64,"stream":true,
                 "messages":[{"role":"user","content":"Hello there"}]}""")
                .post("/v1/messages");

        assertEquals(200, response.statusCode(), response.asString());
        List<String[]> events = events(response.asString());
        List<String> types = events.stream().map(e -> e[0]).distinct().toList();
        assertEquals(List.of("message_start", "ping", "content_block_start", "content_block_delta",
                "content_block_stop", "message_delta", "message_stop"), types);
        StringBuilder text = new StringBuilder();
        for (String[] event : events) {
            if (event[0].equals("content_block_delta")) {
                assertTrue(event[1].contains("\"text_delta\""), event[1]);
                text.append(JSON.valueToTree(parse(event[1])).path("delta").path("text").asText());
            }
        }
        assertEquals("Simulated reply from meta.llama3-8b-instruct-v1:0: Hello there", text.toString());
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(json, e);
        }
    }

    @Test
    void whatConverseCannotRunIsA400NamingIt() {
        anthropic().body("""
                {"model":"bedrock-llama3-8b-instruct-v1","max_tokens":64,
                 "tools":[{"type":"web_search_20250305","name":"web_search"}],
                 "messages":[{"role":"user","content":"Search"}]}""")
                .post("/v1/messages").then().statusCode(400).contentType(ContentType.JSON)
                .body("type", equalTo("error")).body("error.type", equalTo("invalid_request_error"))
                .body("error.message", containsString("tools[0]"));
    }

    @Test
    void refusalsHaveAnthropicsShapeAndStatus() {
        anthropic().body("{\"model\":\"claude-haiku-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .post("/v1/messages").then().statusCode(400).body("type", equalTo("error"))
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.message", equalTo("max_tokens: Field required"));
        anthropic().body("{\"model\":").post("/v1/messages").then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"));
        anthropic().body("{\"model\":\"nope\",\"max_tokens\":5,\"messages\":[]}").post("/v1/messages").then()
                .statusCode(404).body("error.type", equalTo("not_found_error"))
                .body("error.message", containsString("nope"));
        // Bedrock's ValidationException keeps its message: Bedrock refuses a budget not below max_tokens.
        anthropic().body("""
                {"model":"claude-haiku-4-5","max_tokens":2000,"thinking":{"type":"enabled","budget_tokens":3000},
                 "messages":[{"role":"user","content":"Hi"}]}""")
                .post("/v1/messages").then().statusCode(400).body("error.type", equalTo("invalid_request_error"))
                .body("error.message", startsWith("Bedrock rejected the request: "));
        Response throttled = anthropic().body("""
                {"model":"claude-haiku-4-5","max_tokens":20,"messages":[{"role":"user","content":"Hi simulate:throttle"}]}""")
                .post("/v1/messages");
        throttled.then().statusCode(429).body("error.type", equalTo("rate_limit_error"));
        assertEquals("1", throttled.header("retry-after"));
        anthropic().body("""
                {"model":"claude-haiku-4-5","max_tokens":20,"stream":true,
                 "messages":[{"role":"user","content":"Hi simulate:unavailable"}]}""")
                .post("/v1/messages").then().statusCode(529).body("error.type", equalTo("overloaded_error"));
        anthropic().body("{\"model\":\"claude-haiku-4-5\",\"max_tokens\":20,\"messages\":[]}")
                .get("/v1/messages").then().statusCode(405).body("type", equalTo("error"));
        anthropic().contentType("text/plain").body("hi").post("/v1/messages").then().statusCode(415)
                .body("error.type", equalTo("invalid_request_error"));
    }

    /** The gateway's own limits (gateway.limits.max-messages) hold here too, before Bedrock is asked. */
    @Test
    void tooManyMessagesIsA400() {
        String messages = String.join(",", java.util.Collections.nCopies(2049,
                "{\"role\":\"user\",\"content\":\"Hi\"}"));
        anthropic().body("{\"model\":\"claude-haiku-4-5\",\"max_tokens\":5,\"messages\":[" + messages + "]}")
                .post("/v1/messages").then().statusCode(400).body("error.type", equalTo("invalid_request_error"))
                .body("error.message", containsString("maximum length 2048"));
    }

    @Test
    void countTokensOnAnotherFamilyIsRefusedByBedrockNotEstimated() {
        anthropic().body("{\"model\":\"bedrock-llama3-8b-instruct-v1\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Hi\"}]}").post("/v1/messages/count_tokens").then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.message", containsString("counting tokens"));
    }
}
