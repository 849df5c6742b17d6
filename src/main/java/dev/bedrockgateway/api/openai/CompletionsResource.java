package dev.bedrockgateway.api.openai;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.bedrockgateway.api.Answer;
import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.openai.CompletionRequest;
import dev.bedrockgateway.pipeline.Call;
import dev.bedrockgateway.pipeline.Pipeline;
import dev.bedrockgateway.translate.UnsupportedParams;
import dev.bedrockgateway.translate.completions.CompletionsToConverse;
import dev.bedrockgateway.translate.completions.ConverseStreamToTextChunks;
import dev.bedrockgateway.translate.completions.ConverseToCompletion;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;

/**
 * The legacy {@code POST /v1/completions} that apps written for
 * {@code openai.Completion.create(model="text-davinci-003", ...)} still call. Prompts run concurrently, one Converse
 * call each, and come back as choices in prompt order.
 */
@Path("/")
public class CompletionsResource extends OpenAiEndpoint<CompletionRequest, CompletionsToConverse.Translation> {

    private final RequestChecks checks;

    public CompletionsResource(Pipeline pipeline, RequestChecks checks) {
        super(pipeline, CompletionRequest.class);
        this.checks = checks;
    }

    @POST
    @Path(OpenAiPaths.V1 + "completions")
    @Consumes(MediaType.APPLICATION_JSON)
    // Any Accept header, as OpenAI: the request decides between JSON and SSE (AnswerWriter sets the media type).
    @Produces(MediaType.WILDCARD)
    public Uni<Answer> create(byte[] body, RoutingContext context) {
        return serve(body, context);
    }

    @Override
    public OptionalInt maxOutputTokens(CompletionRequest request) {
        int max = request.maxTokens() == null ? CompletionsToConverse.DEFAULT_MAX_TOKENS : request.maxTokens();
        int prompts = request.prompt() != null && request.prompt().isArray() && request.prompt().size() > 0
                && request.prompt().get(0).isTextual() ? request.prompt().size() : 1;
        int choices = Math.max(request.n() == null ? 1 : request.n(), request.bestOf() == null ? 1 : request.bestOf());
        return OptionalInt.of(max * prompts * choices);
    }

    @Override
    public String endpoint() {
        return "completions";
    }

    @Override
    public void check(CompletionRequest request) {
        checks.completion(request);
    }

    @Override
    public CompletionsToConverse.Translation translate(CompletionRequest request, Deployment deployment,
            UnsupportedParams params) {
        return CompletionsToConverse.toConverseRequests(request, deployment, params);
    }

    @Override
    public Uni<Answer> answer(Call<CompletionsToConverse.Translation> call) {
        CompletionsToConverse.Translation first = call.translation();
        String id = Ids.completionId();
        long created = Instant.now().getEpochSecond();
        if (first.stream()) {
            ConverseStreamToTextChunks chunks = new ConverseStreamToTextChunks(id, created, call.model(),
                    first.includeUsage(), first.echo() ? first.prompts().get(0) : null);
            return call.converseStream(CompletionsToConverse.Translation::streamRequest).map(events -> OpenAiAnswers
                    .sse(first.droppedParams(), events.map(chunks::onEvent)));
        }
        List<Uni<ConverseResponse>> calls = new ArrayList<>(first.requests().size());
        for (int i = 0; i < first.requests().size(); i++) {
            int prompt = i;
            calls.add(call.converse(t -> t.requests().get(prompt)));
        }
        return Uni.join().all(calls).andFailFast().map(responses -> OpenAiAnswers.json(first.droppedParams(),
                ConverseToCompletion.toTextCompletion(responses, first, id, created, call.model())));
    }
}
