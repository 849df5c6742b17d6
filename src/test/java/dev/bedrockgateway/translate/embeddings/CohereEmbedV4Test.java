package dev.bedrockgateway.translate.embeddings;

import static dev.bedrockgateway.translate.embeddings.EmbeddingFamiliesTest.Golden.JSON;
import static dev.bedrockgateway.translate.embeddings.EmbeddingFamiliesTest.Golden.assert400;
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
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

class CohereEmbedV4Test {

    static final String DIR = "cohere-embed-v4";
    static final List<String> TEXTS = List.of("What is the capital of France?", "Paris is the capital of France.");
    final EmbeddingFamily cohere = EmbeddingFamiliesTest.family("us.cohere.embed-v4:0");

    @Test
    void requestWithOutputDimension() {
        assertRequest(DIR, "request.json", cohere.requestBody(TEXTS, 512, null));
    }

    @Test
    void requestWithoutDimensionsOmitsOutputDimension() throws IOException {
        assertEquals(JSON.readTree("{\"texts\":[\"a\"],\"input_type\":\"clustering\",\"embedding_types\":[\"float\"],"
                + "\"truncate\":\"NONE\"}"), JSON.readTree(cohere.requestBody(List.of("a"), null, "clustering")));
    }

    @Test
    void everySupportedDimensionIsSent() throws IOException {
        for (int d : List.of(256, 512, 1024, 1536)) {
            assertEquals(d, JSON.readTree(cohere.requestBody(List.of("a"), d, null)).get("output_dimension").asInt());
        }
    }

    @Test
    void unsupportedDimensionsAre400() {
        var e = assert400("dimensions", "invalid_value", () -> cohere.requestBody(List.of("a"), 768, null));
        assertEquals("Invalid 'dimensions': 768. Cohere Embed v4 supports 256, 512, 1024, 1536.", e.getMessage());
    }

    @Test
    void invalidInputTypeIs400() {
        assert400("input_type", "invalid_value", () -> cohere.requestBody(List.of("a"), null, "image"));
    }

    @Test
    void upTo96TextsPerCall() {
        assertThrows(IllegalArgumentException.class,
                () -> cohere.requestBody(Collections.nCopies(97, "t"), null, null));
    }

    @Test
    void parsesTheGoldenResponse() {
        EmbeddingFamily.Result result = cohere.parseResponse(bytes(DIR, "response.json"));
        assertEquals(0, result.inputTokens());
        assertEquals(2, result.embeddings().size());
        float[] a = result.embeddings().get(0);
        float[] b = result.embeddings().get(1);
        assertEquals(512, a.length);
        assertEquals(512, b.length);
        assertHead(a);
        assertEquals(0.5f, b[0]);
        assertEquals(0.014037089422345161f, a[511]);
        assertEquals(0.00213517714291811f, b[511]);
        assertFloats(expected(exact(DIR, "response.json", "/embeddings/float/0")), a);
        assertFloats(expected(exact(DIR, "response.json", "/embeddings/float/1")), b);
    }

    @Test
    void acceptsTheListForm() {
        EmbeddingFamily.Result result = cohere.parseResponse(utf8(
                "{\"embeddings\":[[1,2],[3,4]],\"response_type\":\"embeddings_floats\"}"));
        assertFloats(new float[] { 1f, 2f }, result.embeddings().get(0));
        assertFloats(new float[] { 3f, 4f }, result.embeddings().get(1));
    }
}
