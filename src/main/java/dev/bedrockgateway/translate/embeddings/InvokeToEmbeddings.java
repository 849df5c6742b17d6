package dev.bedrockgateway.translate.embeddings;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.openai.EmbeddingList;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;

/** InvokeModel answers (one per batch) -> OpenAI's {@code list} of embeddings, in input order. */
public final class InvokeToEmbeddings {

    /** Bedrock's count of input tokens, for families whose body carries none (Cohere). */
    static final String TOKEN_COUNT_HEADER = "x-amzn-bedrock-input-token-count";

    private InvokeToEmbeddings() {
    }

    /** One InvokeModel call's vectors, with the position of its first input. */
    public record Batch(int offset, List<float[]> embeddings, int inputTokens) {
    }

    /** The vectors and input tokens of batch {@code i}. */
    public static Batch toBatch(EmbeddingsToInvoke.Translation translation, int i, InvokeModelResponse response) {
        EmbeddingFamily.Result result = translation.family().parseResponse(response.body().asByteArrayUnsafe());
        int tokens = result.inputTokens();
        if (tokens == 0) {
            tokens = response.sdkHttpResponse().firstMatchingHeader(TOKEN_COUNT_HEADER)
                    .map(InvokeToEmbeddings::parseCount).orElse(0);
        }
        return new Batch(translation.offsets().get(i), result.embeddings(), tokens);
    }

    private static int parseCount(String header) {
        try {
            return Integer.parseInt(header.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * @param model the model name the client sent
     * @throws OpenAiException 502 when Bedrock answered another number of vectors than there were inputs
     */
    public static EmbeddingList toEmbeddingList(List<Batch> batches, EmbeddingsToInvoke.Translation translation,
            String model) {
        List<Batch> ordered = new ArrayList<>(batches);
        ordered.sort(Comparator.comparingInt(Batch::offset));
        int expected = translation.inputs();
        List<EmbeddingList.Embedding> data = new ArrayList<>(expected);
        int tokens = 0;
        for (Batch batch : ordered) {
            for (float[] vector : batch.embeddings()) {
                data.add(new EmbeddingList.Embedding("embedding", data.size(),
                        translation.base64() ? Float32Base64.encode(vector) : vector));
            }
            tokens += batch.inputTokens();
        }
        if (data.size() != expected) {
            throw new OpenAiException(502, ErrorTypes.SERVER, "upstream_error", null, "Bedrock returned "
                    + data.size() + " embeddings for " + expected + " inputs.");
        }
        return new EmbeddingList("list", data, model, new EmbeddingList.EmbeddingUsage(tokens, tokens));
    }
}
