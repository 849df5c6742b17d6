package dev.bedrockgateway.api.anthropic;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.bedrockgateway.testing.BedrockStandIn;
import dev.bedrockgateway.testing.ConverseReplies;
import dev.bedrockgateway.testing.EventStreamFrames;
import dev.bedrockgateway.testing.GoldenCases;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Golden cases of {@code /v1/messages} on Claude (InvokeModel), under src/test/resources/golden/messages/&lt;case&gt;/:
 * the client's request ({@code request.json}, its {@code anthropic-beta} header in {@code anthropic-beta.txt}), the
 * exact bytes Bedrock must receive ({@code bedrock-request.json}: numbers as the client wrote them, signatures and
 * documents untouched), Bedrock's answer, and the {@code x-bedrock-gateway-adapted} header ({@code adapted.txt}, none
 * when absent). The answer must be Bedrock's, byte for byte. Under golden/messages-stream/&lt;case&gt;/ the same for
 * InvokeModelWithResponseStream: Bedrock's chunks ({@code bedrock-events.jsonl}) and the exact SSE text the client
 * must get ({@code response.txt}).
 */
@QuarkusTest
@WithTestResource(BedrockStandIn.class)
class GoldenMessagesTest {

    static final Path ROOT = Path.of("src/test/resources/golden/messages");
    static final Path STREAMS = Path.of("src/test/resources/golden/messages-stream");
    static final ObjectMapper JSON = new ObjectMapper();

    @BedrockStandIn.Inject
    WireMockServer bedrock;

    static Stream<String> cases() throws IOException {
        return GoldenCases.under(ROOT);
    }

    static Stream<String> streams() throws IOException {
        return GoldenCases.under(STREAMS);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void golden(String name) throws IOException {
        Path dir = ROOT.resolve(name);
        bedrock.resetAll();
        byte[] answer = Files.readAllBytes(dir.resolve("bedrock-response.json"));
        bedrock.stubFor(post(urlPathEqualTo("/model/" + modelId(dir) + "/invoke"))
                .willReturn(ConverseReplies.json(new String(answer, StandardCharsets.UTF_8))));

        Response response = request(dir).post("/v1/messages");

        assertEquals(200, response.statusCode(), response.asString());
        assertEquals("application/json", response.contentType());
        assertBedrockReceived(dir, "/invoke");
        assertArrayEquals(answer, response.asByteArray(), "Claude's answer passes unchanged");
        assertAdapted(dir, response);
    }

    @ParameterizedTest
    @MethodSource("streams")
    void goldenStream(String name) throws IOException {
        Path dir = STREAMS.resolve(name);
        bedrock.resetAll();
        EventStreamFrames frames = EventStreamFrames.stream();
        for (String line : Files.readAllLines(dir.resolve("bedrock-events.jsonl"))) {
            if (!line.isBlank()) {
                frames.event("chunk", "{\"bytes\":\"" + Base64.getEncoder().encodeToString(
                        line.getBytes(StandardCharsets.UTF_8)) + "\",\"p\":\"abcdefgh\"}");
            }
        }
        bedrock.stubFor(post(urlPathEqualTo("/model/" + modelId(dir) + "/invoke-with-response-stream"))
                .willReturn(frames.response()));

        Response response = request(dir).post("/v1/messages");

        assertEquals(200, response.statusCode(), response.asString());
        assertEquals("text/event-stream; charset=utf-8", response.contentType());
        assertBedrockReceived(dir, "/invoke-with-response-stream");
        assertEquals(Files.readString(dir.resolve("response.txt")), response.asString());
        assertAdapted(dir, response);
    }

    /** A failure after the stream started is one error event, and no message_stop: never a clean end. */
    @org.junit.jupiter.api.Test
    void aFailureMidStreamIsAnErrorEvent() {
        bedrock.resetAll();
        String start = "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bdrk_9\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"content\":[],\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}";
        bedrock.stubFor(post(urlPathEqualTo("/model/us.anthropic.claude-haiku-4-5-20251001-v1%3A0"
                + "/invoke-with-response-stream")).willReturn(EventStreamFrames.stream()
                        .event("chunk", "{\"bytes\":\"" + Base64.getEncoder().encodeToString(
                                start.getBytes(StandardCharsets.UTF_8)) + "\"}")
                        .exception("modelStreamErrorException", "The model stopped.").response()));

        Response response = given().header("x-api-key", "sk-test-key-1").contentType(ContentType.JSON)
                .body("{\"model\":\"claude-haiku-4-5\",\"max_tokens\":50,\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .post("/v1/messages");

        assertEquals(200, response.statusCode());
        assertEquals("event: message_start\ndata: " + start + "\n\nevent: ping\ndata: {\"type\": \"ping\"}\n\n"
                + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\","
                + "\"message\":\"Bedrock failed: The model stopped.\"}}\n\n", response.asString());
    }

    private static RequestSpecification request(Path dir) throws IOException {
        RequestSpecification request = given().header("x-api-key", "sk-test-key-1")
                .header("anthropic-version", "2023-06-01").contentType(ContentType.JSON)
                .body(Files.readAllBytes(dir.resolve("request.json")));
        Path beta = dir.resolve("anthropic-beta.txt");
        if (Files.exists(beta)) {
            request.header("anthropic-beta", Files.readString(beta).strip());
        }
        return request;
    }

    /** The Bedrock id the request's catalog name stands for, URL-encoded as the SDK puts it in the path. */
    private static String modelId(Path dir) throws IOException {
        String model = JSON.readTree(dir.resolve("request.json").toFile()).path("model").asText();
        String id = switch (model) {
            case "claude-haiku-4-5" -> "us.anthropic.claude-haiku-4-5-20251001-v1:0";
            case "claude-sonnet-4-5" -> "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
            case "claude-3-5-haiku-20241022" -> "us.anthropic.claude-3-5-haiku-20241022-v1:0";
            default -> throw new IllegalArgumentException(model);
        };
        return id.replace(":", "%3A");
    }

    private void assertBedrockReceived(Path dir, String operation) throws IOException {
        List<LoggedRequest> received = bedrock.findAll(
                com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                        urlPathEqualTo("/model/" + modelId(dir) + operation)));
        assertEquals(1, received.size());
        assertEquals(Files.readString(dir.resolve("bedrock-request.json")).strip(),
                new String(received.get(0).getBody(), StandardCharsets.UTF_8));
    }

    private static void assertAdapted(Path dir, Response response) throws IOException {
        Path adapted = dir.resolve("adapted.txt");
        if (Files.exists(adapted)) {
            assertEquals(Files.readString(adapted).strip(), response.header("x-bedrock-gateway-adapted"));
        } else {
            assertNull(response.header("x-bedrock-gateway-adapted"));
        }
    }
}
