package dev.bedrockgateway.api.openai;

import com.fasterxml.jackson.databind.ObjectReader;

import dev.bedrockgateway.api.Answer;
import dev.bedrockgateway.openai.OpenAiJson;
import dev.bedrockgateway.openai.OpenAiRequest;
import dev.bedrockgateway.pipeline.Parsed;
import dev.bedrockgateway.pipeline.Pipeline;
import dev.bedrockgateway.pipeline.Surface;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * What OpenAI's endpoints share as {@link Surface}s: the body read in OpenAI's wire format, the model and the stream
 * flag it names. Each endpoint adds its path, its translator and its writer.
 */
abstract class OpenAiEndpoint<Q extends OpenAiRequest, T> implements Surface<Q, T> {

    private final Pipeline pipeline;
    private final ObjectReader reader;

    OpenAiEndpoint(Pipeline pipeline, Class<Q> type) {
        this.pipeline = pipeline;
        this.reader = OpenAiJson.readerFor(type);
    }

    /** Hands the request to the pipeline. */
    Uni<Answer> serve(byte[] body, RoutingContext context) {
        return pipeline.serve(context, body, this);
    }

    @Override
    public Parsed<Q> read(byte[] body) {
        return OpenAiJson.parse(reader, body);
    }

    @Override
    public String model(Q request) {
        return request.model();
    }

    @Override
    public boolean stream(Q request) {
        return Boolean.TRUE.equals(request.stream());
    }
}
