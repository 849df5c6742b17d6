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
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import dev.bedrockgateway.testing.BedrockStandIn;
import dev.bedrockgateway.testing.EventStreamFrames;
import dev.bedrockgateway.testing.OpenAiSchemas;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Streaming golden cases under src/test/resources/golden/chat-stream/&lt;case&gt;/, the stateful half of translation:
 * the client's request, the exact body Bedrock must receive, the event frames Bedrock sends
 * ({@code bedrock-events.jsonl}: one {@code {"event": type, "payload": {...}}} per line), and the exact SSE frames the
 * client must get ({@code response.jsonl}: one chunk per line without {@code id} and {@code created}, which must be
 * the same in every chunk, then {@code [DONE]}).
 */
@QuarkusTest
@WithTestResource(BedrockStandIn.class)
class GoldenStreamTest {

    static final Path ROOT = Path.of("src/test/resources/golden/chat-stream");
    static final ObjectMapper JSON = new ObjectMapper();

    @BedrockStandIn.Inject
    WireMockServer bedrock;

    static Stream<String> cases() throws IOException {
        return GoldenChatTest.cases(ROOT);
    }

    /** The frames of {@code bedrock-events.jsonl}, encoded as Bedrock sends them. */
    static EventStreamFrames frames(Path file) throws IOException {
        EventStreamFrames frames = EventStreamFrames.stream();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                JsonNode event = JSON.readTree(line);
                frames.event(event.path("event").asText(), JSON.writeValueAsString(event.path("payload")));
            }
        }
        return frames;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void golden(String name) throws IOException {
        Path dir = ROOT.resolve(name);
        bedrock.resetAll();
        bedrock.stubFor(post(urlPathMatching("/model/.*/converse-stream"))
                .willReturn(frames(dir.resolve("bedrock-events.jsonl")).response()));

        Response response = given().header("Authorization", "Bearer sk-test-key-1").contentType(ContentType.JSON)
                .body(Files.readString(dir.resolve("request.json"))).post("/v1/chat/completions");

        assertEquals(200, response.statusCode(), response.asString());
        assertEquals("text/event-stream", response.contentType());
        bedrock.verify(1, postRequestedFor(urlPathMatching("/model/.*/converse-stream"))
                .withRequestBody(equalToJson(Files.readString(dir.resolve("bedrock-request.json")))));
        List<String> frames = StreamingTest.dataFrames(response.asString());
        List<JsonNode> actual = new ArrayList<>(frames.size());
        String id = null;
        long created = -1;
        for (String frame : frames) {
            if (frame.equals("[DONE]")) {
                actual.add(JSON.getNodeFactory().textNode(frame));
                continue;
            }
            OpenAiSchemas.assertValid("CreateChatCompletionStreamResponse", frame);
            ObjectNode chunk = (ObjectNode) JSON.readTree(frame);
            String chunkId = chunk.remove("id").asText();
            long chunkCreated = chunk.remove("created").asLong();
            if (id == null) {
                id = chunkId;
                created = chunkCreated;
                assertTrue(id.startsWith("chatcmpl-"), id);
                assertTrue(Math.abs(created - System.currentTimeMillis() / 1000) < 60, frame);
            }
            assertEquals(id, chunkId, "every chunk carries the same id");
            assertEquals(created, chunkCreated, "every chunk carries the same created");
            actual.add(chunk);
        }
        List<JsonNode> expected = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("response.jsonl"))) {
            if (!line.isBlank()) {
                expected.add(line.equals("[DONE]") ? JSON.getNodeFactory().textNode(line) : JSON.readTree(line));
            }
        }
        assertEquals(expected, actual);
    }
}
