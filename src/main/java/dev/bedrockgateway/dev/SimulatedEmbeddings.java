package dev.bedrockgateway.dev;

import static dev.bedrockgateway.dev.BedrockSimulator.JSON;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

import dev.bedrockgateway.dev.BedrockSimulator.AwsError;

/**
 * The embedding models behind the simulator's InvokeModel route, with the native request and response bodies of
 * Titan Text Embeddings (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html)
 * and Cohere Embed v3/v4 (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-embed.html).
 *
 * <p>Vectors are pseudo-random but seeded from the text, so equal texts embed equally across calls and runs.
 */
final class SimulatedEmbeddings {

    /** The response body, the input token count InvokeModel reports in a header, and the texts' directives. */
    record Result(ObjectNode body, int inputTokens, Directives directives) {
    }

    private static final Set<Integer> TITAN_V2_DIMENSIONS = Set.of(256, 512, 1024);
    private static final Set<Integer> COHERE_V4_DIMENSIONS = Set.of(256, 512, 1024, 1536);
    private static final Set<String> COHERE_INPUT_TYPES =
            Set.of("search_document", "search_query", "classification", "clustering");
    /** v3 documents NONE|START|END, v4 NONE|LEFT|RIGHT; accepting the union keeps the check simple. */
    private static final Set<String> COHERE_TRUNCATE = Set.of("NONE", "START", "END", "LEFT", "RIGHT");
    private static final int COHERE_MAX_TEXTS = 96;
    private static final Set<Integer> NOVA_DIMENSIONS = Set.of(256, 384, 1024, 3072);
    private static final Set<String> NOVA_PURPOSES = Set.of("GENERIC_INDEX", "GENERIC_RETRIEVAL", "TEXT_RETRIEVAL",
            "IMAGE_RETRIEVAL", "VIDEO_RETRIEVAL", "DOCUMENT_RETRIEVAL", "AUDIO_RETRIEVAL", "CLASSIFICATION",
            "CLUSTERING");
    private static final Set<String> NOVA_TRUNCATION = Set.of("START", "END", "NONE");

    private record VectorKey(String text, int dimensions, boolean normalize) {
    }

    /**
     * The last vectors made, as JSON: making one (Float.toString of each value above all) costs about ten times the
     * rest of an answer, and a benchmark asks for the same text thousands of times a second.
     */
    private static final int CACHED_VECTORS = 256;
    private static final Map<VectorKey, RawValue> VECTORS = Collections.synchronizedMap(
            new LinkedHashMap<>(CACHED_VECTORS, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<VectorKey, RawValue> eldest) {
                    return size() > CACHED_VECTORS;
                }
            });

    private SimulatedEmbeddings() {
    }

    static Result invoke(String modelId, JsonNode body) {
        String family = ModelIds.foundationModel(modelId);
        if (family.startsWith("amazon.titan-embed-text-v2")) {
            return titanV2(body);
        }
        if (family.startsWith("amazon.titan-embed-text-v1") || family.startsWith("amazon.titan-embed-g1-text")) {
            return titanV1(body);
        }
        if (family.startsWith("cohere.embed-english-v3") || family.startsWith("cohere.embed-multilingual-v3")) {
            return cohere(body, false);
        }
        if (family.startsWith("cohere.embed-v4")) {
            return cohere(body, true);
        }
        if (family.startsWith("amazon.nova-2-multimodal-embeddings")) {
            return nova(body);
        }
        throw AwsError.validation("The simulator serves InvokeModel only for Anthropic Claude and the Titan, Cohere"
                + " and Nova embedding models, not " + modelId + "; use Converse for other chat models.");
    }

    private static Result titanV2(JsonNode body) {
        String text = inputText(body);
        Directives directives = Directives.parse(text);
        int dimensions = body.has("dimensions")
                ? oneOf(body.get("dimensions"), TITAN_V2_DIMENSIONS, "dimensions")
                : 1024;
        for (JsonNode type : body.path("embeddingTypes")) {
            requireFloat(type, "embeddingTypes");
        }
        RawValue embedding = vector(text, dimensions, body.path("normalize").asBoolean(true));
        ObjectNode response = JSON.createObjectNode();
        response.putRawValue("embedding", embedding);
        response.put("inputTextTokenCount", SimulatedModel.words(text));
        // Titan v2 always reports embeddingsByType, with "float" even when no embeddingTypes were requested.
        response.putObject("embeddingsByType").putRawValue("float", embedding);
        return new Result(response, SimulatedModel.words(text), directives);
    }

    private static Result titanV1(JsonNode body) {
        String text = inputText(body);
        Directives directives = Directives.parse(text);
        ObjectNode response = JSON.createObjectNode();
        response.putRawValue("embedding", vector(text, 1536, false));
        response.put("inputTextTokenCount", SimulatedModel.words(text));
        return new Result(response, SimulatedModel.words(text), directives);
    }

    /**
     * Amazon Nova Multimodal Embeddings, text only, as its schema has it
     * (https://docs.aws.amazon.com/nova/latest/userguide/embeddings-schema.html): one text per call, no token count in
     * the body.
     */
    private static Result nova(JsonNode body) {
        JsonNode version = body.path("schemaVersion");
        if (!version.isMissingNode() && !"nova-multimodal-embed-v1".equals(version.asText())) {
            throw malformed("#/schemaVersion: " + version + " is not a valid enum value");
        }
        if (!"SINGLE_EMBEDDING".equals(body.path("taskType").asText())) {
            throw malformed("#/taskType: the simulator serves SINGLE_EMBEDDING only");
        }
        JsonNode params = body.path("singleEmbeddingParams");
        if (!NOVA_PURPOSES.contains(params.path("embeddingPurpose").asText())) {
            throw malformed("#/singleEmbeddingParams/embeddingPurpose: " + params.path("embeddingPurpose")
                    + " is not a valid enum value");
        }
        int dimensions = params.has("embeddingDimension")
                ? oneOf(params.get("embeddingDimension"), NOVA_DIMENSIONS, "singleEmbeddingParams/embeddingDimension")
                : 3072;
        JsonNode text = params.path("text");
        if (!text.path("value").isTextual() || text.path("value").asText().isEmpty()) {
            throw malformed("#/singleEmbeddingParams/text/value: expected a non-empty string");
        }
        if (!NOVA_TRUNCATION.contains(text.path("truncationMode").asText())) {
            throw malformed("#/singleEmbeddingParams/text/truncationMode: " + text.path("truncationMode")
                    + " is not a valid enum value");
        }
        String value = text.path("value").asText();
        ObjectNode response = JSON.createObjectNode();
        response.putArray("embeddings").addObject().put("embeddingType", "TEXT")
                .putRawValue("embedding", vector(value, dimensions, true));
        return new Result(response, SimulatedModel.words(value), Directives.parse(value));
    }

    /** v4 always answers by type (and has a configurable size); v3 only when {@code embedding_types} is given. */
    private static Result cohere(JsonNode body, boolean v4) {
        JsonNode texts = cohereTexts(body);
        List<String> joined = new ArrayList<>();
        texts.forEach(text -> joined.add(text.asText()));
        Directives directives = Directives.parse(String.join(" ", joined));
        validateCohereOptions(body);
        int dimensions = 1024;
        if (v4) {
            dimensions = body.has("output_dimension")
                    ? oneOf(body.get("output_dimension"), COHERE_V4_DIMENSIONS, "output_dimension")
                    : 1536;
        }
        ArrayNode vectors = JSON.createArrayNode();
        int tokens = 0;
        for (JsonNode text : texts) {
            vectors.addRawValue(vector(text.asText(), dimensions, true));
            tokens += SimulatedModel.words(text.asText());
        }
        boolean byType = v4 || body.has("embedding_types");
        ObjectNode response = JSON.createObjectNode().put("id", UUID.randomUUID().toString());
        if (byType) {
            response.putObject("embeddings").set("float", vectors);
        } else {
            response.set("embeddings", vectors);
        }
        response.set("texts", texts.deepCopy());
        response.put("response_type", byType ? "embeddings_by_type" : "embeddings_floats");
        return new Result(response, tokens, directives);
    }

    private static JsonNode cohereTexts(JsonNode body) {
        JsonNode texts = body.path("texts");
        if (!texts.isArray() || texts.isEmpty() || texts.size() > COHERE_MAX_TEXTS) {
            throw malformed("#/texts: expected an array of 1 to " + COHERE_MAX_TEXTS + " strings");
        }
        for (JsonNode text : texts) {
            if (!text.isTextual()) {
                throw malformed("#/texts: expected type: String, found: " + text.getNodeType());
            }
        }
        return texts;
    }

    private static void validateCohereOptions(JsonNode body) {
        String inputType = body.path("input_type").asText("");
        if (!COHERE_INPUT_TYPES.contains(inputType)) {
            throw malformed("#/input_type: " + inputType + " is not a valid enum value");
        }
        JsonNode truncate = body.path("truncate");
        if (!truncate.isMissingNode() && !COHERE_TRUNCATE.contains(truncate.asText())) {
            throw malformed("#/truncate: " + truncate.asText() + " is not a valid enum value");
        }
        for (JsonNode type : body.path("embedding_types")) {
            requireFloat(type, "embedding_types");
        }
    }

    private static String inputText(JsonNode body) {
        JsonNode text = body.path("inputText");
        if (!text.isTextual() || text.asText().isEmpty()) {
            throw malformed("#/inputText: expected a non-empty string");
        }
        return text.asText();
    }

    private static int oneOf(JsonNode value, Set<Integer> allowed, String field) {
        if (!value.isInt() || !allowed.contains(value.intValue())) {
            throw malformed("#/" + field + ": " + value + " is not a valid enum value");
        }
        return value.intValue();
    }

    /** Quantized (int8, binary, ...) embeddings are not simulated; saying so beats answering floats silently. */
    private static void requireFloat(JsonNode type, String field) {
        if (!"float".equals(type.asText())) {
            throw malformed("#/" + field + ": the simulator only produces \"float\" embeddings, not " + type);
        }
    }

    /** Bedrock's wording for schema violations in a model's native body. */
    private static AwsError malformed(String detail) {
        return AwsError.validation(
                "Malformed input request: " + detail + ", please reformat your input and try again.");
    }

    /** The vector as JSON, from the cache if it was made before. */
    private static RawValue vector(String text, int dimensions, boolean normalize) {
        return VECTORS.computeIfAbsent(new VectorKey(text, dimensions, normalize),
                key -> new RawValue(vectorOf(text, dimensions, normalize).toString()));
    }

    private static ArrayNode vectorOf(String text, int dimensions, boolean normalize) {
        Random random = new Random(seed(text));
        double[] values = new double[dimensions];
        double squares = 0;
        for (int i = 0; i < dimensions; i++) {
            values[i] = random.nextGaussian();
            squares += values[i] * values[i];
        }
        double scale = normalize ? 1 / Math.sqrt(squares) : 1;
        ArrayNode vector = JSON.createArrayNode();
        for (double value : values) {
            vector.add((float) (value * scale));
        }
        return vector;
    }

    private static long seed(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JRE", e);
        }
    }
}
