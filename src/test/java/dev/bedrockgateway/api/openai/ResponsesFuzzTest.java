package dev.bedrockgateway.api.openai;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
 * The Responses API under bad input: a valid request with one field after another replaced by a value of the wrong
 * type or shape, JSON and streamed. Bedrock (WireMock) refuses whatever reaches it with a ValidationException. Every
 * answer must be a 4xx in OpenAI's shape: never a 5xx, whatever the item reader or the chat translator met.
 */
@QuarkusTest
@WithTestResource(BedrockStandIn.class)
class ResponsesFuzzTest {

    static final String VALID = """
            {"model":"claude-haiku-4-5","instructions":"Be brief.","max_output_tokens":100,"temperature":1,
             "top_p":1,"store":false,"parallel_tool_calls":true,"prompt_cache_key":"k","metadata":{"a":"b"},
             "reasoning":{"effort":"low","summary":"auto"},"include":["reasoning.encrypted_content"],
             "text":{"format":{"type":"text"},"verbosity":"medium"},"tool_choice":"auto",
             "tools":[{"type":"function","name":"f","description":"d","strict":false,
                "parameters":{"type":"object","properties":{"a":{"type":"string"}}}},
               {"type":"namespace","name":"ns","description":"n","tools":[{"type":"function","name":"g",
                "parameters":{"type":"object","properties":{}}}]}],
             "input":[{"role":"developer","content":"D"},
               {"type":"message","role":"user","content":[{"type":"input_text","text":"Hi"},
                {"type":"input_image","image_url":"data:image/png;base64,iVBORw0KGgo=","detail":"auto"},
                {"type":"input_file","filename":"a.txt","file_data":"data:text/plain;base64,aGVsbG8="}]},
               {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"s"}]},
               {"type":"function_call","id":"fc_1","call_id":"c1","name":"f","arguments":"{\\"a\\":\\"b\\"}"},
               {"type":"function_call","call_id":"c2","namespace":"ns","name":"g","arguments":"{}"},
               {"type":"function_call_output","call_id":"c1","output":"r"},
               {"type":"function_call_output","call_id":"c2","output":[{"type":"input_text","text":"r2"}]},
               {"role":"assistant","content":[{"type":"output_text","text":"ok","annotations":[]}]},
               {"role":"user","content":"Go on"}]}""";

    @BedrockStandIn.Inject
    WireMockServer bedrock;

    @BeforeEach
    void bedrockRefusesEverything() {
        ConverseReplies.refuseEverything(bedrock);
    }

    @Test
    void neverA5xx() throws Exception {
        ObjectNode base = (ObjectNode) new ObjectMapper().readTree(VALID);
        List<String> bodies = JsonMutations.of(base, 5, 26);
        int sent = 0;
        for (String body : bodies) {
            Response response = given().header("Authorization", ResponsesResourceTest.KEY)
                    .contentType(ContentType.JSON)
                    .body(sent % 2 == 0 ? body : body.replaceFirst("\\{", "{\"stream\":true,"))
                    .post("/v1/responses");
            int status = response.statusCode();
            assertTrue(status >= 400 && status < 500, status + " for " + body + ": " + response.asString());
            assertNotNull(response.jsonPath().getString("error.message"), body + ": " + response.asString());
            assertTrue(response.jsonPath().getString("error.type").endsWith("_error"), response.asString());
            sent++;
        }
        assertTrue(sent > 150, "sent " + sent);
    }
}
