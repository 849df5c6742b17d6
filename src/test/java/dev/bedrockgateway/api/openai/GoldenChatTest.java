package dev.bedrockgateway.api.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import dev.bedrockgateway.testing.BedrockStandIn;
import dev.bedrockgateway.testing.ConverseReplies;
import dev.bedrockgateway.testing.GoldenCases;
import dev.bedrockgateway.testing.OpenAiSchemas;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Golden pairs under src/test/resources/golden/chat/&lt;case&gt;/: the client's request, the exact body Bedrock must
 * receive, Bedrock's reply, and the exact response the client must get (id and created aside).
 */
@QuarkusTest
@WithTestResource(BedrockStandIn.class)
class GoldenChatTest {

    static final Path ROOT = Path.of("src/test/resources/golden/chat");
    static final ObjectMapper JSON = new ObjectMapper();

    @BedrockStandIn.Inject
    WireMockServer bedrock;

    static Stream<String> cases() throws IOException {
        return cases(ROOT);
    }

    /** The case directories under {@code root}, by name. */
    static Stream<String> cases(Path root) throws IOException {
        return GoldenCases.under(root);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void golden(String name) throws IOException {
        Path dir = ROOT.resolve(name);
        ConverseReplies.answerEverything(bedrock,
                ConverseReplies.json(Files.readString(dir.resolve("bedrock-response.json"))));

        Response response = given().header("Authorization", "Bearer sk-test-key-1").contentType(ContentType.JSON)
                .body(Files.readString(dir.resolve("request.json"))).post("/v1/chat/completions");

        assertEquals(200, response.statusCode(), response.asString());
        bedrock.verify(1, postRequestedFor(urlPathMatching("/model/.*/converse"))
                .withRequestBody(equalToJson(Files.readString(dir.resolve("bedrock-request.json")))));
        ObjectNode actual = (ObjectNode) JSON.readTree(response.asString());
        assertTrue(actual.remove("id").asText().startsWith("chatcmpl-"));
        assertTrue(Math.abs(actual.remove("created").asLong() - System.currentTimeMillis() / 1000) < 60);
        assertEquals(JSON.readTree(Files.readString(dir.resolve("response.json"))), actual);
        OpenAiSchemas.assertValid("CreateChatCompletionResponse", response.asString());
    }
}
