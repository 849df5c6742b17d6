package dev.bedrockgateway.translate.embeddings;

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

import java.util.List;

import org.junit.jupiter.api.Test;

class TitanTextV2Test {

    static final String DIR = "titan-text-v2";
    final EmbeddingFamily titan = EmbeddingFamiliesTest.family("amazon.titan-embed-text-v2:0");

    @Test
    void requestWithDimensions() {
        assertRequest(DIR, "request.json",
                titan.requestBody(List.of("The quick brown fox jumps over the lazy dog"), 256, null));
    }

    @Test
    void requestWithoutDimensionsOmitsThem() {
        assertRequest(DIR, "request-default.json", titan.requestBody(List.of("Hello, world"), null, null));
    }

    @Test
    void everySupportedDimensionIsSent() {
        for (int d : titan.supportedDimensions()) {
            String body = new String(titan.requestBody(List.of("x"), d, null));
            assertEquals("{\"inputText\":\"x\",\"dimensions\":" + d + ",\"normalize\":true}", body);
        }
    }

    @Test
    void parsesTheGoldenResponse() {
        EmbeddingFamily.Result result = titan.parseResponse(bytes(DIR, "response.json"));
        assertEquals(11, result.inputTokens());
        assertEquals(1, result.embeddings().size());
        float[] v = result.embeddings().get(0);
        assertEquals(256, v.length);
        assertHead(v);
        assertEquals(0.11097586154937744f, v[255]);
        assertFloats(expected(exact(DIR, "response.json", "/embedding")), v);
    }

    @Test
    void fallsBackToEmbeddingsByType() {
        EmbeddingFamily.Result result = titan.parseResponse(
                utf8("{\"inputTextTokenCount\":3,\"embeddingsByType\":{\"float\":[0.25,-1.5,3]}}"));
        assertFloats(new float[] { 0.25f, -1.5f, 3f }, result.embeddings().get(0));
        assertEquals(3, result.inputTokens());
    }

    @Test
    void missingTokenCountIsZero() {
        assertEquals(0, titan.parseResponse(utf8("{\"embedding\":[0.5]}")).inputTokens());
    }

    @Test
    void unsupportedDimensionsAre400() {
        var e = assert400("dimensions", "invalid_value", () -> titan.requestBody(List.of("x"), 1536, null));
        assertEquals("Invalid 'dimensions': 1536. Amazon Titan Text Embeddings V2 supports 256, 512, 1024.",
                e.getMessage());
        assert400("dimensions", "invalid_value", () -> titan.requestBody(List.of("x"), 0, null));
    }

    @Test
    void inputTypeIs400() {
        assert400("input_type", "unsupported_parameter",
                () -> titan.requestBody(List.of("x"), null, "search_query"));
    }

    @Test
    void oneTextPerCall() {
        assertThrows(IllegalArgumentException.class, () -> titan.requestBody(List.of("a", "b"), null, null));
        assertThrows(IllegalArgumentException.class, () -> titan.requestBody(List.of(), null, null));
    }

    @Test
    void unreadableResponsesAre502() {
        assert502(() -> titan.parseResponse(utf8("not json")));
        assert502(() -> titan.parseResponse(new byte[0]));
        assert502(() -> titan.parseResponse(utf8("{\"inputTextTokenCount\":3}")));
        assert502(() -> titan.parseResponse(utf8("{\"embedding\":[]}")));
        assert502(() -> titan.parseResponse(utf8("{\"embedding\":[0.1,\"x\"]}")));
        assert502(() -> titan.parseResponse(utf8("{\"embedding\":[0.1,0.2,null]}")));
        assert502(() -> titan.parseResponse(utf8("{\"embedding\":[0.1,[0.2]]}")));
        assert502(() -> titan.parseResponse(utf8("{\"embedding\":[\"x\",0.1]}")));
        assert502(() -> titan.parseResponse(utf8("{\"embedding\":[0.1],\"inputTextTokenCount\":-1}")));
        assert502(() -> titan.parseResponse(utf8("{\"embedding\":[0.1]} {}")));
    }
}
