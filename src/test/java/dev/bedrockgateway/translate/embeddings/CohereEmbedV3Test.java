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
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CohereEmbedV3Test {

    static final String DIR = "cohere-embed-v3";
    static final List<String> TEXTS = List.of("What is the capital of France?", "Paris is the capital of France.");
    final EmbeddingFamily cohere = EmbeddingFamiliesTest.family("cohere.embed-english-v3");

    @Test
    void requestCarriesTextsInputTypeAndNoTruncation() {
        assertRequest(DIR, "request.json", cohere.requestBody(TEXTS, null, "search_query"));
    }

    @Test
    void inputTypeDefaultsToSearchDocument() throws IOException {
        assertEquals(JSON.readTree("{\"texts\":[\"a\"],\"input_type\":\"search_document\",\"truncate\":\"NONE\"}"),
                JSON.readTree(cohere.requestBody(List.of("a"), null, null)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "search_document", "search_query", "classification", "clustering" })
    void everyCohereInputTypeIsPassedThrough(String inputType) throws IOException {
        assertEquals(inputType, JSON.readTree(cohere.requestBody(List.of("a"), null, inputType))
                .get("input_type").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = { "image", "query", "SEARCH_QUERY", "" })
    void otherInputTypesAre400(String inputType) {
        assert400("input_type", "invalid_value", () -> cohere.requestBody(List.of("a"), null, inputType));
    }

    @Test
    void dimensionsAreUnsupported() {
        assert400("dimensions", "unsupported_parameter", () -> cohere.requestBody(List.of("a"), 1024, null));
    }

    @Test
    void upTo96TextsPerCall() throws IOException {
        List<String> texts = Collections.nCopies(96, "t");
        assertEquals(96, JSON.readTree(cohere.requestBody(texts, null, null)).get("texts").size());
        assertThrows(IllegalArgumentException.class,
                () -> cohere.requestBody(Collections.nCopies(97, "t"), null, null));
    }

    @Test
    void parsesTheFloatsResponse() {
        EmbeddingFamily.Result result = cohere.parseResponse(bytes(DIR, "response.json"));
        assertEquals(0, result.inputTokens());
        assertEquals(2, result.embeddings().size());
        float[] a = result.embeddings().get(0);
        float[] b = result.embeddings().get(1);
        assertEquals(1024, a.length);
        assertEquals(1024, b.length);
        assertHead(a);
        assertEquals(0.5f, b[0]);
        assertEquals(0.03332418203353882f, a[1023]);
        assertEquals(0.030419163405895233f, b[1023]);
        assertFloats(expected(exact(DIR, "response.json", "/embeddings/0")), a);
        assertFloats(expected(exact(DIR, "response.json", "/embeddings/1")), b);
    }

    @Test
    void parsesTheByTypeResponseToTheSameVectors() {
        List<float[]> floats = cohere.parseResponse(bytes(DIR, "response.json")).embeddings();
        EmbeddingFamily.Result byType = cohere.parseResponse(bytes(DIR, "response-by-type.json"));
        assertEquals(0, byType.inputTokens());
        assertEquals(2, byType.embeddings().size());
        assertFloats(floats.get(0), byType.embeddings().get(0));
        assertFloats(floats.get(1), byType.embeddings().get(1));
    }

    @Test
    void unreadableResponsesAre502() {
        assert502(() -> cohere.parseResponse(utf8("{\"id\":\"x\"}")));
        assert502(() -> cohere.parseResponse(utf8("{\"embeddings\":[]}")));
        assert502(() -> cohere.parseResponse(utf8("{\"embeddings\":[[0.1],[]]}")));
        assert502(() -> cohere.parseResponse(utf8("{\"embeddings\":{\"int8\":[[1,2]]}}")));
        assert502(() -> cohere.parseResponse(utf8("{\"embeddings\":[0.1,0.2]}")));
    }
}
