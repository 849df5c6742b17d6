package dev.bedrockgateway.api;

import java.time.Instant;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestMulti;

import com.fasterxml.jackson.databind.ObjectReader;

import dev.bedrockgateway.bedrock.BedrockInvoker;
import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.catalog.ModelCatalog;
import dev.bedrockgateway.openai.CompletionRequest;
import dev.bedrockgateway.translate.CompletionsToConverse;
import dev.bedrockgateway.translate.ConverseStreamToTextChunks;
import dev.bedrockgateway.translate.ConverseToCompletion;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;

/**
 * The legacy {@code POST /v1/completions} (and {@code /completions}) that apps written for
 * {@code openai.Completion.create(model="text-davinci-003", ...)} still call. Prompts run concurrently, one
 * Converse call each, and come back as choices in prompt order.
 */
@Path("/")
public class CompletionsResource {

    private static final ObjectReader READER = OpenAiJson.readerFor(CompletionRequest.class);

    private final ModelCatalog catalog;
    private final BedrockInvoker bedrock;

    public CompletionsResource(ModelCatalog catalog, BedrockInvoker bedrock) {
        this.catalog = catalog;
        this.bedrock = bedrock;
    }

    @POST
    @Path("v1/completions")
    @Consumes(MediaType.APPLICATION_JSON)
    public RestMulti<Buffer> create(byte[] body) {
        OpenAiJson.Parsed<CompletionRequest> parsed = OpenAiJson.parse(READER, body);
        CompletionRequest request = parsed.value();
        String model = request.model();
        Deployment deployment = catalog.textDeployment(model);
        CompletionsToConverse.Translation translation = CompletionsToConverse.toConverseRequests(request, deployment,
                catalog.current().settings().dropParams(), parsed.unknownParams());
        String id = Ids.completionId();
        long created = Instant.now().getEpochSecond();
        if (translation.stream()) {
            ConverseStreamToTextChunks chunks = new ConverseStreamToTextChunks(id, created, model,
                    translation.includeUsage(), translation.echo() ? translation.prompts().get(0) : null);
            return Answer.respond(bedrock.converseStream(deployment, translation.streamRequest())
                    .map(events -> Answer.sse(translation.droppedParams(),
                            events.onItem().transformToIterable(chunks::onEvent))));
        }
        return Answer.respond(Uni.join().all(translation.requests().stream()
                .map(converse -> bedrock.converse(deployment, converse)).toList()).andFailFast()
                .map(responses -> Answer.json(translation.droppedParams(),
                        ConverseToCompletion.toTextCompletion(responses, translation, id, created, model))));
    }

    @POST
    @Path("completions")
    @Consumes(MediaType.APPLICATION_JSON)
    public RestMulti<Buffer> createWithoutPrefix(byte[] body) {
        return create(body);
    }
}
