package dev.bedrockgateway.translate.embeddings;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.FloatNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;

import dev.bedrockgateway.catalog.BedrockModelIds;
import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;

/**
 * Picks the {@link EmbeddingFamily} for a Bedrock model id, and holds the JSON plumbing the families share.
 *
 * <p>Mapping (of the base id, without a cross-region inference profile's geography, {@link BedrockModelIds}):
 * <ul>
 * <li>{@code amazon.titan-embed-text-v2*} -> {@link TitanTextV2}</li>
 * <li>{@code amazon.titan-embed-text-v1*}, {@code amazon.titan-embed-g1-text-02[:...]} -> {@link TitanTextV1}</li>
 * <li>{@code cohere.embed-english-v3[:...]}, {@code cohere.embed-multilingual-v3[:...]} -> {@link CohereEmbedV3}</li>
 * <li>{@code cohere.embed-v4*} -> {@link CohereEmbedV4}</li>
 * <li>{@code amazon.nova-2-multimodal-embeddings*} -> {@link NovaEmbeddings}</li>
 * </ul>
 * Anything else, ARNs included (an application inference profile ARN does not name its model), is empty.
 */
public final class EmbeddingFamilies {

    private static final TitanTextV2 TITAN_V2 = new TitanTextV2();
    private static final TitanTextV1 TITAN_V1 = new TitanTextV1();
    private static final CohereEmbedV3 COHERE_V3 = new CohereEmbedV3();
    private static final CohereEmbedV4 COHERE_V4 = new CohereEmbedV4();
    private static final NovaEmbeddings NOVA = new NovaEmbeddings();

    static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Parses numbers with Jackson's fast floating-point parser (FastDoubleParser), still correctly rounded straight to
     * float32: an embedding is a thousand or more of them, and {@link Float#parseFloat} was most of its parsing.
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final float[] EMPTY = new float[0];

    private EmbeddingFamilies() {
    }

    /** The family serving this Bedrock model id (or cross-region profile id); empty if none is known. */
    public static Optional<EmbeddingFamily> forModelId(String bedrockModelId) {
        if (bedrockModelId == null) {
            return Optional.empty();
        }
        String id = BedrockModelIds.withoutProfilePrefix(bedrockModelId);
        if (id.startsWith("amazon.titan-embed-text-v2")) {
            return Optional.of(TITAN_V2);
        }
        if (id.startsWith("amazon.titan-embed-text-v1") || is(id, "amazon.titan-embed-g1-text-02")) {
            return Optional.of(TITAN_V1);
        }
        if (is(id, "cohere.embed-english-v3") || is(id, "cohere.embed-multilingual-v3")) {
            return Optional.of(COHERE_V3);
        }
        if (id.startsWith("cohere.embed-v4")) {
            return Optional.of(COHERE_V4);
        }
        if (id.startsWith("amazon.nova-2-multimodal-embeddings")) {
            return Optional.of(NOVA);
        }
        return Optional.empty();
    }

    /** The base id itself or a versioned form of it ({@code base:0}, {@code base:0:512}). */
    private static boolean is(String id, String base) {
        return id.equals(base) || id.startsWith(base + ":");
    }

    // ---- shared by the families -------------------------------------------------------------------------------

    static SortedSet<Integer> dimensions(Integer... values) {
        return Collections.unmodifiableSortedSet(new TreeSet<>(List.of(values)));
    }

    /** The caller's side of the contract: 1..max texts, none null. */
    static void checkTexts(List<String> texts, int max) {
        if (texts == null || texts.isEmpty() || texts.size() > max) {
            throw new IllegalArgumentException("expected 1 to " + max + " texts per InvokeModel call, got "
                    + (texts == null ? "null" : texts.size()));
        }
        for (String text : texts) {
            if (text == null) {
                throw new IllegalArgumentException("texts must not contain null");
            }
        }
    }

    /** 400 unless {@code dimensions} is null or one of {@code supported}. */
    static void checkDimensions(Integer dimensions, Set<Integer> supported, String model, int nativeSize) {
        if (dimensions == null) {
            return;
        }
        if (supported.isEmpty()) {
            throw OpenAiException.invalidRequest("dimensions", ErrorTypes.CODE_UNSUPPORTED_PARAMETER,
                    model + " does not support 'dimensions'; its embeddings always have " + nativeSize
                            + " dimensions.");
        }
        if (!supported.contains(dimensions)) {
            throw OpenAiException.invalidRequest("dimensions", ErrorTypes.CODE_INVALID_VALUE,
                    "Invalid 'dimensions': " + dimensions + ". " + model + " supports "
                            + supported.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ".");
        }
    }

    /** 400 for {@code input_type} on a family that has no such notion. */
    static void rejectInputType(String inputType, String model) {
        if (inputType != null) {
            throw OpenAiException.invalidRequest("input_type", ErrorTypes.CODE_UNSUPPORTED_PARAMETER,
                    "'input_type' is supported only by Cohere Embed models, not by " + model + ".");
        }
    }

    static byte[] write(ObjectNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("serialising a JSON tree cannot fail", e);
        }
    }

    /**
     * Reads a response body into a tree whose floating-point numbers are parsed directly from their decimal text to
     * float32 (Jackson's {@code getFloatValue} with its fast parser), so a value is never rounded twice through
     * double. An array of numbers is held as one float[] (read it with {@link #floats}), not as a node per number;
     * other numbers are {@link FloatNode}s, and integers stay integers.
     */
    static JsonNode readTree(byte[] body) {
        if (body == null || body.length == 0) {
            throw upstream("the body is empty");
        }
        try (JsonParser parser = FACTORY.createParser(body)) {
            JsonNode root = read(parser, parser.nextToken(), true);
            if (parser.nextToken() != null) {
                throw upstream("trailing content after the JSON value");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw upstream("it is not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw upstream("it could not be read (" + e.getMessage() + ")");
        }
    }

    private static JsonNode read(JsonParser parser, JsonToken token) throws IOException {
        return read(parser, token, false);
    }

    /**
     * At the top level, Titan's {@code embeddingsByType} is skipped when it follows an {@code embedding}: it repeats
     * the same vector, and parsing a thousand floats twice was a third of the embeddings CPU (bench/).
     */
    private static JsonNode read(JsonParser parser, JsonToken token, boolean topLevel) throws IOException {
        if (token == null) {
            throw upstream("the body is empty");
        }
        switch (token) {
            case START_OBJECT: {
                ObjectNode object = NODES.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if (topLevel && "embeddingsByType".equals(name) && object.hasNonNull("embedding")) {
                        parser.skipChildren();
                        continue;
                    }
                    object.set(name, read(parser, value));
                }
                return object;
            }
            case START_ARRAY: {
                JsonToken next = parser.nextToken();
                float[] numbers = EMPTY;
                int count = 0;
                // An array that starts with numbers is read as a vector: its numbers go straight into a float[], with
                // no node per number (a thousand or more per embedding), until anything else shows up.
                while (next == JsonToken.VALUE_NUMBER_FLOAT || next == JsonToken.VALUE_NUMBER_INT) {
                    if (count == numbers.length) {
                        numbers = Arrays.copyOf(numbers, Math.max(256, count * 2));
                    }
                    numbers[count++] = parser.getFloatValue();
                    next = parser.nextToken();
                }
                if (count > 0 && next == JsonToken.END_ARRAY) {
                    return new POJONode(new Vector(Arrays.copyOf(numbers, count)));
                }
                // Not numbers only (or empty): an ordinary array. Numbers read so far become float nodes, which only
                // floats() reads, and it reports such an array's first non-number as before.
                ArrayNode array = NODES.arrayNode(count);
                for (int i = 0; i < count; i++) {
                    array.add(FloatNode.valueOf(numbers[i]));
                }
                for (; next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                    array.add(read(parser, next));
                }
                return array;
            }
            case VALUE_STRING:
                return NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT:
                switch (parser.getNumberType()) {
                    case INT:
                        return NODES.numberNode(parser.getIntValue());
                    case LONG:
                        return NODES.numberNode(parser.getLongValue());
                    default:
                        return NODES.numberNode(parser.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                return FloatNode.valueOf(parser.getFloatValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw upstream("unexpected JSON token " + token);
        }
    }

    /** A JSON array of numbers, each parsed straight to float32, as {@link #readTree} holds it. */
    private record Vector(float[] values) {
    }

    /** A JSON array of numbers as float32; {@code where} names it in the error. */
    static float[] floats(JsonNode array, String where) {
        if (array instanceof POJONode node && node.getPojo() instanceof Vector vector) {
            return vector.values();
        }
        if (!array.isArray() || array.isEmpty()) {
            throw upstream(where + " is not a non-empty array of numbers");
        }
        float[] vector = new float[array.size()];
        for (int i = 0; i < vector.length; i++) {
            JsonNode value = array.get(i);
            if (!value.isNumber()) {
                throw upstream(where + "[" + i + "] is not a number");
            }
            vector[i] = value.floatValue();
        }
        return vector;
    }

    /** A JSON array of arrays of numbers, one float[] per inner array. */
    static List<float[]> vectors(JsonNode array, String where) {
        if (!array.isArray() || array.isEmpty()) {
            throw upstream(where + " is not a non-empty array of embeddings");
        }
        List<float[]> vectors = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            vectors.add(floats(array.get(i), where + "[" + i + "]"));
        }
        return vectors;
    }

    /** A non-negative token count, or 0 when the field is absent. */
    static int tokenCount(JsonNode value, String where) {
        if (value.isMissingNode() || value.isNull()) {
            return 0;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0) {
            throw upstream(where + " is not a token count");
        }
        return value.intValue();
    }

    /** Bedrock answered 200 with a body the gateway cannot read: a 502 like other upstream failures. */
    static OpenAiException upstream(String detail) {
        return new OpenAiException(502, ErrorTypes.SERVER, "upstream_error", null,
                "Bedrock returned an embeddings response the gateway cannot read: " + detail + ".");
    }
}
