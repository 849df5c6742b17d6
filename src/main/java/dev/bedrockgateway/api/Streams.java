package dev.bedrockgateway.api;

import java.util.concurrent.atomic.AtomicBoolean;

import dev.bedrockgateway.observability.GatewayMetrics;
import dev.bedrockgateway.observability.RequestRecord;
import dev.bedrockgateway.routing.BedrockRouter;
import io.smallrye.mutiny.Multi;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/** What the gateway notes while Bedrock answers: time to first token, and the tokens used. */
final class Streams {

    private Streams() {
    }

    /** Passes the events on unchanged, noting the first content delta (TTFT) and the usage in the metadata event. */
    static Multi<ConverseStreamOutput> observed(Multi<ConverseStreamOutput> events, RequestRecord record,
            BedrockRouter router, GatewayMetrics metrics) {
        return events.onItem().invoke(event -> {
            if (event instanceof ContentBlockDeltaEvent && record.firstToken(System.nanoTime())) {
                metrics.timeToFirstToken(record.endpoint(), record.model(), record.bedrockModel(),
                        record.timeToFirstTokenNanos());
            } else if (event instanceof ConverseStreamMetadataEvent metadata) {
                usage(record, router, metadata.usage());
            }
        });
    }

    /**
     * Makes sure the Bedrock stream ends with the exchange: when the client is gone before the HTTP layer subscribed
     * to the answer, nobody would ever cancel it, and the Bedrock call would run on, holding its deployment slot.
     */
    static Multi<ConverseStreamOutput> endedWithExchange(Multi<ConverseStreamOutput> events, RequestRecord record) {
        AtomicBoolean subscribed = new AtomicBoolean();
        record.onEnd(() -> {
            if (subscribed.compareAndSet(false, true)) {
                events.subscribe().with(item -> { }, failure -> { }).cancel();
            }
        });
        return events.onSubscription().invoke(() -> subscribed.set(true));
    }

    static void usage(RequestRecord record, BedrockRouter router, TokenUsage usage) {
        if (usage != null) {
            router.recordUsage(record, record.deployment(), nullToZero(usage.inputTokens()),
                    nullToZero(usage.outputTokens()));
        }
    }

    private static int nullToZero(Integer value) {
        return value == null ? 0 : value;
    }
}
