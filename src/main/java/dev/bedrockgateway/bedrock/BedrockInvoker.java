package dev.bedrockgateway.bedrock;

import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.CountTokensRequest;
import software.amazon.awssdk.services.bedrockruntime.model.CountTokensResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ResponseStream;

/**
 * The one place the API surfaces call Bedrock through, in the SDK's model classes: a request is written by the SDK's
 * own generated marshaller ({@link BedrockProtocol}), signed with the SDK's SigV4 signer and sent through the shared
 * HTTP client by {@link BedrockRelay}, and the answer or each event read by the SDK's own unmarshallers. That is what
 * the SDK's client does, without its request pipeline around it (interceptors, endpoint rules, auth scheme resolution,
 * metrics, layered event-stream publishers), which cost about 0.5 ms of CPU per stream before its request left
 * (docs/performance/investigations.md). Answers are {@link Uni}s and {@link Multi}s (cancelling either cancels the
 * call), and every failure an {@link OpenAiException} through {@link BedrockErrors}.
 *
 * <p>Time limits: a call answered in one piece is bounded by the request timeout (the catalog's
 * {@code request_timeout} when it sets one), and so is a whole stream, as the SDK's API call timeout bounded it; a
 * stream's first event must come within {@code gateway.bedrock.first-byte-timeout}, and no later silence may last
 * longer than {@code gateway.bedrock.stream-idle-timeout}.
 */
@ApplicationScoped
public class BedrockInvoker {

    private final BedrockRelay relay;
    private final BedrockProtocol protocol = new BedrockProtocol();

    public BedrockInvoker(BedrockRelay relay) {
        this.relay = relay;
    }

    public Uni<ConverseResponse> converse(Deployment deployment, ConverseRequest request) {
        return call(deployment, () -> protocol.converse(request), protocol::converseResponse);
    }

    /** InvokeModel with a model family's own JSON body (embeddings). */
    public Uni<InvokeModelResponse> invokeModel(Deployment deployment, byte[] body) {
        return invokeModel(deployment, SdkBytes.fromByteArrayUnsafe(body));
    }

    /** InvokeModel with Anthropic's Messages body in Bedrock's form, or another model family's own body. */
    public Uni<InvokeModelResponse> invokeModel(Deployment deployment, SdkBytes body) {
        InvokeModelRequest request = InvokeModelRequest.builder().modelId(deployment.modelId())
                .contentType("application/json").accept("application/json").body(body).build();
        return call(deployment, () -> protocol.invokeModel(request), protocol::invokeModelResponse);
    }

    /** CountTokens: what Bedrock counts as the input of a request, without running it. */
    public Uni<CountTokensResponse> countTokens(Deployment deployment, CountTokensRequest request) {
        return call(deployment, () -> protocol.countTokens(request), protocol::countTokensResponse);
    }

    /** Starts a ConverseStream call; see {@link #stream}. */
    public Uni<Multi<ConverseStreamOutput>> converseStream(Deployment deployment, ConverseStreamRequest request) {
        return stream(deployment, () -> protocol.converseStream(request), protocol::converseStreamEvent);
    }

    /**
     * Starts an InvokeModelWithResponseStream call with a model family's own body; its events are the model's own
     * (for Claude, Anthropic's stream events, one per chunk). See {@link #stream}.
     */
    public Uni<Multi<ResponseStream>> invokeModelStream(Deployment deployment, SdkBytes body) {
        InvokeModelWithResponseStreamRequest request = InvokeModelWithResponseStreamRequest.builder()
                .modelId(deployment.modelId()).contentType("application/json").accept("application/json").body(body)
                .build();
        return stream(deployment, () -> protocol.invokeModelStream(request), protocol::invokeModelStreamEvent);
    }

    /** A call answered in one piece; the request is marshalled when the call is made, once per attempt. */
    private <R> Uni<R> call(Deployment deployment, Supplier<BedrockRelay.Request> request,
            Function<BedrockRelay.Reply, R> answer) {
        return Uni.createFrom().deferred(() -> relay.call(deployment, request.get()))
                .map(answer)
                .onFailure().transform(BedrockErrors::toOpenAi);
    }

    /**
     * A streaming call. The {@link Uni} resolves with the first event — so a failure before it (throttling,
     * validation, an exception frame, no first event within {@code gateway.bedrock.first-byte-timeout}) is still an
     * ordinary error the router may retry and the caller can answer with an HTTP status — into the stream of all
     * events, first included. After that, an exception frame (Bedrock failing mid-stream) fails the stream as the SDK's
     * exception for it would, a silence longer than {@code gateway.bedrock.stream-idle-timeout} as
     * {@link #stalledMidStream}, the request timeout as the SDK's API call timeout, and an {@code error} message (the
     * event stream's own failure) as a broken connection; cancelling it aborts the Bedrock call.
     */
    private <E> Uni<Multi<E>> stream(Deployment deployment, Supplier<BedrockRelay.Request> request,
            Function<EventFrame, E> event) {
        return Uni.createFrom().deferred(() -> relay.open(deployment, request.get(), relay.requestTimeout()))
                .map(stream -> events(stream, event))
                .onFailure().transform(BedrockErrors::toOpenAi);
    }

    private static <E> Multi<E> events(BedrockRelay.Stream stream, Function<EventFrame, E> event) {
        String requestId = stream.headers().get(BedrockRelay.REQUEST_ID);
        return stream.frames().map(frame -> {
            String type = frame.messageType();
            if ("event".equals(type)) {
                return event.apply(frame);
            }
            if (frame.isException()) {
                throw BedrockErrors.fromBedrock(frame.exceptionType(), 0, BedrockRelay.message(frame.payload()),
                        requestId);
            }
            throw SdkClientException.create("Bedrock's stream sent a message of type " + type + ".");
        }).onFailure().transform(failure -> failure instanceof BedrockRelay.StreamStalled ? stalledMidStream()
                : BedrockErrors.toOpenAi(failure));
    }

    private static OpenAiException stalledMidStream() {
        return new OpenAiException(504, ErrorTypes.SERVER, "timeout",
                null, "The Bedrock stream stalled: no event within the gateway's stream idle timeout.");
    }
}
