package dev.bedrockgateway.translate.embeddings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.bedrockgateway.error.OpenAiException;

class EmbeddingFamiliesTest {

    @ParameterizedTest
    @CsvSource({
            "amazon.titan-embed-text-v2:0, TitanTextV2",
            "us.amazon.titan-embed-text-v2:0, TitanTextV2",
            "eu.amazon.titan-embed-text-v2:0, TitanTextV2",
            "amazon.titan-embed-text-v1, TitanTextV1",
            "amazon.titan-embed-text-v1:2:8k, TitanTextV1",
            "amazon.titan-embed-g1-text-02, TitanTextV1",
            "apac.amazon.titan-embed-g1-text-02, TitanTextV1",
            "cohere.embed-english-v3, CohereEmbedV3",
            "cohere.embed-english-v3:0, CohereEmbedV3",
            "cohere.embed-multilingual-v3:0, CohereEmbedV3",
            "jp.cohere.embed-multilingual-v3:0, CohereEmbedV3",
            "cohere.embed-v4:0, CohereEmbedV4",
            "us.cohere.embed-v4:0, CohereEmbedV4",
            "global.cohere.embed-v4:0, CohereEmbedV4",
            "us-gov.cohere.embed-v4:0, CohereEmbedV4",
            "au.cohere.embed-v4:0, CohereEmbedV4",
            "ca.cohere.embed-v4:0, CohereEmbedV4",
            "amazon.nova-2-multimodal-embeddings-v1:0, NovaEmbeddings",
            "us.amazon.nova-2-multimodal-embeddings-v1:0, NovaEmbeddings",
            "global.amazon.nova-2-multimodal-embeddings-v1:0, NovaEmbeddings",
    })
    void mapsModelIdsToFamilies(String modelId, String family) {
        Optional<EmbeddingFamily> found = EmbeddingFamilies.forModelId(modelId);
        assertTrue(found.isPresent(), modelId);
        assertEquals(family, found.get().getClass().getSimpleName(), modelId);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
            "amazon.nova-pro-v1:0",
            "us.anthropic.claude-sonnet-4-20250514-v1:0",
            "amazon.titan-embed-image-v1",
            "amazon.titan-text-express-v1",
            "cohere.embed-english-v3-light",
            "cohere.command-r-v1:0",
            "cohere.rerank-v3-5:0",
            "xx.amazon.titan-embed-text-v2:0",
            "US.amazon.titan-embed-text-v2:0",
            "us.us.amazon.titan-embed-text-v2:0",
            "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abcdef123456",
            "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.titan-embed-text-v2:0",
            "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0",
    })
    void unknownIdsHaveNoFamily(String modelId) {
        assertEquals(Optional.empty(), EmbeddingFamilies.forModelId(modelId));
    }

    @Test
    void familiesDeclareTheirLimits() {
        assertEquals(1, family("amazon.titan-embed-text-v2:0").maxTextsPerCall());
        assertEquals(1, family("amazon.titan-embed-text-v1").maxTextsPerCall());
        assertEquals(96, family("cohere.embed-english-v3").maxTextsPerCall());
        assertEquals(96, family("cohere.embed-v4:0").maxTextsPerCall());
        assertEquals(1, family("amazon.nova-2-multimodal-embeddings-v1:0").maxTextsPerCall());

        assertEquals(List.of(256, 512, 1024), List.copyOf(family("amazon.titan-embed-text-v2:0").supportedDimensions()));
        assertEquals(List.of(), List.copyOf(family("amazon.titan-embed-text-v1").supportedDimensions()));
        assertEquals(List.of(), List.copyOf(family("cohere.embed-multilingual-v3").supportedDimensions()));
        assertEquals(List.of(256, 512, 1024, 1536), List.copyOf(family("cohere.embed-v4:0").supportedDimensions()));
        assertEquals(List.of(256, 384, 1024, 3072),
                List.copyOf(family("amazon.nova-2-multimodal-embeddings-v1:0").supportedDimensions()));
    }

    @Test
    void crossRegionProfilesShareTheFoundationModelsInstance() {
        assertInstanceOf(CohereEmbedV4.class, family("eu.cohere.embed-v4:0"));
        assertEquals(family("cohere.embed-v4:0"), family("eu.cohere.embed-v4:0"));
    }

    @Test
    void floatsAreParsedStraightToFloat32WithoutDoubleRounding() {
        // Just above the midpoint between 1.0f and the next float: the nearest double IS the midpoint, so
        // parse-as-double-then-cast rounds to even (1.0f), while correct rounding gives the next float up.
        String literal = "1.00000005960464477539062500001";
        assertEquals(1.0f, (float) Double.parseDouble(literal));
        byte[] body = ("{\"embedding\":[" + literal + ",-0.0,1e-45],\"inputTextTokenCount\":1}")
                .getBytes(StandardCharsets.UTF_8);
        float[] v = family("amazon.titan-embed-text-v2:0").parseResponse(body).embeddings().get(0);
        Golden.assertFloats(new float[] { Math.nextUp(1.0f), -0.0f, Float.MIN_VALUE }, v);
    }

    @Test
    void longVectorsAreReadWhole() {
        // Past each growth step of the vector buffer (256, 512, 1024, 2048): every value, in order, bit for bit.
        java.util.Random random = new java.util.Random(7);
        for (int length : new int[] { 1, 255, 256, 257, 1024, 1536, 3072 }) {
            float[] expected = new float[length];
            StringBuilder json = new StringBuilder("{\"embedding\":[");
            for (int i = 0; i < length; i++) {
                expected[i] = i % 97 == 0 ? i : (float) random.nextGaussian() / 30;
                json.append(i == 0 ? "" : ",").append(i % 97 == 0 ? Integer.toString(i) : Float.toString(expected[i]));
            }
            byte[] body = json.append("],\"inputTextTokenCount\":1}").toString().getBytes(StandardCharsets.UTF_8);
            Golden.assertFloats(expected, family("amazon.titan-embed-text-v2:0").parseResponse(body).embeddings().get(0));
        }
    }

    static EmbeddingFamily family(String modelId) {
        return EmbeddingFamilies.forModelId(modelId).orElseThrow();
    }

    /** Golden files under src/test/resources/golden/embeddings/&lt;family&gt;/ and assertions the family tests share. */
    static final class Golden {

        static final ObjectMapper JSON = new ObjectMapper();
        /** Keeps every number's exact decimal, so expected floats are rounded once, independently of the code. */
        static final ObjectMapper EXACT = JsonMapper.builder()
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
        static final Path ROOT = Path.of("src/test/resources/golden/embeddings");

        private Golden() {
        }

        static byte[] bytes(String family, String file) {
            try {
                return Files.readAllBytes(ROOT.resolve(family).resolve(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The body equals the golden request as a JSON tree. */
        static void assertRequest(String family, String file, byte[] body) {
            try {
                assertEquals(JSON.readTree(bytes(family, file)), JSON.readTree(body));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The node at {@code pointer} in a golden file, numbers kept as exact decimals. */
        static JsonNode exact(String family, String file, String pointer) {
            try {
                JsonNode node = EXACT.readTree(bytes(family, file)).at(pointer);
                assertTrue(node.isArray(), pointer);
                return node;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Each decimal of a JSON array rounded once to float32 ({@link Float#parseFloat}). */
        static float[] expected(JsonNode array) {
            float[] v = new float[array.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = Float.parseFloat(array.get(i).decimalValue().toString());
            }
            return v;
        }

        /** Bit-for-bit equality (so -0.0 differs from 0.0). */
        static void assertFloats(float[] expected, float[] actual) {
            assertEquals(expected.length, actual.length, "vector length");
            int[] e = new int[expected.length];
            int[] a = new int[actual.length];
            for (int i = 0; i < e.length; i++) {
                e[i] = Float.floatToRawIntBits(expected[i]);
                a[i] = Float.floatToRawIntBits(actual[i]);
            }
            assertArrayEquals(e, a);
        }

        /** The golden vectors all start with these four values, written in four number styles. */
        static void assertHead(float[] v) {
            assertEquals(Float.floatToRawIntBits(-0.0123456789f), Float.floatToRawIntBits(v[0]));
            assertEquals(Float.floatToRawIntBits(0.0f), Float.floatToRawIntBits(v[1]));
            assertEquals(Float.floatToRawIntBits(1.5e-5f), Float.floatToRawIntBits(v[2]));
            assertEquals(Float.floatToRawIntBits(-0.02734375f), Float.floatToRawIntBits(v[3]));
        }

        static OpenAiException assert400(String param, String code, Executable call) {
            OpenAiException e = assertThrows(OpenAiException.class, call);
            assertEquals(400, e.status(), e.getMessage());
            assertEquals("invalid_request_error", e.type());
            assertEquals(param, e.param(), e.getMessage());
            assertEquals(code, e.code(), e.getMessage());
            return e;
        }

        static OpenAiException assert502(Executable call) {
            OpenAiException e = assertThrows(OpenAiException.class, call);
            assertEquals(502, e.status(), e.getMessage());
            assertEquals("server_error", e.type());
            assertEquals("upstream_error", e.code());
            return e;
        }

        static byte[] utf8(String json) {
            return json.getBytes(StandardCharsets.UTF_8);
        }
    }
}
