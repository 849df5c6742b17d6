package dev.bedrockgateway.translate.embeddings;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Cohere Embed v4 ({@code cohere.embed-v4:0}), up to 96 texts per call; OpenAI {@code dimensions} maps to
 * {@code output_dimension} (256, 512, 1024 or 1536; the model's default is 1536).
 *
 * <p>Request: {@code {"texts": [...], "input_type": "search_document", "embedding_types": ["float"],
 * "output_dimension": N (only when given), "truncate": "NONE"}}. {@code input_type} as for
 * {@link CohereEmbedV3}; {@code truncate} is {@code NONE} (v4 documents NONE|LEFT|RIGHT) so that over-long input
 * is refused rather than cut silently.
 *
 * <p>Response: {@code {"id", "embeddings": {"float": [[...], ...]}, "texts": [...],
 * "response_type": "embeddings_by_type"}}; the v3 list form is accepted too. No token count in the body
 * ({@code inputTokens} 0; Bedrock sends it in the {@code x-amzn-bedrock-input-token-count} header).
 *
 * <p>Source: Amazon Bedrock User Guide, "Cohere Embed v4",
 * https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-embed-v4.html
 */
public final class CohereEmbedV4 implements EmbeddingFamily {

    private static final String MODEL = "Cohere Embed v4";
    private static final Set<Integer> DIMENSIONS = EmbeddingFamilies.dimensions(256, 512, 1024, 1536);
    private static final int DEFAULT_DIMENSIONS = 1536;

    CohereEmbedV4() {
    }

    @Override
    public int maxTextsPerCall() {
        return CohereEmbedV3.MAX_TEXTS;
    }

    @Override
    public Set<Integer> supportedDimensions() {
        return DIMENSIONS;
    }

    @Override
    public byte[] requestBody(List<String> texts, Integer dimensions, String inputType) {
        EmbeddingFamilies.checkTexts(texts, CohereEmbedV3.MAX_TEXTS);
        EmbeddingFamilies.checkDimensions(dimensions, DIMENSIONS, MODEL, DEFAULT_DIMENSIONS);
        ObjectNode body = EmbeddingFamilies.JSON.createObjectNode();
        texts.forEach(body.putArray("texts")::add);
        body.put("input_type", CohereEmbedV3.inputType(inputType));
        body.putArray("embedding_types").add("float");
        if (dimensions != null) {
            body.put("output_dimension", dimensions.intValue());
        }
        body.put("truncate", "NONE");
        return EmbeddingFamilies.write(body);
    }

    @Override
    public Result parseResponse(byte[] body) {
        return CohereEmbedV3.parseCohere(body);
    }
}
