package dev.bedrockgateway.api.anthropic;

import java.util.List;

import dev.bedrockgateway.anthropic.AnthropicJson;
import dev.bedrockgateway.anthropic.MessagesRequest;
import dev.bedrockgateway.api.Answer;
import dev.bedrockgateway.bedrock.BedrockInvoker;
import dev.bedrockgateway.pipeline.Parsed;
import dev.bedrockgateway.pipeline.Pipeline;
import dev.bedrockgateway.pipeline.Surface;
import dev.bedrockgateway.translate.claude.ClaudeFeatures;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * What Anthropic's endpoints share as {@link Surface}s: the request read as Anthropic's API reads it, with its
 * {@code anthropic-beta} header, and the model it names. Each endpoint adds its path, its translation and its writer.
 */
abstract class MessagesEndpoint<T> implements Surface<MessagesRequest, T> {

    static final String ANTHROPIC_BETA = "anthropic-beta";

    final BedrockInvoker bedrock;
    final ClaudeFeatures features;
    private final Pipeline pipeline;
    private final boolean countTokens;

    MessagesEndpoint(Pipeline pipeline, BedrockInvoker bedrock, ClaudeFeatures features, boolean countTokens) {
        this.pipeline = pipeline;
        this.bedrock = bedrock;
        this.features = features;
        this.countTokens = countTokens;
    }

    Uni<Answer> serve(byte[] body, RoutingContext context) {
        return pipeline.serve(context, body, this);
    }

    @Override
    public Parsed<MessagesRequest> read(byte[] body) {
        return read(body, (String) null);
    }

    @Override
    public Parsed<MessagesRequest> read(byte[] body, RoutingContext exchange) {
        return read(body, exchange.request().getHeader(ANTHROPIC_BETA));
    }

    private Parsed<MessagesRequest> read(byte[] body, String betaHeader) {
        return new Parsed<>(MessagesRequest.of(AnthropicJson.readObject(body), betaHeader, countTokens), List.of());
    }

    @Override
    public String model(MessagesRequest request) {
        return request.model();
    }

    @Override
    public boolean stream(MessagesRequest request) {
        return request.stream();
    }
}
