package dev.bedrockgateway.api.openai;

import java.util.OptionalInt;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.bedrockgateway.api.Answer;
import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.catalog.ModelCatalog;
import dev.bedrockgateway.config.GatewayConfig;
import dev.bedrockgateway.openai.EmbeddingRequest;
import dev.bedrockgateway.pipeline.Call;
import dev.bedrockgateway.pipeline.Pipeline;
import dev.bedrockgateway.translate.UnsupportedParams;
import dev.bedrockgateway.translate.embeddings.EmbeddingsToInvoke;
import dev.bedrockgateway.translate.embeddings.InvokeToEmbeddings;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/embeddings} on Bedrock embedding models through InvokeModel, one small strategy per model family.
 * The inputs' batches are called concurrently, up to {@code gateway.embeddings.max-concurrency}, and answered in input
 * order.
 */
@Path("/")
public class EmbeddingsResource extends OpenAiEndpoint<EmbeddingRequest, EmbeddingsToInvoke.Translation> {

    private final int maxConcurrency;

    public EmbeddingsResource(Pipeline pipeline, GatewayConfig config) {
        super(pipeline, EmbeddingRequest.class);
        this.maxConcurrency = config.embeddings().maxConcurrency();
    }

    @POST
    @Path(OpenAiPaths.V1 + "embeddings")
    @Consumes(MediaType.APPLICATION_JSON)
    // Any Accept header, as OpenAI: the answer is always JSON (AnswerWriter sets the media type).
    @Produces(MediaType.WILDCARD)
    public Uni<Answer> create(byte[] body, RoutingContext context) {
        return serve(body, context);
    }

    @Override
    public OptionalInt maxOutputTokens(EmbeddingRequest request) {
        return OptionalInt.of(0);
    }

    @Override
    public String endpoint() {
        return "embeddings";
    }

    @Override
    public Deployment resolve(ModelCatalog catalog, String model) {
        return catalog.embeddingDeployment(model);
    }

    @Override
    public EmbeddingsToInvoke.Translation translate(EmbeddingRequest request, Deployment deployment,
            UnsupportedParams params) {
        return EmbeddingsToInvoke.toInvokeBodies(request, deployment, params);
    }

    @Override
    public Uni<Answer> answer(Call<EmbeddingsToInvoke.Translation> call) {
        EmbeddingsToInvoke.Translation first = call.translation();
        return Multi.createFrom().range(0, first.bodies().size())
                .onItem().transformToUni(i -> call.invokeModel(t -> t.body(i, first))
                        .map(response -> InvokeToEmbeddings.toBatch(first, i, response)))
                .merge(maxConcurrency)
                .collect().asList()
                .invoke(batches -> call.used(batches.stream().mapToInt(InvokeToEmbeddings.Batch::inputTokens).sum(),
                        0))
                .map(batches -> OpenAiAnswers.json(first.droppedParams(),
                        InvokeToEmbeddings.toEmbeddingList(batches, first, call.model())));
    }
}
