package dev.bedrockgateway.bedrock;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.catalog.ModelCatalog;
import dev.bedrockgateway.config.GatewayConfig;
import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.vertx.core.Vertx;
import software.amazon.awssdk.awscore.AwsRequest;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.CountTokensRequest;
import software.amazon.awssdk.services.bedrockruntime.model.CountTokensResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.ResponseStream;

/**
 * The one place that calls Bedrock through the SDK's clients (Bedrock's own API, relayed unchanged on
 * {@code /bedrock/}, goes through {@link BedrockRelay} instead). Turns the SDK's futures and event streams into
 * {@link Uni}s and {@link Multi}s (cancelling either cancels the call) and every failure into an
 * {@link OpenAiException} through {@link BedrockErrors}.
 */
@ApplicationScoped
public class BedrockInvoker {

    private final BedrockClients clients;
    private final ModelCatalog catalog;
    private final Duration idleTimeout;
    private final Duration firstByteTimeout;
    private final Vertx vertx;

    public BedrockInvoker(BedrockClients clients, ModelCatalog catalog, GatewayConfig config, Vertx vertx) {
        this.clients = clients;
        this.vertx = vertx;
        this.catalog = catalog;
        this.idleTimeout = config.bedrock().streamIdleTimeout();
        this.firstByteTimeout = config.bedrock().firstByteTimeout();
    }

    /** The catalog's {@code request_timeout}, when it sets one, bounds the call instead of the client's default. */
    @SuppressWarnings("unchecked")
    private <R extends AwsRequest> R bounded(R request) {
        Optional<Duration> timeout = catalog.current().settings().requestTimeout();
        if (timeout.isEmpty()) {
            return request;
        }
        AwsRequestOverrideConfiguration override = request.overrideConfiguration()
                .map(AwsRequestOverrideConfiguration::toBuilder).orElseGet(AwsRequestOverrideConfiguration::builder)
                .apiCallTimeout(timeout.get()).build();
        return (R) request.toBuilder().overrideConfiguration(override).build();
    }

    public Uni<ConverseResponse> converse(Deployment deployment, ConverseRequest request) {
        ConverseRequest bounded = bounded(request);
        return Uni.createFrom().completionStage(() -> clients.forRegion(deployment.region()).converse(bounded))
                .onFailure().transform(BedrockErrors::toOpenAi);
    }

    /** InvokeModel with a model family's own JSON body (embeddings). */
    public Uni<InvokeModelResponse> invokeModel(Deployment deployment, byte[] body) {
        return invokeModel(deployment, SdkBytes.fromByteArrayUnsafe(body));
    }

    /** InvokeModel with Anthropic's Messages body in Bedrock's form, or another model family's own body. */
    public Uni<InvokeModelResponse> invokeModel(Deployment deployment, SdkBytes body) {
        InvokeModelRequest request = bounded(InvokeModelRequest.builder().modelId(deployment.modelId())
                .contentType("application/json").accept("application/json").body(body).build());
        return Uni.createFrom().completionStage(() -> clients.forRegion(deployment.region()).invokeModel(request))
                .onFailure().transform(BedrockErrors::toOpenAi);
    }

    /** CountTokens: what Bedrock counts as the input of a request, without running it. */
    public Uni<CountTokensResponse> countTokens(Deployment deployment, CountTokensRequest given) {
        CountTokensRequest request = bounded(given);
        return Uni.createFrom().completionStage(() -> clients.forRegion(deployment.region()).countTokens(request))
                .onFailure().transform(BedrockErrors::toOpenAi);
    }

    /** Starts a ConverseStream call; see {@link #stream}. */
    public Uni<Multi<ConverseStreamOutput>> converseStream(Deployment deployment, ConverseStreamRequest given) {
        ConverseStreamRequest request = bounded(given);
        return stream(events -> clients.forRegion(deployment.region()).converseStream(request,
                ConverseStreamResponseHandler.builder().subscriber(events::accept).build()));
    }

    /**
     * Starts an InvokeModelWithResponseStream call with a model family's own body; its events are the model's own
     * (for Claude, Anthropic's stream events, one per chunk). See {@link #stream}.
     */
    public Uni<Multi<ResponseStream>> invokeModelStream(Deployment deployment, SdkBytes body) {
        InvokeModelWithResponseStreamRequest request = bounded(InvokeModelWithResponseStreamRequest.builder()
                .modelId(deployment.modelId()).contentType("application/json").accept("application/json").body(body)
                .build());
        return stream(events -> clients.forRegion(deployment.region()).invokeModelWithResponseStream(request,
                InvokeModelWithResponseStreamResponseHandler.builder().subscriber(events::accept).build()));
    }

    /**
     * A streaming call. The {@link Uni} resolves with the first event — so a failure before it (throttling,
     * validation, no first event within {@code gateway.bedrock.first-byte-timeout}) is still an ordinary error the
     * router may retry and the caller can answer with an HTTP status — into the stream of all events, first included.
     * After that, a failure or a silence longer than {@code gateway.bedrock.stream-idle-timeout} fails the stream;
     * cancelling it aborts the Bedrock call.
     *
     * @param start starts the SDK call, handing each event to the consumer it is given
     */
    private <E> Uni<Multi<E>> stream(Function<Consumer<E>, CompletableFuture<Void>> start) {
        return Uni.createFrom().<Multi<E>>emitter(started -> {
            UnicastProcessor<E> events = UnicastProcessor.create();
            AtomicReference<CompletableFuture<Void>> call = new AtomicReference<>();
            AtomicBoolean first = new AtomicBoolean(true);
            // Any end but a normal one (client gone, idle timeout, failure) aborts the Bedrock call.
            Multi<E> stream = IdleTimeout.failWhenIdle(events, idleTimeout, BedrockInvoker::stalledMidStream, vertx)
                    .onTermination().invoke((failure, cancelled) -> {
                        if (failure != null || cancelled) {
                            cancel(call);
                        }
                    });
            started.onTermination(() -> {
                if (first.get()) {
                    cancel(call);
                }
            });
            CompletableFuture<Void> future = start.apply(event -> {
                events.onNext(event);
                if (first.compareAndSet(true, false)) {
                    started.complete(stream);
                }
            });
            call.set(future);
            future.whenComplete((done, failure) -> {
                if (failure == null) {
                    events.onComplete();
                    if (first.compareAndSet(true, false)) {
                        started.complete(stream);
                    }
                    return;
                }
                if (isCancellation(failure)) {
                    // We cancelled it (client gone, timeout): nobody is listening for this ending any more.
                    return;
                }
                OpenAiException error = BedrockErrors.toOpenAi(failure);
                if (first.compareAndSet(true, false)) {
                    started.fail(error);
                } else {
                    events.onError(error);
                }
            });
        }).ifNoItem().after(firstByteTimeout).on(LoopScheduler.current()).failWith(BedrockInvoker::noFirstEvent);
    }

    private static boolean isCancellation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CancellationException) {
                return true;
            }
        }
        return false;
    }

    private static void cancel(AtomicReference<CompletableFuture<Void>> call) {
        CompletableFuture<Void> future = call.get();
        if (future != null) {
            future.cancel(true);
        }
    }

    private static OpenAiException stalledMidStream() {
        return new OpenAiException(504, ErrorTypes.SERVER, "timeout",
                null, "The Bedrock stream stalled: no event within the gateway's stream idle timeout.");
    }

    /** The failure of a stream whose first event did not come in time: retried, as nothing was relayed yet. */
    static OpenAiException noFirstEvent() {
        return new UpstreamFailure(504, ErrorTypes.SERVER, "timeout",
                "Bedrock did not start answering within the gateway's first-byte timeout.", null, null, true);
    }
}
