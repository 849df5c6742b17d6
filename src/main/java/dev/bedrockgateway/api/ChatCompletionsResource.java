package dev.bedrockgateway.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestMulti;

import com.fasterxml.jackson.databind.ObjectReader;

import dev.bedrockgateway.bedrock.BedrockInvoker;
import dev.bedrockgateway.catalog.Catalog;
import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.catalog.ModelCatalog;
import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.openai.ChatCompletionRequest;
import dev.bedrockgateway.translate.ChatToConverse;
import dev.bedrockgateway.translate.ConverseStreamToChunks;
import dev.bedrockgateway.translate.ConverseToChat;
import io.smallrye.mutiny.Multi;
import io.vertx.core.buffer.Buffer;

/**
 * {@code POST /v1/chat/completions}, also served without the {@code /v1} prefix as OpenAI clients use both. One
 * method for JSON and SSE answers (the body decides): the answer starts only once Bedrock answered, so a failure
 * before that is an ordinary HTTP error; in a stream, a later failure becomes one error frame.
 */
@Path("/")
public class ChatCompletionsResource {

    /** Names the request options dropped under {@code litellm_settings.drop_params: true}. */
    public static final String DROPPED_PARAMS_HEADER = "x-bedrock-gateway-dropped-params";

    private static final ObjectReader READER = OpenAiJson.readerFor(ChatCompletionRequest.class);

    private final ModelCatalog catalog;
    private final BedrockInvoker bedrock;

    public ChatCompletionsResource(ModelCatalog catalog, BedrockInvoker bedrock) {
        this.catalog = catalog;
        this.bedrock = bedrock;
    }

    @POST
    @Path("v1/chat/completions")
    @Consumes(MediaType.APPLICATION_JSON)
    public RestMulti<Buffer> create(byte[] body) {
        OpenAiJson.Parsed<ChatCompletionRequest> parsed = OpenAiJson.parse(READER, body);
        ChatCompletionRequest request = parsed.value();
        String model = request.model();
        if (model == null || model.isBlank()) {
            throw OpenAiException.invalidRequest("model", "You must provide a model parameter.");
        }
        Catalog current = catalog.current();
        Deployment deployment = catalog.resolve(model).get(0);
        if (!deployment.mode().servesChat()) {
            throw OpenAiException.invalidRequest("model", ErrorTypes.CODE_INVALID_VALUE, "The model '" + model
                    + "' is an embedding model and cannot be used for chat completions; use /v1/embeddings.");
        }
        ChatToConverse.Translation translation = ChatToConverse.toConverseRequest(request, deployment,
                current.settings().dropParams(), parsed.unknownParams());
        String id = Ids.chatCompletionId();
        long created = Instant.now().getEpochSecond();
        Map<String, List<String>> headers = Sse.headers(translation.stream(), translation.droppedParams());
        if (translation.stream()) {
            ConverseStreamToChunks chunks = new ConverseStreamToChunks(id, created, model,
                    translation.includeUsage(), translation.structuredOutputTool());
            return RestMulti.fromUniResponse(bedrock.converseStream(deployment, translation.streamRequest()),
                    events -> Sse.frames(events.onItem().transformToIterable(chunks::onEvent)),
                    events -> headers);
        }
        return RestMulti.fromUniResponse(
                bedrock.converse(deployment, translation.request()).map(response -> Buffer.buffer(OpenAiJson.write(
                        ConverseToChat.toChatCompletion(response, id, created, model,
                                translation.structuredOutputTool())))),
                json -> Multi.createFrom().item(json),
                json -> headers);
    }

    @POST
    @Path("chat/completions")
    @Consumes(MediaType.APPLICATION_JSON)
    public RestMulti<Buffer> createWithoutPrefix(byte[] body) {
        return create(body);
    }
}
