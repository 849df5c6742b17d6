package dev.bedrockgateway.translate.embeddings;

import java.util.List;
import java.util.Set;

/**
 * One family of Bedrock embedding models and its native InvokeModel JSON: how OpenAI's {@code /v1/embeddings}
 * inputs become a request body, and how the reply becomes vectors. Implementations are stateless and thread-safe;
 * get them from {@link EmbeddingFamilies#forModelId(String)}.
 *
 * <p>Errors: a request the family cannot express ({@code dimensions} or {@code input_type} it does not take) is a
 * 400 {@link dev.bedrockgateway.error.OpenAiException}; a reply it cannot read is a 502 {@code upstream_error};
 * a call that breaks this contract (no texts, more than {@link #maxTextsPerCall()}) is an
 * {@link IllegalArgumentException}.
 */
public interface EmbeddingFamily {

    /** Texts one InvokeModel call can take: 1 for Titan/Nova, 96 for Cohere. */
    int maxTextsPerCall();

    /**
     * Whether OpenAI's {@code dimensions} can be honoured, and with which values (e.g. Titan v2: 256, 512, 1024).
     * Empty means the parameter is not supported (the caller answers 400). Iterates in ascending order.
     */
    Set<Integer> supportedDimensions();

    /**
     * The InvokeModel body for these texts ({@code 1 <= size <= maxTextsPerCall()}).
     *
     * @param dimensions OpenAI {@code dimensions}, or null for the model's default size
     * @param inputType the OpenAI-request extension {@code input_type}, or null. Cohere: {@code search_document}
     *        (the default), {@code search_query}, {@code classification}, {@code clustering}; other families reject
     *        any non-null value with a 400.
     */
    byte[] requestBody(List<String> texts, Integer dimensions, String inputType);

    /**
     * Parses the InvokeModel response body: one float[] per text, in order, and the input token count (0 when the
     * body carries none: Cohere and Nova report it only in the {@code x-amzn-bedrock-input-token-count} header).
     * Numbers are parsed straight to float32 from their decimal text, with no intermediate double rounding.
     */
    Result parseResponse(byte[] body);

    /** The vectors, one per text in request order, and the input token count from the body (0 if absent). */
    record Result(List<float[]> embeddings, int inputTokens) {
    }
}
