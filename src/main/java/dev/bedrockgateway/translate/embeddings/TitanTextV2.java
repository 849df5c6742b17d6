package dev.bedrockgateway.translate.embeddings;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Amazon Titan Text Embeddings V2 ({@code amazon.titan-embed-text-v2:0}), one text per call.
 *
 * <p>Request: {@code {"inputText": "...", "dimensions": 256|512|1024 (only when given), "normalize": true}}.
 * {@code normalize} is sent explicitly because OpenAI embeddings are unit length. Response:
 * {@code {"embedding": [...], "inputTextTokenCount": n, "embeddingsByType": {"float": [...]}}}; {@code embedding}
 * is read, {@code embeddingsByType.float} is the fallback. Titan has no truncation option: over-long input
 * (more than 8,192 tokens) is refused by Bedrock.
 *
 * <p>Source: Amazon Bedrock User Guide, "Amazon Titan Embeddings G1 - Text" (V2 Request / V2 Response),
 * https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html
 */
public final class TitanTextV2 implements EmbeddingFamily {

    private static final String MODEL = "Amazon Titan Text Embeddings V2";
    private static final Set<Integer> DIMENSIONS = EmbeddingFamilies.dimensions(256, 512, 1024);
    private static final int DEFAULT_DIMENSIONS = 1024;

    TitanTextV2() {
    }

    @Override
    public int maxTextsPerCall() {
        return 1;
    }

    @Override
    public Set<Integer> supportedDimensions() {
        return DIMENSIONS;
    }

    @Override
    public byte[] requestBody(List<String> texts, Integer dimensions, String inputType) {
        EmbeddingFamilies.checkTexts(texts, maxTextsPerCall());
        EmbeddingFamilies.checkDimensions(dimensions, DIMENSIONS, MODEL, DEFAULT_DIMENSIONS);
        EmbeddingFamilies.rejectInputType(inputType, MODEL);
        ObjectNode body = EmbeddingFamilies.JSON.createObjectNode().put("inputText", texts.get(0));
        if (dimensions != null) {
            body.put("dimensions", dimensions.intValue());
        }
        body.put("normalize", true);
        return EmbeddingFamilies.write(body);
    }

    @Override
    public Result parseResponse(byte[] body) {
        return parseTitan(body);
    }

    /** Titan V1 and V2 answer alike: {@code embedding} (or {@code embeddingsByType.float}) and a token count. */
    static Result parseTitan(byte[] body) {
        JsonNode root = EmbeddingFamilies.readTree(body);
        JsonNode embedding = root.path("embedding");
        float[] vector;
        if (!embedding.isMissingNode() && !embedding.isNull()) {
            vector = EmbeddingFamilies.floats(embedding, "embedding");
        } else if (root.path("embeddingsByType").has("float")) {
            vector = EmbeddingFamilies.floats(root.path("embeddingsByType").path("float"), "embeddingsByType.float");
        } else {
            throw EmbeddingFamilies.upstream("it has no 'embedding'");
        }
        return new Result(List.of(vector),
                EmbeddingFamilies.tokenCount(root.path("inputTextTokenCount"), "inputTextTokenCount"));
    }
}
