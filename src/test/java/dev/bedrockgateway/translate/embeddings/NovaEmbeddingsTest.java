package dev.bedrockgateway.translate.embeddings;

import static dev.bedrockgateway.translate.embeddings.EmbeddingFamiliesTest.Golden.JSON;
import static dev.bedrockgateway.translate.embeddings.EmbeddingFamiliesTest.Golden.assert400;
import static dev.bedrockgateway.translate.embeddings.EmbeddingFamiliesTest.Golden.assert502;
import static dev.bedrockgateway.translate.embeddings.EmbeddingFamiliesTest.Golden.assertFloats;
import static dev.bedrockgateway.translate.embeddings.EmbeddingFamiliesTest.Golden.assertHead;
import static dev.bedrockgateway.translate.embeddings.EmbeddingFamiliesTest.Golden.assertRequest;
import static dev.bedrockgateway.translate.embeddings.EmbeddingFamiliesTest.Golden.bytes;
import static dev.bedrockgateway.translate.embeddings.EmbeddingFamiliesTest.Golden.exact;
import static dev.bedrockgateway.translate.embeddings.EmbeddingFamiliesTest.Golden.expected;
import static dev.bedrockgateway.translate.embeddings.EmbeddingFamiliesTest.Golden.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

class NovaEmbeddingsTest {

    static final String DIR = "nova-embeddings";
    final EmbeddingFamily nova = EmbeddingFamiliesTest.family("amazon.nova-2-multimodal-embeddings-v1:0");

    @Test
    void requestWithDimensions() {
        assertRequest(DIR, "request.json", nova.requestBody(List.of("A sunny day at the beach"), 1024, null));
    }

    @Test
    void requestWithoutDimensionsAsksForTheFullSize() {
        assertRequest(DIR, "request-default.json", nova.requestBody(List.of("A sunny day at the beach"), null, null));
    }

    @Test
    void everySupportedDimensionIsSent() throws IOException {
        for (int d : List.of(256, 384, 1024, 3072)) {
            assertEquals(d, JSON.readTree(nova.requestBody(List.of("a"), d, null))
                    .at("/singleEmbeddingParams/embeddingDimension").asInt());
        }
    }

    @Test
    void unsupportedDimensionsAre400() {
        assert400("dimensions", "invalid_value", () -> nova.requestBody(List.of("a"), 512, null));
    }

    @Test
    void inputTypeIs400() {
        assert400("input_type", "unsupported_parameter", () -> nova.requestBody(List.of("a"), null, "search_query"));
    }

    @Test
    void oneTextPerCall() {
        assertThrows(IllegalArgumentException.class, () -> nova.requestBody(List.of("a", "b"), null, null));
    }

    @Test
    void parsesTheGoldenResponse() {
        EmbeddingFamily.Result result = nova.parseResponse(bytes(DIR, "response.json"));
        assertEquals(0, result.inputTokens());
        assertEquals(1, result.embeddings().size());
        float[] v = result.embeddings().get(0);
        assertEquals(1024, v.length);
        assertHead(v);
        assertEquals(-0.000975572969764471f, v[1023]);
        assertFloats(expected(exact(DIR, "response.json", "/embeddings/0/embedding")), v);
    }

    @Test
    void ignoresExtraFieldsOnTheEntry() {
        EmbeddingFamily.Result result = nova.parseResponse(utf8(
                "{\"embeddings\":[{\"embeddingType\":\"TEXT\",\"embedding\":[0.5,-0.25],\"truncatedCharLength\":9}]}"));
        assertFloats(new float[] { 0.5f, -0.25f }, result.embeddings().get(0));
    }

    @Test
    void unreadableResponsesAre502() {
        assert502(() -> nova.parseResponse(utf8("{\"embedding\":[0.1]}")));
        assert502(() -> nova.parseResponse(utf8("{\"embeddings\":[]}")));
        assert502(() -> nova.parseResponse(utf8("{\"embeddings\":[{\"embeddingType\":\"TEXT\"}]}")));
    }
}
