package dev.bedrockgateway.translate.embeddings;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Amazon Titan Embeddings G1 - Text ({@code amazon.titan-embed-text-v1}, also {@code amazon.titan-embed-g1-text-02}),
 * one text per call, always 1536 dimensions (OpenAI {@code dimensions} is refused).
 *
 * <p>Request: {@code {"inputText": "..."}} (the only field G1 takes). Response:
 * {@code {"embedding": [1536 floats], "inputTextTokenCount": n}}.
 *
 * <p>Source: Amazon Bedrock User Guide, "Amazon Titan Embeddings G1 - Text" (G1 Request / G1 Response),
 * https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html
 */
public final class TitanTextV1 implements EmbeddingFamily {

    private static final String MODEL = "Amazon Titan Embeddings G1 - Text";
    private static final int NATIVE_DIMENSIONS = 1536;

    TitanTextV1() {
    }

    @Override
    public int maxTextsPerCall() {
        return 1;
    }

    @Override
    public Set<Integer> supportedDimensions() {
        return Set.of();
    }

    @Override
    public byte[] requestBody(List<String> texts, Integer dimensions, String inputType) {
        EmbeddingFamilies.checkTexts(texts, maxTextsPerCall());
        EmbeddingFamilies.checkDimensions(dimensions, Set.of(), MODEL, NATIVE_DIMENSIONS);
        EmbeddingFamilies.rejectInputType(inputType, MODEL);
        ObjectNode body = EmbeddingFamilies.JSON.createObjectNode().put("inputText", texts.get(0));
        return EmbeddingFamilies.write(body);
    }

    @Override
    public Result parseResponse(byte[] body) {
        return TitanTextV2.parseTitan(body);
    }
}
