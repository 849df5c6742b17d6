package dev.bedrockgateway.translate.messages;

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
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;

/**
 * Golden cases under src/test/resources/golden/messages-converse/&lt;case&gt;/, each with any of three pairs:
 * <ul>
 * <li>{@code request.json} (the Anthropic request) -> {@code bedrock-request.json}, the exact Converse body the SDK
 * sends (for Converse and, the same, for ConverseStream), and {@code dropped.json} (what is reported as dropped; none
 * when the file is absent); the model id is {@code model-id.txt}, else {@value #MODEL_ID};</li>
 * <li>{@code bedrock-response.json} (Converse's answer as Bedrock sends it) -> {@code response.json}, the exact
 * Anthropic message;</li>
 * <li>{@code bedrock-events.jsonl} (one {@code {"event": type, "payload": {...}}} per line) -> {@code events.jsonl},
 * the exact Anthropic events, one {@code {"event": type, "data": {...}}} per line, {@code onEnd()} included.</li>
 * </ul>
 */
class MessagesGoldenTest {

    static final Path ROOT = Path.of("src/test/resources/golden/messages-converse");
    static final String MODEL_ID = "us.amazon.nova-pro-v1:0";
    static final String MESSAGE_ID = "msg_bdrk_01";
    static final String MODEL = "nova-pro";

    static Stream<String> cases() throws IOException {
        try (Stream<Path> dirs = Files.list(ROOT)) {
            return dirs.map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void golden(String name) throws IOException {
        Path dir = ROOT.resolve(name);
        int pairs = 0;
        if (Files.exists(dir.resolve("request.json"))) {
            pairs++;
            request(dir);
        }
        if (Files.exists(dir.resolve("bedrock-response.json"))) {
            pairs++;
            response(dir);
        }
        if (Files.exists(dir.resolve("bedrock-events.jsonl"))) {
            pairs++;
            stream(dir);
        }
        assertTrue(pairs > 0, "the case " + name + " holds no pair");
    }

    private static void request(Path dir) throws IOException {
        String modelId = Files.exists(dir.resolve("model-id.txt"))
                ? Files.readString(dir.resolve("model-id.txt")).trim() : MODEL_ID;
        MessagesConverse converse = MessagesToConverse.toConverse(
                (ObjectNode) ConverseWire.JSON.readTree(dir.resolve("request.json").toFile()), modelId);
        JsonNode expected = ConverseWire.JSON.readTree(dir.resolve("bedrock-request.json").toFile());
        assertEquals(expected, ConverseWire.body(converse.request()), "the Converse body");
        assertEquals(expected, ConverseWire.body(converse.streamRequest()), "the ConverseStream body");
        assertEquals(modelId, converse.request().modelId());
        assertEquals(modelId, converse.streamRequest().modelId());
        List<String> dropped = Files.exists(dir.resolve("dropped.json"))
                ? List.of(ConverseWire.JSON.readValue(dir.resolve("dropped.json").toFile(), String[].class))
                : List.of();
        assertEquals(dropped, converse.dropped());
    }

    private static void response(Path dir) throws IOException {
        ObjectNode message = ConverseToMessages.toMessage(
                ConverseWire.response(Files.readString(dir.resolve("bedrock-response.json"))), MESSAGE_ID, MODEL);
        assertEquals(ConverseWire.JSON.readTree(dir.resolve("response.json").toFile()), wire(message));
    }

    private static void stream(Path dir) throws IOException {
        ConverseStreamToMessageEvents translator = new ConverseStreamToMessageEvents(MESSAGE_ID, MODEL);
        List<JsonNode> actual = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("bedrock-events.jsonl"))) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode event = ConverseWire.JSON.readTree(line);
            ConverseStreamOutput output = ConverseWire.event(event.path("event").asText(),
                    ConverseWire.JSON.writeValueAsString(event.path("payload")));
            translator.onEvent(output).forEach(e -> actual.add(line(e)));
        }
        translator.onEnd().forEach(e -> actual.add(line(e)));
        List<JsonNode> expected = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("events.jsonl"))) {
            if (!line.isBlank()) {
                expected.add(ConverseWire.JSON.readTree(line));
            }
        }
        assertEquals(expected, actual);
    }

    private static JsonNode line(MessageEvent event) {
        assertEquals(event.type(), event.data().path("type").asText(), "the data's type is the event's name");
        ObjectNode line = ConverseWire.JSON.createObjectNode().put("event", event.type());
        line.set("data", wire(event.data()));
        return line;
    }

    /** The JSON as the client reads it: numbers compare by their text, not by the node class that holds them. */
    static JsonNode wire(JsonNode node) {
        try {
            return ConverseWire.JSON.readTree(ConverseWire.JSON.writeValueAsString(node));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
