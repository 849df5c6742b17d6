package dev.bedrockgateway.translate.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Golden cases under src/test/resources/golden/messages-converse/&lt;case&gt;/:
 * <ul>
 * <li>{@code request.json} (the Anthropic request) -> {@code bedrock-request.json}, the exact Converse body the SDK
 * sends (for Converse and, the same, for ConverseStream), and {@code dropped.json} (what is reported as dropped; none
 * when the file is absent); the model id is {@code model-id.txt}, else {@value #MODEL_ID}.</li>
 * </ul>
 */
class MessagesGoldenTest {

    static final Path ROOT = Path.of("src/test/resources/golden/messages-converse");
    static final String MODEL_ID = "us.amazon.nova-pro-v1:0";

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
}
