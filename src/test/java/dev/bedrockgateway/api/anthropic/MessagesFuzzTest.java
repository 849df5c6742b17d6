package dev.bedrockgateway.api.anthropic;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import dev.bedrockgateway.testing.BedrockStandIn;
import dev.bedrockgateway.testing.ConverseReplies;
import dev.bedrockgateway.testing.JsonMutations;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Anthropic's endpoints under bad input: a valid request with one field after another replaced by a value of the
 * wrong type or shape, on Claude (passed to InvokeModel) and on another family (translated onto Converse), JSON and
 * streamed, and on count_tokens. Bedrock (WireMock) refuses whatever reaches it with a ValidationException. Every answer
 * must be a 4xx in Anthropic's shape: never a 5xx, whatever the translator met.
 */
@QuarkusTest
@WithTestResource(BedrockStandIn.class)
class MessagesFuzzTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String VALID = """
            {"model":"claude-haiku-4-5","max_tokens":100,"temperature":0.5,"top_p":0.9,"stop_sequences":["X"],
             "system":[{"type":"text","text":"S","cache_control":{"type":"ephemeral","ttl":"5m"}}],
             "thinking":{"type":"enabled","budget_tokens":1024},"tool_choice":{"type":"auto"},
             "tools":[{"name":"t","description":"d","input_schema":{"type":"object","properties":{"a":{"type":"string"}}}}],
             "metadata":{"user_id":"u"},
             "messages":[{"role":"user","content":[{"type":"text","text":"Hi"},
                {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
                {"type":"document","source":{"type":"text","media_type":"text/plain","data":"doc"},"title":"T"}]},
               {"role":"assistant","content":[{"type":"thinking","thinking":"x","signature":"s"},
                {"type":"tool_use","id":"toolu_1","name":"t","input":{"a":"b"}}]},
               {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"r"}],
                "is_error":false}]}]}""";

    @BedrockStandIn.Inject
    WireMockServer bedrock;

    @BeforeEach
    void bedrockRefusesEverything() {
        ConverseReplies.refuseEverything(bedrock);
    }

    /** The valid request with one field or element replaced (or removed), for each in turn and each odd value. */
    static List<String> mutations(String model) throws Exception {
        ObjectNode base = (ObjectNode) JSON.readTree(VALID);
        base.put("model", model);
        return JsonMutations.of(base, 6, 25); // a sixth of the combinations (about 650 requests in all)
    }

    private static void assertAnthropicRefusal(Response response, String body) {
        int status = response.statusCode();
        assertTrue(status >= 400 && status < 500, status + " for " + body + ": " + response.asString());
        assertEquals("error", response.jsonPath().getString("type"), body + ": " + response.asString());
        assertTrue(response.jsonPath().getString("error.type").endsWith("_error"), response.asString());
    }

    @Test
    void neverA5xxOnClaudeNorOnConverse() throws Exception {
        int sent = 0;
        for (String model : List.of("claude-haiku-4-5", "bedrock-llama3-8b-instruct-v1")) {
            for (String body : mutations(model)) {
                for (String path : List.of("/v1/messages", "/v1/messages/count_tokens")) {
                    Response response = given().header("x-api-key", "sk-test-key-1").contentType(ContentType.JSON)
                            .body(sent % 2 == 0 ? body : body.replaceFirst("\\{", "{\"stream\":true,"))
                            .post(path);
                    assertAnthropicRefusal(response, body);
                    sent++;
                }
            }
        }
        assertTrue(sent > 200, "sent " + sent);
    }
}
