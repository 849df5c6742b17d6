package dev.bedrockgateway.api;

import java.util.List;
import java.util.Map;

import org.jboss.resteasy.reactive.RestMulti;

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

    static Answer sse(List<String> droppedParams, Multi<?> chunks) {
        return new Answer(Sse.headers(true, droppedParams), Sse.frames(chunks));
    }

    static RestMulti<Buffer> respond(Uni<Answer> answer) {
        return RestMulti.fromUniResponse(answer, Answer::body, Answer::headers);
    }
}
