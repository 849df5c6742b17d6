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

    private static final String CONTENT_LENGTH = "Content-Length";
    private static final String TRANSFER_ENCODING = "Transfer-Encoding";

    static Answer json(List<String> droppedParams, Object document) {
        byte[] json = OpenAiJson.write(document);
        Map<String, List<String>> headers = Sse.headers(false, droppedParams);
        // RESTEasy streams a RestMulti chunked; for one document of known length the answer is sent with its
        // Content-Length instead: headers and body leave in one write, with no terminating chunk after them, so a
        // client has the whole answer one packet and one wake-up sooner. Setting the header to no values removes
        // the Transfer-Encoding that the streaming handler put there (Vert.x encodes by the headers).
        headers.put(CONTENT_LENGTH, List.of(Integer.toString(json.length)));
        headers.put(TRANSFER_ENCODING, List.of());
        return new Answer(headers, Multi.createFrom().item(Buffer.buffer(json)));
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
