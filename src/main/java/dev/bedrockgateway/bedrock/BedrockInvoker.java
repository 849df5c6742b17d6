package dev.bedrockgateway.bedrock;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.config.GatewayConfig;
import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;

/**
 * The one place that calls Bedrock. Turns the SDK's futures and event streams into {@link Uni}s and
 * {@link Multi}s (cancelling either cancels the call) and every failure into an {@link OpenAiException} through
 * {@link BedrockErrors}.
 */
@ApplicationScoped
public class BedrockInvoker {

    private final BedrockClients clients;
    private final Duration idleTimeout;

    public BedrockInvoker(BedrockClients clients, GatewayConfig config) {
        this.clients = clients;
        this.idleTimeout = config.bedrock().streamIdleTimeout();
    }

    public Uni<ConverseResponse> converse(Deployment deployment, ConverseRequest request) {
        return Uni.createFrom().completionStage(() -> clients.forRegion(deployment.region()).converse(request))
                .onFailure().transform(BedrockErrors::toOpenAi);
    }

    /** InvokeModel with a model family's own JSON body (embeddings). */
    public Uni<InvokeModelResponse> invokeModel(Deployment deployment, byte[] body) {
        InvokeModelRequest request = InvokeModelRequest.builder().modelId(deployment.modelId())
                .contentType("application/json").accept("application/json").body(SdkBytes.fromByteArrayUnsafe(body))
                .build();
        return Uni.createFrom().completionStage(() -> clients.forRegion(deployment.region()).invokeModel(request))
                .onFailure().transform(BedrockErrors::toOpenAi);
    }

    /**
     * Starts a ConverseStream call. The {@link Uni} resolves with the first event — so a failure before it
     * (throttling, validation, a stalled start) is still an ordinary error the caller can answer with an HTTP
     * status — into the stream of all events, first included. After that, a failure or a silence longer than
     * {@code gateway.bedrock.stream-idle-timeout} fails the stream; cancelling it aborts the Bedrock call.
     */
    public Uni<Multi<ConverseStreamOutput>> converseStream(Deployment deployment, ConverseStreamRequest request) {
        return Uni.createFrom().<Multi<ConverseStreamOutput>>emitter(started -> {
            UnicastProcessor<ConverseStreamOutput> events = UnicastProcessor.create();
            AtomicReference<CompletableFuture<Void>> call = new AtomicReference<>();
            AtomicBoolean first = new AtomicBoolean(true);
            // Any end but a normal one (client gone, idle timeout, failure) aborts the Bedrock call.
            Multi<ConverseStreamOutput> stream = events
                    .ifNoItem().after(idleTimeout).failWith(BedrockInvoker::stalled)
                    .onTermination().invoke((failure, cancelled) -> {
                        if (failure != null || cancelled) {
                            cancel(call);
                        }
                    });
            ConverseStreamResponseHandler handler = ConverseStreamResponseHandler.builder()
                    .subscriber(event -> {
                        events.onNext(event);
                        if (first.compareAndSet(true, false)) {
                            started.complete(stream);
                        }
                    })
                    .build();
            started.onTermination(() -> {
                if (first.get()) {
                    cancel(call);
                }
            });
            CompletableFuture<Void> future = clients.forRegion(deployment.region()).converseStream(request, handler);
            call.set(future);
            future.whenComplete((done, failure) -> {
                if (failure == null) {
                    events.onComplete();
                    if (first.compareAndSet(true, false)) {
                        started.complete(stream);
                    }
                    return;
                }
                OpenAiException error = BedrockErrors.toOpenAi(failure);
                if (first.compareAndSet(true, false)) {
                    started.fail(error);
                } else {
                    events.onError(error);
                }
            });
        }).ifNoItem().after(idleTimeout).failWith(BedrockInvoker::stalled);
    }

    private static void cancel(AtomicReference<CompletableFuture<Void>> call) {
        CompletableFuture<Void> future = call.get();
        if (future != null) {
            future.cancel(true);
        }
    }

    private static OpenAiException stalled() {
        return new OpenAiException(504, ErrorTypes.SERVER, "timeout",
                null, "The Bedrock stream stalled: no event within the gateway's stream idle timeout.");
    }
}
