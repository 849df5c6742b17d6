package dev.bedrockgateway.api.anthropic;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.bedrockgateway.anthropic.AnthropicJson;
import dev.bedrockgateway.anthropic.MessagesRequest;
import dev.bedrockgateway.anthropic.StreamEvent;
import dev.bedrockgateway.api.Answer;
import dev.bedrockgateway.api.openai.Ids;
import dev.bedrockgateway.api.openai.RequestChecks;
import dev.bedrockgateway.bedrock.BedrockInvoker;
import dev.bedrockgateway.catalog.BedrockModelIds;
import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.pipeline.Call;
import dev.bedrockgateway.pipeline.Pipeline;
import dev.bedrockgateway.translate.UnsupportedParams;
import dev.bedrockgateway.translate.claude.ClaudeFeatures;
import dev.bedrockgateway.translate.claude.ClaudeStream;
import dev.bedrockgateway.translate.claude.ClaudeUsage;
import dev.bedrockgateway.translate.claude.MessagesToInvoke;
import dev.bedrockgateway.translate.messages.ConverseStreamToMessageEvents;
import dev.bedrockgateway.translate.messages.ConverseToMessages;
import dev.bedrockgateway.translate.messages.MessageEvent;
import dev.bedrockgateway.translate.messages.MessagesToConverse;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.PayloadPart;
import software.amazon.awssdk.services.bedrockruntime.model.ResponseStream;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * {@code POST /v1/messages}, Anthropic's Messages API (https://docs.anthropic.com/en/api/messages), JSON or streamed.
 * Claude models are called with InvokeModel and the client's own body ({@link MessagesToInvoke}): every feature of
 * Anthropic's API that Bedrock has reaches it as the client wrote it, and the answer (message, or stream events) comes
 * back as Claude wrote it. Other models are translated onto Converse ({@link MessagesToConverse}). A deployment that is
 * an application inference profile ARN names no model, so it goes through Converse.
 */
@Path("/")
public class MessagesResource extends MessagesEndpoint<MessagesTranslation> {

    private final RequestChecks checks;

    public MessagesResource(Pipeline pipeline, BedrockInvoker bedrock, ClaudeFeatures features,
            RequestChecks checks) {
        super(pipeline, bedrock, features, false);
        this.checks = checks;
    }

    @POST
    @Path("v1/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.WILDCARD)
    public Uni<Answer> create(byte[] body, RoutingContext context) {
        return serve(body, context);
    }

    @Override
    public String endpoint() {
        return "messages";
    }

    @Override
    public void check(MessagesRequest request) {
        checks.messages(request.body().path("messages").size(), request.maxTokens());
    }

    @Override
    public OptionalInt maxOutputTokens(MessagesRequest request) {
        return OptionalInt.of(request.maxTokens());
    }

    @Override
    public MessagesTranslation translate(MessagesRequest request, Deployment deployment, UnsupportedParams params) {
        return translation(request, deployment, features);
    }

    /** Claude on InvokeModel, any other model on Converse. */
    static MessagesTranslation translation(MessagesRequest request, Deployment deployment, ClaudeFeatures features) {
        if (BedrockModelIds.isAnthropicClaude(deployment.modelId())) {
            return new MessagesTranslation.ToClaude(MessagesToInvoke.toInvoke(request.body(), request.betas(),
                    deployment.modelId(), features), request.stream());
        }
        return new MessagesTranslation.ToConverse(MessagesToConverse.toConverse(request.body(),
                deployment.modelId()), request.stream());
    }

    @Override
    public Uni<Answer> answer(Call<MessagesTranslation> call) {
        return call.translation().stream() ? stream(call) : json(call);
    }

    /**
     * The events as Claude streamed them, or as translated from Converse's; the answer starts with Bedrock's first
     * event, so a failure before it is an ordinary HTTP error in Anthropic's shape.
     */
    private Uni<Answer> stream(Call<MessagesTranslation> call) {
        String id = Ids.anthropicMessageId();
        return call.routeStream((deployment, translation) -> {
            if (translation instanceof MessagesTranslation.ToClaude claude) {
                return bedrock.invokeModelStream(deployment, SdkBytes.fromByteArrayUnsafe(claude.invoke().body()))
                        .map(chunks -> AnthropicAnswers.sse(claude.adaptations(), claudeEvents(call, chunks)));
            }
            MessagesTranslation.ToConverse converse = (MessagesTranslation.ToConverse) translation;
            return bedrock.converseStream(deployment, converse.converse().streamRequest())
                    .map(events -> AnthropicAnswers.sse(converse.adaptations(), converseEvents(call, events, id)));
        });
    }

    /** Anthropic's events, as many as each Bedrock chunk carries (none for a chunk that is not a payload). */
    private static Multi<List<StreamEvent>> claudeEvents(Call<MessagesTranslation> call,
            Multi<ResponseStream> chunks) {
        ClaudeStream state = new ClaudeStream();
        return chunks
                .map(chunk -> chunk instanceof PayloadPart part
                        ? state.onChunk(part.bytes().asByteArrayUnsafe()) : List.<StreamEvent>of())
                .onItem().invoke(events -> {
                    for (StreamEvent event : events) {
                        if (ClaudeStream.isContent(event)) {
                            call.firstToken();
                            return;
                        }
                    }
                })
                // Also when the stream fails or the client leaves: what Bedrock reported so far was used.
                .onTermination().invoke(() -> {
                    TokenUsage usage = state.usage();
                    if (usage != null) {
                        call.used(usage);
                    }
                });
    }

    /** Anthropic's events, as many as each ConverseStream event became (perhaps none). */
    private static Multi<List<StreamEvent>> converseEvents(Call<MessagesTranslation> call,
            Multi<ConverseStreamOutput> events, String id) {
        ConverseStreamToMessageEvents state = new ConverseStreamToMessageEvents(id, call.model());
        return events
                .onItem().invoke(event -> {
                    if (event instanceof ContentBlockDeltaEvent) {
                        call.firstToken();
                    } else if (event instanceof ConverseStreamMetadataEvent metadata) {
                        call.used(metadata.usage());
                    }
                })
                .map(event -> events(state.onEvent(event)))
                .onCompletion().switchTo(() -> {
                    List<StreamEvent> last = events(state.onEnd());
                    return state.finished() ? Multi.createFrom().item(last)
                            // Never a clean end for an answer Bedrock did not finish: the client gets an error event.
                            : Multi.createFrom().item(last).onCompletion().failWith(cutShort());
                });
    }

    private static OpenAiException cutShort() {
        return new OpenAiException(502, ErrorTypes.SERVER, "upstream_error", null,
                "The Bedrock stream ended before the model finished its answer.");
    }

    /** The translated events as sent, with a ping after message_start where Anthropic's API sends its first. */
    private static List<StreamEvent> events(List<MessageEvent> translated) {
        List<StreamEvent> out = new ArrayList<>(translated.size() + 1);
        for (MessageEvent event : translated) {
            out.add(new StreamEvent(event.type(), AnthropicJson.write(event.data())));
            if (event.type().equals("message_start")) {
                out.add(ClaudeStream.PING);
            }
        }
        return out;
    }

    private Uni<Answer> json(Call<MessagesTranslation> call) {
        return call.route((deployment, translation) -> {
            if (translation instanceof MessagesTranslation.ToClaude claude) {
                return bedrock.invokeModel(deployment, SdkBytes.fromByteArrayUnsafe(claude.invoke().body()))
                        .map(response -> {
                            byte[] message = response.body().asByteArrayUnsafe();
                            TokenUsage usage = ClaudeUsage.ofMessage(message);
                            if (usage != null) {
                                call.used(usage);
                            }
                            return AnthropicAnswers.json(claude.adaptations(), message);
                        });
            }
            MessagesTranslation.ToConverse converse = (MessagesTranslation.ToConverse) translation;
            return bedrock.converse(deployment, converse.converse().request()).map(response -> {
                call.used(response.usage());
                return AnthropicAnswers.json(converse.adaptations(), AnthropicJson.write(
                        ConverseToMessages.toMessage(response, Ids.anthropicMessageId(), call.model())));
            });
        }, null);
    }
}
