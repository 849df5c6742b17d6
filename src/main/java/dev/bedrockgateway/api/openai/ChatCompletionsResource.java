package dev.bedrockgateway.api.openai;

import java.time.Instant;
import java.util.OptionalInt;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.bedrockgateway.api.Answer;
import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.openai.ChatCompletionRequest;
import dev.bedrockgateway.pipeline.Call;
import dev.bedrockgateway.pipeline.Pipeline;
import dev.bedrockgateway.translate.UnsupportedParams;
import dev.bedrockgateway.translate.chat.ChatToConverse;
import dev.bedrockgateway.translate.chat.ChatTranslation;
import dev.bedrockgateway.translate.chat.ConverseStreamToChunks;
import dev.bedrockgateway.translate.chat.ConverseToChat;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/chat/completions} on Converse and ConverseStream. One method for JSON and SSE answers (the body
 * decides); the answer starts only once Bedrock answered, so a failure before that is an ordinary HTTP error, and in a
 * stream a later failure becomes one error frame.
 */
@Path("/")
public class ChatCompletionsResource extends OpenAiEndpoint<ChatCompletionRequest, ChatTranslation>
        implements ChatTranslated<ChatCompletionRequest> {

    private final RequestChecks checks;

    public ChatCompletionsResource(Pipeline pipeline, RequestChecks checks) {
        super(pipeline, ChatCompletionRequest.class);
        this.checks = checks;
    }

    @POST
    @Path(OpenAiPaths.V1 + "chat/completions")
    @Consumes(MediaType.APPLICATION_JSON)
    // Any Accept header, as OpenAI: the request decides between JSON and SSE (AnswerWriter sets the media type).
    @Produces(MediaType.WILDCARD)
    public Uni<Answer> create(byte[] body, RoutingContext context) {
        return serve(body, context);
    }

    @Override
    public OptionalInt maxOutputTokens(ChatCompletionRequest request) {
        Integer max = request.maxCompletionTokens() != null ? request.maxCompletionTokens() : request.maxTokens();
        int choices = request.n() == null ? 1 : Math.max(1, request.n());
        return max == null ? OptionalInt.empty() : OptionalInt.of(max * choices);
    }

    @Override
    public String endpoint() {
        return "chat.completions";
    }

    @Override
    public void check(ChatCompletionRequest request) {
        checks.chat(request);
    }

    @Override
    public ChatTranslation translate(ChatCompletionRequest request, Deployment deployment, UnsupportedParams params) {
        return ChatToConverse.toConverse(request, deployment, params);
    }

    @Override
    public Uni<Answer> answer(Call<ChatTranslation> call) {
        ChatTranslation first = call.translation();
        String id = Ids.chatCompletionId();
        long created = Instant.now().getEpochSecond();
        if (first.stream()) {
            ConverseStreamToChunks chunks = new ConverseStreamToChunks(id, created, call.model(),
                    first.includeUsage(), first.structuredOutputTool());
            return call.converseStream(ChatTranslation::streamRequest).map(events -> OpenAiAnswers.sse(
                    first.droppedParams(), events.map(chunks::onEvent)));
        }
        return call.converse(ChatTranslation::request).map(response -> OpenAiAnswers.json(first.droppedParams(),
                ConverseToChat.toChatCompletion(response, id, created, call.model(), first.structuredOutputTool())));
    }
}
