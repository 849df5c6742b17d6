package dev.bedrockgateway.api;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestMulti;

import com.fasterxml.jackson.databind.ObjectReader;

import dev.bedrockgateway.bedrock.BedrockInvoker;
import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.catalog.ModelCatalog;
import dev.bedrockgateway.images.FetchedImage;
import dev.bedrockgateway.images.ImageFetcher;
import dev.bedrockgateway.openai.ChatCompletionRequest;
import dev.bedrockgateway.translate.ChatToConverse;
import dev.bedrockgateway.translate.ConverseStreamToChunks;
import dev.bedrockgateway.translate.ConverseToChat;
import io.smallrye.mutiny.Uni;
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
    private final ImageFetcher images;

    public ChatCompletionsResource(ModelCatalog catalog, BedrockInvoker bedrock, ImageFetcher images) {
        this.catalog = catalog;
        this.bedrock = bedrock;
        this.images = images;
    }

    @POST
    @Path("v1/chat/completions")
    @Consumes(MediaType.APPLICATION_JSON)
    public RestMulti<Buffer> create(byte[] body) {
        OpenAiJson.Parsed<ChatCompletionRequest> parsed = OpenAiJson.parse(READER, body);
        ChatCompletionRequest request = parsed.value();
        String model = request.model();
        boolean dropParams = catalog.current().settings().dropParams();
        Deployment deployment = catalog.textDeployment(model);
        // Validates everything first; only a valid request with remote images causes a fetch, then a second pass.
        ChatToConverse.Translation first = ChatToConverse.toConverseRequest(request, deployment, dropParams,
                parsed.unknownParams(), Map.of());
        Uni<ChatToConverse.Translation> complete = first.pendingImages().isEmpty()
                ? Uni.createFrom().item(first)
                : fetchImages(first.pendingImages()).map(fetched -> ChatToConverse.toConverseRequest(request,
                        deployment, dropParams, parsed.unknownParams(), fetched));
        return Answer.respond(complete.chain(translation -> answer(translation, deployment, model)));
    }

    private Uni<Answer> answer(ChatToConverse.Translation translation, Deployment deployment, String model) {
        String id = Ids.chatCompletionId();
        long created = Instant.now().getEpochSecond();
        if (translation.stream()) {
            ConverseStreamToChunks chunks = new ConverseStreamToChunks(id, created, model,
                    translation.includeUsage(), translation.structuredOutputTool());
            return bedrock.converseStream(deployment, translation.streamRequest())
                    .map(events -> Answer.sse(translation.droppedParams(),
                            events.onItem().transformToIterable(chunks::onEvent)));
        }
        return bedrock.converse(deployment, translation.request())
                .map(response -> Answer.json(translation.droppedParams(), ConverseToChat.toChatCompletion(response,
                        id, created, model, translation.structuredOutputTool())));
    }

    /** Remote {@code image_url}s, fetched concurrently, each URL once. */
    private Uni<Map<String, FetchedImage>> fetchImages(List<ChatToConverse.RemoteImageRef> refs) {
        Map<String, ChatToConverse.RemoteImageRef> byUrl = new LinkedHashMap<>();
        refs.forEach(ref -> byUrl.putIfAbsent(ref.url(), ref));
        List<Uni<Map.Entry<String, FetchedImage>>> fetches = byUrl.values().stream()
                .map(ref -> images.fetch(ref.url(), ref.param()).map(image -> Map.entry(ref.url(), image)))
                .toList();
        return Uni.join().all(fetches).andFailFast()
                .map(entries -> entries.stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    @POST
    @Path("chat/completions")
    @Consumes(MediaType.APPLICATION_JSON)
    public RestMulti<Buffer> createWithoutPrefix(byte[] body) {
        return create(body);
    }
}
