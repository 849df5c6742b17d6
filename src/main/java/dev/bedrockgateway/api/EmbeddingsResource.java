package dev.bedrockgateway.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.ObjectReader;

import dev.bedrockgateway.bedrock.BedrockInvoker;
import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.catalog.ModelCatalog;
import dev.bedrockgateway.config.GatewayConfig;
import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.observability.RequestRecord;
import dev.bedrockgateway.openai.EmbeddingList;
import dev.bedrockgateway.openai.EmbeddingRequest;
import dev.bedrockgateway.ratelimit.ClientRateLimits;
import dev.bedrockgateway.routing.BedrockRouter;
import dev.bedrockgateway.translate.UnsupportedParams;
import dev.bedrockgateway.translate.embeddings.EmbeddingFamilies;
import dev.bedrockgateway.translate.embeddings.EmbeddingFamily;
import dev.bedrockgateway.translate.embeddings.EmbeddingInputs;
import dev.bedrockgateway.translate.embeddings.Float32Base64;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;

/**
 * {@code POST /v1/embeddings} (and {@code /embeddings}) on Bedrock embedding models through InvokeModel, one small
 * strategy per model family ({@link EmbeddingFamilies}). Inputs are cut into batches the model takes per call,
 * called concurrently up to {@code gateway.embeddings.max-concurrency}, and answered in input order.
 */
@Path("/")
public class EmbeddingsResource {

    /** Bedrock's count of input tokens, for families whose body carries none (Cohere). */
    static final String TOKEN_COUNT_HEADER = "x-amzn-bedrock-input-token-count";

    private static final ObjectReader READER = OpenAiJson.readerFor(EmbeddingRequest.class);

    private final ModelCatalog catalog;
    private final BedrockInvoker bedrock;
    private final BedrockRouter router;
    private final ClientRateLimits limits;
    private final int maxConcurrency;

    public EmbeddingsResource(ModelCatalog catalog, BedrockInvoker bedrock, BedrockRouter router,
            ClientRateLimits limits, GatewayConfig config) {
        this.catalog = catalog;
        this.bedrock = bedrock;
        this.router = router;
        this.limits = limits;
        this.maxConcurrency = config.embeddings().maxConcurrency();
    }

    /** One InvokeModel call's vectors, with the position of its first input. */
    private record Batch(int offset, List<float[]> embeddings, int inputTokens) {
    }

    @POST
    @Path(OpenAiPaths.V1 + "embeddings")
    @Consumes(MediaType.APPLICATION_JSON)
    // Any Accept header, as OpenAI: the answer is always JSON (AnswerWriter sets the media type).
    @Produces(MediaType.WILDCARD)
    public Uni<Answer> create(byte[] body, RoutingContext context) {
        RequestRecord record = RequestRecord.of(context);
        OpenAiJson.Parsed<EmbeddingRequest> parsed = OpenAiJson.parse(READER, body);
        EmbeddingRequest request = parsed.value();
        Deployment deployment = catalog.embeddingDeployment(request.model());
        record.request("embeddings", request.model(), false);
        UnsupportedParams params = new UnsupportedParams(catalog.current().settings().dropParams(),
                parsed.unknownParams());
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
        limits.admit(record);
        // Every deployment a batch may go to (group sibling or fallback) must take the same request body.
        Predicate<Deployment> sameFamily = d -> EmbeddingFamilies.forModelId(d.modelId())
                .filter(f -> f.getClass() == family.getClass()).isPresent();
        Uni<List<Batch>> batches = Multi.createFrom().range(0, bodies.size())
                .onItem().transformToUni(i -> router.route(record, request.model(), d -> sameFamily.test(d)
                        ? bedrock.invokeModel(d, bodies.get(i))
                        : Uni.createFrom().<InvokeModelResponse>failure(OpenAiException.invalidRequest("model",
                                ErrorTypes.CODE_INVALID_VALUE, "The deployment '" + d.key() + "' serving '"
                                        + request.model() + "' is not of the same embedding model family as '"
                                        + deployment.modelId() + "'.")),
                        null).map(response -> batch(family, offsets.get(i), response)))
                .merge(maxConcurrency)
                .collect().asList()
                .invoke(results -> router.recordUsage(record, record.deployment(),
                        results.stream().mapToInt(Batch::inputTokens).sum(), 0));
        return batches.map(results -> Answer.json(params.dropped(),
                toList(results, texts.size(), base64, request.model())));
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

    private static Batch batch(EmbeddingFamily family, int offset, InvokeModelResponse response) {
        EmbeddingFamily.Result result = family.parseResponse(response.body().asByteArrayUnsafe());
        int tokens = result.inputTokens();
        if (tokens == 0) {
            tokens = response.sdkHttpResponse().firstMatchingHeader(TOKEN_COUNT_HEADER)
                    .map(EmbeddingsResource::parseCount).orElse(0);
        }
        return new Batch(offset, result.embeddings(), tokens);
    }

    private static int parseCount(String header) {
        try {
            return Integer.parseInt(header.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static EmbeddingList toList(List<Batch> batches, int expected, boolean base64, String model) {
        List<Batch> ordered = new ArrayList<>(batches);
        ordered.sort(Comparator.comparingInt(Batch::offset));
        List<EmbeddingList.Embedding> data = new ArrayList<>(expected);
        int tokens = 0;
        for (Batch batch : ordered) {
            for (float[] vector : batch.embeddings()) {
                data.add(new EmbeddingList.Embedding("embedding", data.size(),
                        base64 ? Float32Base64.encode(vector) : vector));
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
