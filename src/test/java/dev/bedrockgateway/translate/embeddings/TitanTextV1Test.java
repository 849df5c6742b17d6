package dev.bedrockgateway.translate.embeddings;

import static dev.bedrockgateway.translate.embeddings.EmbeddingFamiliesTest.Golden.assert400;
import static dev.bedrockgateway.translate.embeddings.EmbeddingFamiliesTest.Golden.assertFloats;
import static dev.bedrockgateway.translate.embeddings.EmbeddingFamiliesTest.Golden.assertHead;
import static dev.bedrockgateway.translate.embeddings.EmbeddingFamiliesTest.Golden.assertRequest;
import static dev.bedrockgateway.translate.embeddings.EmbeddingFamiliesTest.Golden.bytes;
import static dev.bedrockgateway.translate.embeddings.EmbeddingFamiliesTest.Golden.exact;
import static dev.bedrockgateway.translate.embeddings.EmbeddingFamiliesTest.Golden.expected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class TitanTextV1Test {

    static final String DIR = "titan-text-v1";
    final EmbeddingFamily titan = EmbeddingFamiliesTest.family("amazon.titan-embed-text-v1");

    @Test
    void requestHasOnlyInputText() {
        assertRequest(DIR, "request.json",
                titan.requestBody(List.of("The quick brown fox jumps over the lazy dog"), null, null));
    }

    @Test
    void g1Text02IsTheSameFamily() {
        assertRequest(DIR, "request.json", EmbeddingFamiliesTest.family("amazon.titan-embed-g1-text-02")
                .requestBody(List.of("The quick brown fox jumps over the lazy dog"), null, null));
    }

    @Test
    void parsesTheGoldenResponse() {
        EmbeddingFamily.Result result = titan.parseResponse(bytes(DIR, "response.json"));
        assertEquals(9, result.inputTokens());
        assertEquals(1, result.embeddings().size());
        float[] v = result.embeddings().get(0);
        assertEquals(1536, v.length);
        assertHead(v);
        assertEquals(-0.016889646649360657f, v[1535]);
        assertFloats(expected(exact(DIR, "response.json", "/embedding")), v);
    }

    @Test
    void dimensionsAreUnsupported() {
        assertTrue(titan.supportedDimensions().isEmpty());
        var e = assert400("dimensions", "unsupported_parameter", () -> titan.requestBody(List.of("x"), 1536, null));
        assertTrue(e.getMessage().contains("1536"), e.getMessage());
    }

    @Test
    void inputTypeIs400() {
        assert400("input_type", "unsupported_parameter",
                () -> titan.requestBody(List.of("x"), null, "search_document"));
    }

    @Test
    void oneTextPerCall() {
        assertThrows(IllegalArgumentException.class, () -> titan.requestBody(List.of("a", "b"), null, null));
    }
}
