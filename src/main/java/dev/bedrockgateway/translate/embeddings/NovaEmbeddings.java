package dev.bedrockgateway.translate.embeddings;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Amazon Nova Multimodal Embeddings ({@code amazon.nova-2-multimodal-embeddings-v1:0}), text only, one text per
 * synchronous call; OpenAI {@code dimensions} maps to {@code embeddingDimension} (256, 384, 1024 or 3072).
 *
 * <p>Request:
 * <pre>{"schemaVersion": "nova-multimodal-embed-v1", "taskType": "SINGLE_EMBEDDING",
 *  "singleEmbeddingParams": {"embeddingPurpose": "GENERIC_INDEX", "embeddingDimension": 3072,
 *    "text": {"truncationMode": "NONE", "value": "..."}}}</pre>
 * {@code schemaVersion} is optional but pinned, so a later default cannot change how the body is read.
 * {@code embeddingDimension} is always sent: the requested size, else 3072 (the full size).
 * {@code embeddingPurpose} is {@code GENERIC_INDEX}, the purpose AWS documents for indexing content.
 * {@code truncationMode} is {@code NONE} (START|END|NONE are allowed) for the same reason as Cohere's
 * {@code truncate}: over-long text is refused by Bedrock rather than silently cut, which is also what OpenAI does.
 *
 * <p>Response: {@code {"embeddings": [{"embeddingType": "TEXT", "embedding": [...]}]}}, optionally with
 * {@code truncatedCharLength} on an entry; each entry's {@code embedding} is one vector. No token count in the body.
 *
 * <p>Source: Amazon Nova User Guide, "Complete embeddings request and response schema",
 * https://docs.aws.amazon.com/nova/latest/userguide/embeddings-schema.html, and "Using Nova Embeddings",
 * https://docs.aws.amazon.com/nova/latest/userguide/nova-embeddings.html (the synchronous InvokeModel example
 * reads {@code response["embeddings"][0]["embedding"]}).
 */
public final class NovaEmbeddings implements EmbeddingFamily {

    private static final String MODEL = "Amazon Nova Multimodal Embeddings";
    private static final Set<Integer> DIMENSIONS = EmbeddingFamilies.dimensions(256, 384, 1024, 3072);
    private static final int DEFAULT_DIMENSIONS = 3072;
    static final String SCHEMA_VERSION = "nova-multimodal-embed-v1";
    static final String EMBEDDING_PURPOSE = "GENERIC_INDEX";
    static final String TRUNCATION_MODE = "NONE";

    NovaEmbeddings() {
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
        ObjectNode body = EmbeddingFamilies.JSON.createObjectNode();
        body.put("schemaVersion", SCHEMA_VERSION);
        body.put("taskType", "SINGLE_EMBEDDING");
        ObjectNode params = body.putObject("singleEmbeddingParams");
        params.put("embeddingPurpose", EMBEDDING_PURPOSE);
        params.put("embeddingDimension", dimensions == null ? DEFAULT_DIMENSIONS : dimensions.intValue());
        params.putObject("text").put("truncationMode", TRUNCATION_MODE).put("value", texts.get(0));
        return EmbeddingFamilies.write(body);
    }

    @Override
    public Result parseResponse(byte[] body) {
        JsonNode embeddings = EmbeddingFamilies.readTree(body).path("embeddings");
        if (!embeddings.isArray() || embeddings.isEmpty()) {
            throw EmbeddingFamilies.upstream("it has no 'embeddings' list");
        }
        List<float[]> vectors = new ArrayList<>(embeddings.size());
        for (int i = 0; i < embeddings.size(); i++) {
            vectors.add(EmbeddingFamilies.floats(embeddings.get(i).path("embedding"),
                    "embeddings[" + i + "].embedding"));
        }
        return new Result(vectors, 0);
    }
}
