package dev.bedrockgateway.api.bedrock;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.bedrockgateway.api.Answer;
import dev.bedrockgateway.bedrock.BedrockRelay;
import dev.bedrockgateway.bedrock.EventFrame;
import dev.bedrockgateway.catalog.BedrockModelIds;
import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.catalog.ModelCatalog;
import dev.bedrockgateway.config.GatewayConfig;
import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.pipeline.Call;
import dev.bedrockgateway.pipeline.Parsed;
import dev.bedrockgateway.pipeline.Pipeline;
import dev.bedrockgateway.pipeline.Surface;
import dev.bedrockgateway.translate.UnsupportedParams;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * Bedrock's own runtime API behind the gateway, for clients that speak it (the AWS SDKs and Claude Code with an
 * endpoint override {@code <gateway>/bedrock} and a gateway key as their Bedrock API key): {@code POST
 * /bedrock/model/{modelId}/invoke}, {@code /invoke-with-response-stream}, {@code /converse}, {@code /converse-stream}
 * and {@code /count-tokens}. The model id is a model name of the catalog, or a Bedrock model id one of its deployments
 * uses ({@link ModelCatalog#modelNameOf}); the request is governed like any other (key, model access, limits, budget,
 * routing) and relayed byte for byte to the deployment the router picks ({@link BedrockRelay}), with the deployment's
 * own model id in the path. Failures are written in Bedrock's error shape ({@link BedrockApiErrors}).
 * docs/bedrock-routes.md.
 */
@Path("/bedrock/model")
public class BedrockRuntimeResource {

    private final Pipeline pipeline;
    private final BedrockRelay relay;
    private final ModelCatalog catalog;
    private final int maxOutputTokens;

    public BedrockRuntimeResource(Pipeline pipeline, BedrockRelay relay, ModelCatalog catalog, GatewayConfig config) {
        this.pipeline = pipeline;
        this.relay = relay;
        this.catalog = catalog;
        this.maxOutputTokens = config.limits().maxOutputTokens().orElse(Integer.MAX_VALUE);
    }

    /**
     * Every operation: the path is read here rather than by JAX-RS templates, as the model id may hold encoded
     * slashes (ARNs) and colons. Any body and media type: it is Bedrock's to judge.
     */
    @POST
    @Path("{operation: .+}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.WILDCARD)
    public Uni<Answer> serve(byte[] body, RoutingContext context) {
        BedrockPath path = BedrockPath.parse(context.request().path());
        return pipeline.serve(context, body == null ? new byte[0] : body, new Operation(path));
    }

    /**
     * A request as read: its operation, the catalog's model name it resolved to, and what is relayed.
     *
     * @param headers the client's headers that go to Bedrock: {@code Content-Type} and {@code Accept} (JSON unless
     *        it said) and its {@code X-Amzn-Bedrock-*} headers (guardrails, trace, performance configuration, ...)
     */
    record Request(BedrockOperation operation, String model, byte[] body, Map<String, String> headers,
            OptionalInt maxTokens) {
    }

    /** One operation on one path, as the pipeline's surface. */
    private final class Operation implements Surface<Request, BedrockRelay.Request> {

        private final BedrockPath path;

        Operation(BedrockPath path) {
            this.path = path;
        }

        @Override
        public String endpoint() {
            return path.operation().endpoint();
        }

        @Override
        public Parsed<Request> read(byte[] body) {
            return read(body, MultiMap.caseInsensitiveMultiMap());
        }

        @Override
        public Parsed<Request> read(byte[] body, RoutingContext exchange) {
            return read(body, exchange.request().headers());
        }

        private Parsed<Request> read(byte[] body, MultiMap given) {
            if (body.length == 0) {
                // Every operation takes a body; Bedrock would refuse it the same way, after admission and a round trip.
                throw OpenAiException.invalidRequest("body", "The request body is empty.");
            }
            BedrockOperation operation = path.operation();
            OptionalInt maxTokens = operation == BedrockOperation.COUNT_TOKENS ? OptionalInt.of(0)
                    : BedrockBodies.maxTokens(body);
            return new Parsed<>(new Request(operation, catalog.modelNameOf(path.modelId()), body,
                    relayedHeaders(given, operation.stream() ? BedrockRelay.EVENT_STREAM : MediaType.APPLICATION_JSON),
                    maxTokens), List.of());
        }

        @Override
        public String model(Request request) {
            return request.model();
        }

        @Override
        public boolean stream(Request request) {
            return request.operation().stream();
        }

        /** Any model of the catalog: InvokeModel serves embedding models too. */
        @Override
        public Deployment resolve(ModelCatalog models, String model) {
            return models.resolve(model).get(0);
        }

        @Override
        public OptionalInt maxOutputTokens(Request request) {
            return request.maxTokens();
        }

        @Override
        public void check(Request request) {
            OptionalInt asked = request.maxTokens();
            if (asked.isPresent() && asked.getAsInt() > maxOutputTokens) {
                throw OpenAiException.invalidRequest("maxTokens", ErrorTypes.CODE_INVALID_VALUE, "The request asks for "
                        + asked.getAsInt() + " output tokens, above this gateway's limit of " + maxOutputTokens + ".");
            }
        }

        /**
         * The same request for a deployment: its model id in the path; for CountTokens, which takes foundation model
         * ids only, the base model of a cross-region profile id.
         */
        @Override
        public BedrockRelay.Request translate(Request request, Deployment deployment, UnsupportedParams params) {
            String modelId = request.operation() == BedrockOperation.COUNT_TOKENS
                    ? BedrockModelIds.withoutProfilePrefix(deployment.modelId()) : deployment.modelId();
            return new BedrockRelay.Request(request.operation().path(), modelId, request.body(), request.headers());
        }

        @Override
        public Uni<Answer> answer(Call<BedrockRelay.Request> call) {
            BedrockOperation operation = path.operation();
            return operation.stream() ? BedrockRuntimeResource.this.stream(call, operation)
                    : json(call, operation);
        }
    }

    private Uni<Answer> json(Call<BedrockRelay.Request> call, BedrockOperation operation) {
        return call.route(relay::call, null).map(reply -> {
            TokenUsage usage = switch (operation) {
                case INVOKE -> BedrockBodies.invokeUsage(reply.headers());
                case CONVERSE -> BedrockBodies.usage(reply.body());
                default -> null;  // a count costs nothing
            };
            if (usage != null) {
                call.used(usage);
            }
            return Answer.json(reply.contentType(), reply.headers(), reply.body());
        });
    }

    /** The frames as Bedrock sent them, read on their way for the first content and the tokens. */
    private Uni<Answer> stream(Call<BedrockRelay.Request> call, BedrockOperation operation) {
        return call.routeStream((deployment, request) -> relay.stream(deployment, request).map(stream -> {
            StreamMeter meter = new StreamMeter(call, operation);
            Multi<Buffer> frames = stream.frames().onItem().invoke(meter::onFrame)
                    // Also when the stream fails or the client leaves: what Claude reported so far was used.
                    .onTermination().invoke(meter::onEnd)
                    .map(EventFrame::bytes);
            return Answer.stream(stream.contentType(), stream.headers(), frames);
        }));
    }

    /**
     * Per stream: notes the first content (time to first token) and the tokens Bedrock reports, once: ConverseStream's
     * {@code metadata} event; InvokeModelWithResponseStream's invocation metrics in its last chunk, or, for a Claude
     * stream that ends before them (the client left, the stream failed), Claude's own counts so far.
     */
    private static final class StreamMeter {
        private final Call<?> call;
        private final BedrockOperation operation;
        private boolean content;
        private boolean metered;
        private TokenUsage started;
        private Integer outputSoFar;

        StreamMeter(Call<?> call, BedrockOperation operation) {
            this.call = call;
            this.operation = operation;
        }

        void onFrame(EventFrame frame) {
            String type = frame.eventType();
            if (type == null || frame.isException() || metered) {
                return;
            }
            if (operation == BedrockOperation.CONVERSE_STREAM) {
                if (!content && type.equals("contentBlockDelta")) {
                    content = true;
                    call.firstToken();
                } else if (type.equals("metadata")) {
                    used(BedrockBodies.usage(frame.payload()));
                }
            } else if (type.equals("chunk")) {
                BedrockBodies.Chunk chunk = BedrockBodies.chunk(frame.payload());
                if (!content && chunk.content()) {
                    content = true;
                    call.firstToken();
                }
                if (chunk.started() != null) {
                    started = chunk.started();
                }
                if (chunk.outputSoFar() != null) {
                    outputSoFar = chunk.outputSoFar();
                }
                used(chunk.usage());
            }
        }

        void onEnd() {
            if (!metered && started != null) {
                used(outputSoFar == null ? started : started.toBuilder().outputTokens(outputSoFar).build());
            }
        }

        private void used(TokenUsage usage) {
            if (usage != null) {
                metered = true;
                call.used(usage);
            }
        }
    }

    /**
     * {@code Content-Type} and {@code Accept} as the client sent them (otherwise JSON, and for a stream's
     * {@code Accept} the event stream it answers with), and its Bedrock headers.
     */
    static Map<String, String> relayedHeaders(MultiMap given, String defaultAccept) {
        Map<String, String> headers = new LinkedHashMap<>();
        String contentType = given.get("Content-Type");
        String accept = given.get("Accept");
        headers.put("Content-Type", contentType == null || contentType.isBlank() ? MediaType.APPLICATION_JSON
                : contentType);
        headers.put("Accept", accept == null || accept.isBlank() ? defaultAccept : accept);
        for (Map.Entry<String, String> header : given) {
            if (header.getKey().toLowerCase(Locale.ROOT).startsWith("x-amzn-bedrock-")) {
                headers.merge(header.getKey(), header.getValue(), (a, b) -> a + "," + b);
            }
        }
        return headers;
    }
}
