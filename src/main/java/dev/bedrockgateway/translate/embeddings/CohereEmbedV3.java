package dev.bedrockgateway.translate.embeddings;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;

/**
 * Cohere Embed English / Multilingual v3 ({@code cohere.embed-english-v3}, {@code cohere.embed-multilingual-v3}),
 * up to 96 texts per call, always 1024 dimensions (OpenAI {@code dimensions} is refused).
 *
 * <p>Request: {@code {"texts": [...], "input_type": "search_document", "truncate": "NONE"}}. {@code input_type}
 * comes from the request extension {@code input_type} (default {@code search_document}: OpenAI clients embed
 * documents and queries alike, and an index is the common case). {@code truncate} is {@code NONE} on purpose: an
 * over-long text then fails with a Bedrock validation error (a 400 to the client) instead of being cut silently
 * and embedded as something the client did not send; OpenAI also refuses over-long input.
 * {@code embedding_types} is not sent, so Bedrock answers with floats.
 *
 * <p>Response, both accepted: {@code {"id", "embeddings": [[...], ...], "texts": [...],
 * "response_type": "embeddings_floats"}} or {@code {"embeddings": {"float": [[...], ...]},
 * "response_type": "embeddings_by_type"}}. The body has no token count (Bedrock sends it in the
 * {@code x-amzn-bedrock-input-token-count} header), so {@code inputTokens} is 0.
 *
 * <p>Source: Amazon Bedrock User Guide, "Cohere Embed v3",
 * https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-embed-v3.html
 */
public final class CohereEmbedV3 implements EmbeddingFamily {

    private static final String MODEL = "Cohere Embed v3";
    private static final int NATIVE_DIMENSIONS = 1024;
    static final int MAX_TEXTS = 96;
    static final String DEFAULT_INPUT_TYPE = "search_document";
    static final Set<String> INPUT_TYPES = Set.of("search_document", "search_query", "classification", "clustering");

    CohereEmbedV3() {
    }

    @Override
    public int maxTextsPerCall() {
        return MAX_TEXTS;
    }

    @Override
    public Set<Integer> supportedDimensions() {
        return Set.of();
    }

    @Override
    public byte[] requestBody(List<String> texts, Integer dimensions, String inputType) {
        EmbeddingFamilies.checkTexts(texts, MAX_TEXTS);
        EmbeddingFamilies.checkDimensions(dimensions, Set.of(), MODEL, NATIVE_DIMENSIONS);
        ObjectNode body = EmbeddingFamilies.JSON.createObjectNode();
        texts.forEach(body.putArray("texts")::add);
        body.put("input_type", inputType(inputType));
        body.put("truncate", "NONE");
        return EmbeddingFamilies.write(body);
    }

    @Override
    public Result parseResponse(byte[] body) {
        return parseCohere(body);
    }

    /** The Cohere {@code input_type}: the default when null, else one of the four Cohere values (or 400). */
    static String inputType(String inputType) {
        if (inputType == null) {
            return DEFAULT_INPUT_TYPE;
        }
        if (!INPUT_TYPES.contains(inputType)) {
            throw OpenAiException.invalidRequest("input_type", ErrorTypes.CODE_INVALID_VALUE,
                    "Invalid 'input_type': '" + inputType + "'. Cohere Embed takes search_document (the default), "
                            + "search_query, classification or clustering.");
        }
        return inputType;
    }

    /** v3 and v4 answer alike: {@code embeddings} is a list of vectors or an object with a {@code float} list. */
    static Result parseCohere(byte[] body) {
        JsonNode embeddings = EmbeddingFamilies.readTree(body).path("embeddings");
        if (embeddings.isArray()) {
            return new Result(EmbeddingFamilies.vectors(embeddings, "embeddings"), 0);
        }
        if (embeddings.isObject() && embeddings.has("float")) {
            return new Result(EmbeddingFamilies.vectors(embeddings.get("float"), "embeddings.float"), 0);
        }
        throw EmbeddingFamilies.upstream("it has no float 'embeddings'");
    }
}
