package dev.bedrockgateway.api;

import java.util.List;
import java.util.Map;

import org.jboss.resteasy.reactive.RestMulti;

import dev.bedrockgateway.observability.GatewayMetrics;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;

/**
 * A response decided once Bedrock answered: headers, and a body that is one JSON document or an SSE stream.
 * Resources return {@link #respond}, so nothing is sent before the answer exists and an earlier failure goes
 * through the error mapper as an ordinary HTTP error.
 */
record Answer(Map<String, List<String>> headers, Multi<Buffer> body) {

    static Answer json(List<String> droppedParams, Object document) {
        return new Answer(Sse.headers(false, droppedParams),
                Multi.createFrom().item(Buffer.buffer(OpenAiJson.write(document))));
    }

    /** An SSE answer; the stream counts in {@code gateway_streams_in_flight} while the client reads it. */
    static Answer sse(List<String> droppedParams, Multi<?> chunks, GatewayMetrics metrics) {
        return new Answer(Sse.headers(true, droppedParams), Sse.frames(chunks)
                .onSubscription().invoke(metrics::streamOpened)
                .onTermination().invoke(metrics::streamClosed));
    }

    static RestMulti<Buffer> respond(Uni<Answer> answer) {
        return RestMulti.fromUniResponse(answer, Answer::body, Answer::headers);
    }
}
