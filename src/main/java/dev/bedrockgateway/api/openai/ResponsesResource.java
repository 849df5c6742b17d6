package dev.bedrockgateway.api.openai;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.bedrockgateway.api.Answer;
import dev.bedrockgateway.api.NamedEvents;
import dev.bedrockgateway.bedrock.BedrockErrors;
import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.governance.Caller;
import dev.bedrockgateway.openai.OpenAiJson;
import dev.bedrockgateway.openai.ResponsesRequest;
import dev.bedrockgateway.pipeline.Call;
import dev.bedrockgateway.pipeline.Parsed;
import dev.bedrockgateway.pipeline.Pipeline;
import dev.bedrockgateway.responses.ResponseStore;
import dev.bedrockgateway.responses.StoredResponse;
import dev.bedrockgateway.translate.UnsupportedParams;
import dev.bedrockgateway.translate.chat.ChatTranslation;
import dev.bedrockgateway.translate.chat.ConverseStreamToChunks;
import dev.bedrockgateway.translate.chat.ConverseToChat;
import dev.bedrockgateway.translate.responses.ChatToResponse;
import dev.bedrockgateway.translate.responses.ChunksToResponseEvents;
import dev.bedrockgateway.translate.responses.ReasoningSeal;
import dev.bedrockgateway.translate.responses.ResponseEnvelope;
import dev.bedrockgateway.translate.responses.ResponseIds;
import dev.bedrockgateway.translate.responses.ResponsesInput;
import dev.bedrockgateway.translate.responses.ResponsesToChat;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;

/**
 * OpenAI's Responses API on Converse: {@code POST /v1/responses} (JSON or SSE, the body decides) through the same
 * pipeline and chat translation as {@code /v1/chat/completions}, and the stored responses ({@code store}, OpenAI's
 * default) that {@code previous_response_id}, {@code GET}, {@code input_items} and {@code DELETE} read, each visible
 * only to the key that made it. A stream's final event is sent once its response is stored, so a continuation sent
 * right after it finds it.
 */
@Path(OpenAiPaths.V1 + "responses")
public class ResponsesResource implements ChatTranslated<ResponsesInput> {

    private static final Logger LOG = Logger.getLogger(ResponsesResource.class);
    private static final ObjectReader READER = OpenAiJson.readerFor(ResponsesRequest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String READ = ResponsesResource.class.getName() + ".read";
    /** Set when a response could not be stored (the answer is still given). */
    static final String STORE_HEADER = "x-bedrock-gateway-store";

    private final Pipeline pipeline;
    private final RequestChecks checks;
    private final ResponseStore store;
    private final ReasoningSeal seal;

    public ResponsesResource(Pipeline pipeline, RequestChecks checks, ResponseStore store, ReasoningSeal seal) {
        this.pipeline = pipeline;
        this.checks = checks;
        this.store = store;
        this.seal = seal;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.WILDCARD)
    public Uni<Answer> create(byte[] body, RoutingContext context) {
        Parsed<ResponsesRequest> parsed = OpenAiJson.parse(READER, body);
        ResponsesRequest request = parsed.value();
        String previousId = request.previousResponseId();
        Uni<ArrayNode> previous = previousId == null ? Uni.createFrom().nullItem()
                : store.find(previousId, owner(context)).map(found -> context(found.orElseThrow(() ->
                        OpenAiException.invalidRequest("previous_response_id", "previous_response_not_found",
                                "Previous response with id '" + previousId + "' not found."))));
        return previous.chain(history -> {
            context.put(READ, new Parsed<>(ResponsesToChat.read(request, history, seal), parsed.unknownParams()));
            return pipeline.serve(context, body, this);
        });
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Answer> retrieve(@PathParam("id") String id, RoutingContext context) {
        return stored(id, context).map(found -> Answer.json("application/json", Map.of(), found.response()));
    }

    @GET
    @Path("{id}/input_items")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Answer> inputItems(@PathParam("id") String id, @QueryParam("limit") String limit,
            @QueryParam("order") String order, @QueryParam("after") String after, RoutingContext context) {
        int size = limit(limit);
        boolean ascending = order(order);
        return stored(id, context).map(found -> OpenAiAnswers.json(List.of(),
                page(json(found.inputItems()), size, ascending, after)));
    }

    @DELETE
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Answer> delete(@PathParam("id") String id, RoutingContext context) {
        return store.delete(id, owner(context)).map(deleted -> {
            if (!deleted) {
                throw notFound(id);
            }
            return OpenAiAnswers.json(List.of(), NODES.objectNode().put("id", id)
                    .put("object", "response.deleted").put("deleted", true));
        });
    }

    // The pipeline's side: what this endpoint contributes to every request.

    @Override
    public String endpoint() {
        return "responses";
    }

    @Override
    public Parsed<ResponsesInput> read(byte[] body) {
        throw new IllegalStateException("The Responses API reads its request with the exchange");
    }

    @Override
    public Parsed<ResponsesInput> read(byte[] body, RoutingContext exchange) {
        return exchange.get(READ);
    }

    @Override
    public String model(ResponsesInput input) {
        return input.request().model();
    }

    @Override
    public boolean stream(ResponsesInput input) {
        return input.stream();
    }

    @Override
    public OptionalInt maxOutputTokens(ResponsesInput input) {
        Integer max = input.request().maxOutputTokens();
        return max == null ? OptionalInt.empty() : OptionalInt.of(max);
    }

    @Override
    public void check(ResponsesInput input) {
        input.check(checks::chat);
    }

    @Override
    public ChatTranslation translate(ResponsesInput input, Deployment deployment, UnsupportedParams params) {
        return input.translate(deployment, params);
    }

    @Override
    public Uni<Answer> answer(Call<ChatTranslation> call) {
        ChatTranslation first = call.translation();
        RoutingContext exchange = call.exchange();
        Parsed<ResponsesInput> read = exchange.get(READ);
        ResponsesInput input = read.value();
        long created = Instant.now().getEpochSecond();
        ResponseEnvelope envelope = new ResponseEnvelope(input.request(), ResponseIds.of("resp"), created,
                call.model());
        List<String> dropped = input.dropped(first.droppedParams());
        String owner = owner(exchange);
        if (first.stream()) {
            ChunksToResponseEvents events = new ChunksToResponseEvents(input, envelope, seal);
            ConverseStreamToChunks chunks = new ConverseStreamToChunks(envelope.id(), created, call.model(), false,
                    first.structuredOutputTool());
            List<ObjectNode> start = events.start();
            return call.converseStream(ChatTranslation::streamRequest).map(stream -> {
                Multi<ObjectNode> answer = stream.onItem().invoke(event -> {
                    if (event instanceof ConverseStreamMetadataEvent metadata) {
                        events.used(metadata.usage());
                    }
                }).onItem().transformToIterable(chunks::onEvent)
                        .onItem().transformToIterable(events::onChunk);
                Multi<ObjectNode> end = Multi.createFrom().deferred(() -> {
                    List<ObjectNode> closing = new ArrayList<>(events.finish());
                    ObjectNode response = events.response();
                    return save(input, response, owner).onItem().transformToMulti(stored -> {
                        closing.add(events.finalEvent(response));
                        return Multi.createFrom().iterable(closing);
                    });
                });
                Multi<Buffer> frames = Multi.createBy().concatenating()
                        .streams(Multi.createFrom().iterable(start), answer, end)
                        .onFailure().recoverWithMulti(failure -> Multi.createFrom().iterable(
                                events.fail(BedrockErrors.toOpenAi(failure))))
                        .map(event -> NamedEvents.frame(event.get("type").textValue(), OpenAiJson.write(event)));
                return Answer.stream(Sse.EVENT_STREAM, headers(true, dropped, true), frames);
            });
        }
        return call.converse(ChatTranslation::request)
                .map(response -> ChatToResponse.toResponse(ConverseToChat.toChatCompletion(response, envelope.id(),
                        created, call.model(), first.structuredOutputTool()), response.usage(), input, envelope, seal))
                .chain(response -> save(input, response, owner).map(stored -> Answer.json("application/json",
                        headers(false, dropped, stored), OpenAiJson.write(response))));
    }

    /**
     * Stores the response when the request asked for it ({@code store}, true unless false); answers whether it is
     * stored as asked. A store that fails does not fail the answer: the client still gets its response, the
     * {@code x-bedrock-gateway-store: failed} header says it was not kept, and the failure is logged.
     */
    private Uni<Boolean> save(ResponsesInput input, ObjectNode response, String owner) {
        if (!input.request().stored()) {
            return Uni.createFrom().item(true);
        }
        ArrayNode context = input.context().deepCopy();
        response.withArray("output").forEach(context::add);
        StoredResponse stored = new StoredResponse(response.get("id").textValue(), owner,
                response.get("created_at").longValue(), OpenAiJson.write(response),
                OpenAiJson.write(input.inputItems()), OpenAiJson.write(context));
        return store.save(stored).replaceWith(true).onFailure().recoverWithItem(failure -> {
            LOG.warnf("Response %s was answered but not stored (%s): %s", stored.id(), store.kind(),
                    failure.getMessage());
            return false;
        });
    }

    /** OpenAI's answer headers, and {@link #STORE_HEADER} when the response could not be stored. */
    private static Map<String, String> headers(boolean stream, List<String> dropped, boolean stored) {
        Map<String, String> headers = OpenAiAnswers.headers(stream, dropped);
        if (stored) {
            return headers;
        }
        Map<String, String> withStore = new LinkedHashMap<>(headers);
        withStore.put(STORE_HEADER, "failed");
        return withStore;
    }

    private Uni<StoredResponse> stored(String id, RoutingContext context) {
        return store.find(id, owner(context)).map(found -> found.orElseThrow(() -> notFound(id)));
    }

    private static OpenAiException notFound(String id) {
        return new OpenAiException(404, ErrorTypes.INVALID_REQUEST, null, null,
                "Response with id '" + id + "' not found.");
    }

    /** The key the response belongs to. */
    private static String owner(RoutingContext context) {
        Caller caller = Caller.of(context);
        return caller == null || caller.keyId() == null ? "anonymous" : caller.keyId();
    }

    private static ArrayNode context(StoredResponse stored) {
        return (ArrayNode) json(stored.context());
    }

    private static JsonNode json(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("A stored response is not JSON", e);
        }
    }

    /** A page of items as OpenAI lists them: {@code after} an item id, newest first unless {@code asc}. */
    private static ObjectNode page(JsonNode items, int limit, boolean ascending, String after) {
        List<JsonNode> all = new ArrayList<>();
        items.forEach(all::add);
        if (!ascending) {
            java.util.Collections.reverse(all);
        }
        int from = 0;
        if (after != null) {
            for (int i = 0; i < all.size(); i++) {
                if (after.equals(all.get(i).path("id").asText())) {
                    from = i + 1;
                }
            }
        }
        int to = Math.min(all.size(), from + limit);
        ObjectNode page = NODES.objectNode().put("object", "list");
        ArrayNode data = page.putArray("data");
        all.subList(from, to).forEach(data::add);
        page.put("first_id", data.isEmpty() ? null : data.get(0).path("id").asText());
        page.put("last_id", data.isEmpty() ? null : data.get(data.size() - 1).path("id").asText());
        return page.put("has_more", to < all.size());
    }

    private static int limit(String value) {
        if (value == null) {
            return 20;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= 100) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw OpenAiException.invalidRequest("limit", ErrorTypes.CODE_INVALID_VALUE,
                "Invalid 'limit': expected an integer between 1 and 100.");
    }

    private static boolean order(String value) {
        if (value == null || value.equals("desc")) {
            return false;
        }
        if (value.equals("asc")) {
            return true;
        }
        throw OpenAiException.invalidRequest("order", ErrorTypes.CODE_INVALID_VALUE,
                "Invalid 'order': expected 'asc' or 'desc'.");
    }
}
