package dev.bedrockgateway.translate.embeddings;

import java.util.ArrayList;
import java.util.List;

import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.openai.EmbeddingRequest;
import dev.bedrockgateway.translate.UnsupportedParams;

/**
 * OpenAI embeddings request -> the InvokeModel bodies of the deployment's model family ({@link EmbeddingFamilies}):
 * the inputs cut into batches of as many texts as the model takes per call.
 */
public final class EmbeddingsToInvoke {

    private EmbeddingsToInvoke() {
    }

    /**
     * The request for one deployment.
     *
     * @param deployment the deployment it goes to
     * @param family the deployment's model family
     * @param bodies one InvokeModel body per batch, in input order
     * @param offsets the position of each batch's first input
     * @param inputs how many inputs the request has (and vectors the answer must have)
     * @param base64 whether vectors are answered base64-encoded
     * @param droppedParams options dropped under {@code drop_params}
     */
    public record Translation(Deployment deployment, EmbeddingFamily family, List<byte[]> bodies,
            List<Integer> offsets, int inputs, boolean base64, List<String> droppedParams) {

        /**
         * The body of batch {@code i} when this translation's deployment takes the same batches as {@code first}'s:
         * a batch may go to any deployment of the group (or a fallback), but only one of the same family takes it.
         */
        public byte[] body(int i, Translation first) {
            if (family.getClass() != first.family().getClass()) {
                throw OpenAiException.invalidRequest("model", ErrorTypes.CODE_INVALID_VALUE, "The deployment '"
                        + deployment.key() + "' serving '" + deployment.modelName() + "' is not of the same embedding"
                        + " model family as '" + first.deployment().modelId() + "'.");
            }
            return bodies.get(i);
        }
    }

    public static Translation toInvokeBodies(EmbeddingRequest request, Deployment deployment,
            UnsupportedParams params) {
        EmbeddingFamily family = EmbeddingFamilies.forModelId(deployment.modelId()).orElseThrow(() ->
                OpenAiException.invalidRequest("model", ErrorTypes.CODE_INVALID_VALUE, "The model '" + request.model()
                        + "' maps to Bedrock model '" + deployment.modelId() + "', whose embeddings API the gateway"
                        + " does not know (Titan Text v1/v2, Cohere Embed v3/v4 and Nova are supported)."));
        boolean base64 = base64(request.encodingFormat());
        List<String> texts = EmbeddingInputs.texts(request.input());
        List<byte[]> bodies = new ArrayList<>();
        List<Integer> offsets = new ArrayList<>();
        for (int from = 0; from < texts.size(); from += family.maxTextsPerCall()) {
            List<String> slice = texts.subList(from, Math.min(texts.size(), from + family.maxTextsPerCall()));
            bodies.add(family.requestBody(slice, request.dimensions(), request.inputType()));
            offsets.add(from);
        }
        return new Translation(deployment, family, bodies, offsets, texts.size(), base64, params.dropped());
    }

    private static boolean base64(String encodingFormat) {
        if (encodingFormat == null || "float".equals(encodingFormat)) {
            return false;
        }
        if ("base64".equals(encodingFormat)) {
            return true;
        }
        throw OpenAiException.invalidRequest("encoding_format", ErrorTypes.CODE_INVALID_VALUE,
                "Invalid value for 'encoding_format': '" + encodingFormat + "' is not one of 'float', 'base64'.");
    }
}
