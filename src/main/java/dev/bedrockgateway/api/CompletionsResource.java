package dev.bedrockgateway.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.ObjectReader;

import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.catalog.ModelCatalog;
import dev.bedrockgateway.observability.GatewayMetrics;
import dev.bedrockgateway.observability.RequestRecord;
import dev.bedrockgateway.openai.CompletionRequest;
import dev.bedrockgateway.ratelimit.ClientRateLimits;
import dev.bedrockgateway.translate.UnsupportedParams;
import dev.bedrockgateway.translate.completions.CompletionsToConverse;
import dev.bedrockgateway.translate.completions.ConverseStreamToTextChunks;
import dev.bedrockgateway.translate.completions.ConverseToCompletion;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;

/**
 * The legacy {@code POST /v1/completions} (and {@code /completions}) that apps written for
 * {@code openai.Completion.create(model="text-davinci-003", ...)} still call. Prompts run concurrently, one
 * Converse call each, and come back as choices in prompt order.
 */
@Path("/")
public class CompletionsResource {

    private static final ObjectReader READER = OpenAiJson.readerFor(CompletionRequest.class);

    private final ModelCatalog catalog;
    private final RoutedConverse bedrock;
    private final ClientRateLimits limits;
    private final GatewayMetrics metrics;
    private final RequestChecks checks;

    public CompletionsResource(ModelCatalog catalog, RoutedConverse bedrock, ClientRateLimits limits,
            GatewayMetrics metrics, RequestChecks checks) {
        this.catalog = catalog;
        this.bedrock = bedrock;
        this.limits = limits;
        this.metrics = metrics;
        this.checks = checks;
    }

    @POST
    @Path(OpenAiPaths.V1 + "completions")
    @Consumes(MediaType.APPLICATION_JSON)
    // Any Accept header, as OpenAI: the request decides between JSON and SSE (AnswerWriter sets the media type).
    @Produces(MediaType.WILDCARD)
    public Uni<Answer> create(byte[] body, RoutingContext context) {
        RequestRecord record = RequestRecord.of(context);
        OpenAiJson.Parsed<CompletionRequest> parsed = OpenAiJson.parse(READER, body);
        CompletionRequest request = parsed.value();
        String model = request.model();
        Deployment deployment = catalog.textDeployment(model);
        record.request("completions", model, Boolean.TRUE.equals(request.stream()));
        checks.completion(request);
        boolean dropParams = catalog.current().settings().dropParams();
        CompletionsToConverse.Translation translation = CompletionsToConverse.toConverseRequests(request, deployment,
                new UnsupportedParams(dropParams, parsed.unknownParams()));
        limits.admit(record);
        // Another deployment (group sibling or fallback) gets its own translation.
        Function<Deployment, CompletionsToConverse.Translation> forDeployment = d -> d.equals(deployment)
                ? translation : CompletionsToConverse.toConverseRequests(request, d,
                        new UnsupportedParams(dropParams, parsed.unknownParams()));
        String id = Ids.completionId();
        long created = Instant.now().getEpochSecond();
        if (translation.stream()) {
            ConverseStreamToTextChunks chunks = new ConverseStreamToTextChunks(id, created, model,
                    translation.includeUsage(), translation.echo() ? translation.prompts().get(0) : null);
            return bedrock.stream(record, model, d -> forDeployment.apply(d).streamRequest())
                    .map(events -> Answer.sse(translation.droppedParams(),
                            events.onItem().transformToIterable(chunks::onEvent), metrics));
        }
        List<Uni<ConverseResponse>> calls = new ArrayList<>();
        for (int i = 0; i < translation.requests().size(); i++) {
            int prompt = i;
            calls.add(bedrock.converse(record, model, d -> forDeployment.apply(d).requests().get(prompt)));
        }
        return Uni.join().all(calls).andFailFast()
                .map(responses -> Answer.json(translation.droppedParams(),
                        ConverseToCompletion.toTextCompletion(responses, translation, id, created, model)));
    }

}
