package dev.bedrockgateway.api;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.ObjectReader;

import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.catalog.ModelCatalog;
import dev.bedrockgateway.images.FetchedImage;
import dev.bedrockgateway.images.ImageFetcher;
import dev.bedrockgateway.observability.GatewayMetrics;
import dev.bedrockgateway.observability.RequestRecord;
import dev.bedrockgateway.openai.ChatCompletionRequest;
import dev.bedrockgateway.ratelimit.ClientRateLimits;
import dev.bedrockgateway.images.RemoteImage;
import dev.bedrockgateway.translate.UnsupportedParams;
import dev.bedrockgateway.translate.chat.ChatToConverse;
import dev.bedrockgateway.translate.chat.ChatTranslation;
import dev.bedrockgateway.translate.chat.ConverseStreamToChunks;
import dev.bedrockgateway.translate.chat.ConverseToChat;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

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
    private static final String ENDPOINT = "chat.completions";

    private final ModelCatalog catalog;
    private final RoutedConverse bedrock;
    private final ClientRateLimits limits;
    private final GatewayMetrics metrics;
    private final RequestChecks checks;
    private final ImageFetcher images;

    public ChatCompletionsResource(ModelCatalog catalog, RoutedConverse bedrock, ClientRateLimits limits,
            GatewayMetrics metrics, RequestChecks checks, ImageFetcher images) {
        this.catalog = catalog;
        this.bedrock = bedrock;
        this.limits = limits;
        this.metrics = metrics;
        this.checks = checks;
        this.images = images;
    }

    @POST
    @Path(OpenAiPaths.V1 + "chat/completions")
    @Consumes(MediaType.APPLICATION_JSON)
    // Any Accept header, as OpenAI: the request decides between JSON and SSE (AnswerWriter sets the media type).
    @Produces(MediaType.WILDCARD)
    public Uni<Answer> create(byte[] body, RoutingContext context) {
        RequestRecord record = RequestRecord.of(context);
        OpenAiJson.Parsed<ChatCompletionRequest> parsed = OpenAiJson.parse(READER, body);
        ChatCompletionRequest request = parsed.value();
        String model = request.model();
        boolean dropParams = catalog.current().settings().dropParams();
        Deployment deployment = catalog.textDeployment(model);
        record.request(ENDPOINT, model, Boolean.TRUE.equals(request.stream()));
        checks.chat(request);
        ChatTranslation first = ChatToConverse.toConverse(request, deployment,
                new UnsupportedParams(dropParams, parsed.unknownParams()));
        limits.admit(record);
        Uni<Map<String, FetchedImage>> fetched = first.remoteImages().isEmpty() ? Uni.createFrom().item(Map.of())
                : fetchImages(first.remoteImages());
        return fetched.chain(imagesByUrl -> {
            ChatTranslation translation = first.withImages(imagesByUrl);
            // Another deployment (group sibling or fallback) may need another translation (e.g. thinking).
            Function<Deployment, ChatTranslation> forDeployment = d -> d.equals(deployment) ? translation
                    : ChatToConverse.toConverse(request, d, new UnsupportedParams(dropParams, parsed.unknownParams()))
                            .withImages(imagesByUrl);
            return answer(record, translation, forDeployment, model);
        });
    }

    private Uni<Answer> answer(RequestRecord record, ChatTranslation translation,
            Function<Deployment, ChatTranslation> forDeployment, String model) {
        String id = Ids.chatCompletionId();
        long created = Instant.now().getEpochSecond();
        if (translation.stream()) {
            ConverseStreamToChunks chunks = new ConverseStreamToChunks(id, created, model,
                    translation.includeUsage(), translation.structuredOutputTool());
            return bedrock.stream(record, model, d -> forDeployment.apply(d).streamRequest())
                    .map(events -> Answer.sse(translation.droppedParams(),
                            events.onItem().transformToIterable(chunks::onEvent), metrics));
        }
        return bedrock.converse(record, model, d -> forDeployment.apply(d).request())
                .map(response -> Answer.json(translation.droppedParams(), ConverseToChat.toChatCompletion(response,
                        id, created, model, translation.structuredOutputTool())));
    }

    /** Remote {@code image_url}s, fetched concurrently, each URL once. */
    private Uni<Map<String, FetchedImage>> fetchImages(List<RemoteImage> refs) {
        Map<String, RemoteImage> byUrl = new LinkedHashMap<>();
        refs.forEach(ref -> byUrl.putIfAbsent(ref.url(), ref));
        List<Uni<Map.Entry<String, FetchedImage>>> fetches = byUrl.values().stream()
                .map(ref -> images.fetch(ref.url(), ref.param()).map(image -> Map.entry(ref.url(), image)))
                .toList();
        return Uni.join().all(fetches).andFailFast()
                .map(entries -> entries.stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

}
