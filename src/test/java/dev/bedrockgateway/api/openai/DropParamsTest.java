package dev.bedrockgateway.api.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.bedrockgateway.testing.BedrockStandIn;
import dev.bedrockgateway.testing.ConverseReplies;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * A LiteLLM catalog with {@code drop_params: true}, regions, ARNs and a default max_tokens; the client speaks
 * HTTP/2 to Bedrock here ({@code GATEWAY_BEDROCK_PROTOCOL}; cleartext with prior knowledge against this stand-in),
 * HTTP/1.1 elsewhere.
 */
@QuarkusTest
@TestProfile(DropParamsTest.Profile.class)
@WithTestResource(BedrockStandIn.class)
class DropParamsTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.config-file", "src/test/resources/catalogs/drop-params.yaml",
                    "gateway.bedrock.protocol", "HTTP2");
        }
    }

    @BedrockStandIn.Inject
    WireMockServer bedrock;

    @BeforeEach
    void reset() {
        bedrock.resetAll();
        bedrock.stubFor(post(urlPathMatching("/model/.*")).willReturn(ConverseReplies.text("ok", "end_turn", 1, 1)));
    }

    @Test
    void unsupportedAndUnknownParamsAreDroppedAndNamedInAHeader() {
        given().header("Authorization", "Bearer sk-test-key-1").contentType(ContentType.JSON).body("""
                {"model":"claude","messages":[{"role":"user","content":"Hi"}],
                 "n":2,"seed":7,"presence_penalty":0.4,"frobnicate":{"deep":[1,2]},"temperature":0.2}""")
                .post("/v1/chat/completions")
                .then().statusCode(200)
                .header(OpenAiAnswers.DROPPED_PARAMS_HEADER, equalTo("frobnicate,n,presence_penalty,seed"))
                .body("choices[0].message.content", equalTo("ok"));
        // Defaults from litellm_params (max_tokens) apply; the region's credential scope is eu-west-1.
        bedrock.verify(postRequestedFor(urlEqualTo("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse"))
                .withHeader("Authorization", matching(".*/eu-west-1/bedrock/aws4_request.*"))
                .withRequestBody(equalToJson("""
                        {"messages":[{"role":"user","content":[{"text":"Hi"}]}],
                         "inferenceConfig":{"maxTokens":777,"temperature":0.2}}""")));
    }

    @Test
    void invalidValuesAreStillRejectedWhenDropping() {
        given().header("Authorization", "Bearer sk-test-key-1").contentType(ContentType.JSON).body("""
                {"model":"claude","messages":[{"role":"user","content":"Hi"}],"temperature":9}""")
                .post("/v1/chat/completions")
                .then().statusCode(400).body("error.param", equalTo("temperature"));
    }

    @Test
    void inferenceProfileArnIsUrlEncodedIntoThePathAndSignedForItsRegion() {
        given().header("Authorization", "Bearer sk-test-key-1").contentType(ContentType.JSON).body("""
                {"model":"my-profile","messages":[{"role":"user","content":"Hi"}]}""")
                .post("/v1/chat/completions")
                .then().statusCode(200);
        bedrock.verify(postRequestedFor(urlEqualTo("/model/arn%3Aaws%3Abedrock%3Aeu-central-1%3A123456789012%3A"
                + "application-inference-profile%2Fa1b2c3d4e5/converse"))
                .withHeader("Authorization", matching(".*/eu-central-1/bedrock/aws4_request.*")));
        assertEquals("HTTP/2.0", bedrock.getAllServeEvents().get(0).getRequest().getProtocol());
    }
}
