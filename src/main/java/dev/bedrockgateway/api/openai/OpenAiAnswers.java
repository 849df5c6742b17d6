package dev.bedrockgateway.api.openai;

import java.util.List;
import java.util.Map;

import dev.bedrockgateway.api.Answer;
import dev.bedrockgateway.openai.OpenAiJson;
import io.smallrye.mutiny.Multi;

/** OpenAI's answers: JSON documents, and server-sent events as OpenAI writes them ({@link Sse}). */
public final class OpenAiAnswers {

    /** Names the request options dropped under {@code litellm_settings.drop_params: true}. */
    public static final String DROPPED_PARAMS_HEADER = "x-bedrock-gateway-dropped-params";

    private OpenAiAnswers() {
    }

    static Answer json(List<String> droppedParams, Object document) {
        return Answer.json("application/json", headers(false, droppedParams), OpenAiJson.write(document));
    }

    /**
     * The chunks, each list of them (one Bedrock event's) as {@code data:} frames in one buffer, then
     * {@code data: [DONE]}, or an error frame if the stream fails.
     */
    static Answer sse(List<String> droppedParams, Multi<? extends List<?>> chunks) {
        return Answer.stream(Sse.EVENT_STREAM, headers(true, droppedParams), Sse.frames(chunks));
    }

    /** Response headers besides the media type: no caching for streams, and the dropped parameters if any. */
    static Map<String, String> headers(boolean stream, List<String> droppedParams) {
        return Answer.headers(stream, DROPPED_PARAMS_HEADER,
                droppedParams.isEmpty() ? null : String.join(",", droppedParams));
    }
}
