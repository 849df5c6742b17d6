package dev.bedrockgateway.api;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import dev.bedrockgateway.bedrock.BedrockInvoker;
import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.observability.GatewayMetrics;
import dev.bedrockgateway.observability.RequestRecord;
import dev.bedrockgateway.routing.BedrockRouter;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * Converse and ConverseStream calls of chat and legacy completions, routed to a deployment by the
 * {@link BedrockRouter}, with what the gateway notes while Bedrock answers: time to first token and the tokens used.
 * The request is built per deployment, as a group sibling or a fallback may need another translation.
 */
@ApplicationScoped
class RoutedConverse {

    private final BedrockInvoker bedrock;
    private final BedrockRouter router;
    private final GatewayMetrics metrics;

    RoutedConverse(BedrockInvoker bedrock, BedrockRouter router, GatewayMetrics metrics) {
        this.bedrock = bedrock;
        this.router = router;
        this.metrics = metrics;
    }

    /** One Converse call; its usage is recorded once it answered. */
    Uni<ConverseResponse> converse(RequestRecord record, String model, Function<Deployment, ConverseRequest> request) {
        return router.route(record, model, d -> bedrock.converse(d, request.apply(d)), null)
                .invoke(response -> usage(record, response.usage()));
    }

    /**
     * One ConverseStream call, resolved with its first event. The deployment's slot is held until the stream ends,
     * and the stream ends with the exchange at the latest.
     */
    Uni<Multi<ConverseStreamOutput>> stream(RequestRecord record, String model,
            Function<Deployment, ConverseStreamRequest> request) {
        return router.<Multi<ConverseStreamOutput>>route(record, model,
                d -> bedrock.converseStream(d, request.apply(d)),
                (events, release) -> events.onTermination().invoke(release))
                .map(events -> observed(endedWithExchange(events, record), record));
    }

    /** Passes the events on unchanged, noting the first content delta (TTFT) and the usage in the metadata event. */
    private Multi<ConverseStreamOutput> observed(Multi<ConverseStreamOutput> events, RequestRecord record) {
        return events.onItem().invoke(event -> {
            if (event instanceof ContentBlockDeltaEvent && record.firstToken(System.nanoTime())) {
                metrics.timeToFirstToken(record.endpoint(), record.model(), record.bedrockModel(),
                        record.timeToFirstTokenNanos());
            } else if (event instanceof ConverseStreamMetadataEvent metadata) {
                usage(record, metadata.usage());
            }
        });
    }

    /**
     * Makes sure the Bedrock stream ends with the exchange: when the client is gone before the HTTP layer subscribed
     * to the answer, nobody would ever cancel it, and the Bedrock call would run on, holding its deployment slot.
     */
    private static Multi<ConverseStreamOutput> endedWithExchange(Multi<ConverseStreamOutput> events,
            RequestRecord record) {
        AtomicBoolean subscribed = new AtomicBoolean();
        record.onEnd(() -> {
            if (subscribed.compareAndSet(false, true)) {
                events.subscribe().with(item -> { }, failure -> { }).cancel();
            }
        });
        return events.onSubscription().invoke(() -> subscribed.set(true));
    }

    private void usage(RequestRecord record, TokenUsage usage) {
        if (usage != null) {
            router.recordUsage(record, record.deployment(), nullToZero(usage.inputTokens()),
                    nullToZero(usage.outputTokens()));
        }
    }

    private static int nullToZero(Integer value) {
        return value == null ? 0 : value;
    }
}
