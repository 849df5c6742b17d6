package dev.bedrockgateway.observability;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The gateway's own Prometheus metrics (on the management port, {@code /q/metrics}), next to the HTTP server and
 * JVM metrics Quarkus publishes. Tags are the client's model name, the Bedrock model id and the deployment (name,
 * entry, region, model id): bounded by the catalog, never by client input (unknown models are tagged
 * {@code unknown}). Meters are created once per tag combination and cached.
 *
 * <pre>
 * gateway_requests_seconds{endpoint,model,bedrock_model,status}     histogram: API requests, arrival to last byte
 * gateway_time_to_first_token_seconds{endpoint,model,bedrock_model} histogram: streams, arrival to first token
 * gateway_tokens_total{model,bedrock_model,type=input|output}      tokens as Bedrock counted them
 * gateway_streams_in_flight                                         SSE streams open now
 * gateway_upstream_calls_in_flight{deployment}                      Bedrock calls (streams until they end) now
 * gateway_upstream_retries_total{deployment}                        retries after a failed Bedrock call
 * gateway_upstream_failures_total{deployment,code}                  failed Bedrock calls (code: rate_limit_exceeded = throttled)
 * gateway_fallbacks_total{from,to}                                  requests moved to a fallback model
 * gateway_circuit_state{deployment}                                 0 closed, 1 open (cooled down), 2 half-open
 * gateway_rate_limited_total{scope}                                 requests answered 429 by the gateway itself (scope:
 *                                                                   key|global|vkey|team|parallel|budget|deployment|bulkhead)
 * gateway_cost_usd_total{model,bedrock_model}                       cost of the Bedrock calls, USD
 * </pre>
 */
@ApplicationScoped
public class GatewayMetrics {

    private final MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> gauges = new ConcurrentHashMap<>();
    private final AtomicInteger streamsInFlight;

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.streamsInFlight = new AtomicInteger();
        Gauge.builder("gateway.streams.in.flight", streamsInFlight, AtomicInteger::get)
                .description("SSE streams open to clients").register(registry);
    }

    public void request(String endpoint, String model, String bedrockModel, int status, long nanos) {
        timer("gateway.requests", () -> Timer.builder("gateway.requests")
                .description("API requests, from arrival to the last byte of the answer")
                .tags("endpoint", tag(endpoint), "model", tag(model), "bedrock_model", tag(bedrockModel),
                        "status", Integer.toString(status))
                .publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(10)),
                endpoint, model, bedrockModel, Integer.toString(status)).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void timeToFirstToken(String endpoint, String model, String bedrockModel, long nanos) {
        timer("gateway.ttft", () -> Timer.builder("gateway.time.to.first.token")
                .description("Streams: from arrival of the request to the first token sent")
                .tags("endpoint", tag(endpoint), "model", tag(model), "bedrock_model", tag(bedrockModel))
                .publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(2)),
                endpoint, model, bedrockModel).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void tokens(String model, String bedrockModel, int input, int output) {
        if (input > 0) {
            counter(() -> Counter.builder("gateway.tokens").description("Tokens, as Bedrock counted them")
                    .tags("model", tag(model), "bedrock_model", tag(bedrockModel), "type", "input"),
                    "tokens", model, bedrockModel, "input").increment(input);
        }
        if (output > 0) {
            counter(() -> Counter.builder("gateway.tokens").description("Tokens, as Bedrock counted them")
                    .tags("model", tag(model), "bedrock_model", tag(bedrockModel), "type", "output"),
                    "tokens", model, bedrockModel, "output").increment(output);
        }
    }

    /** The cost of a request's Bedrock calls, priced on the model actually called. */
    public void cost(String model, String bedrockModel, double usd) {
        counter(() -> Counter.builder("gateway.cost.usd").description("Cost of the Bedrock calls, in USD")
                .tags("model", tag(model), "bedrock_model", tag(bedrockModel)),
                "cost", model, bedrockModel, "usd").increment(usd);
    }

    public void streamOpened() {
        streamsInFlight.incrementAndGet();
    }

    public void streamClosed() {
        streamsInFlight.decrementAndGet();
    }

    /** SSE streams open now: what {@code gateway_streams_in_flight} reports. */
    public int streamsInFlight() {
        return streamsInFlight.get();
    }

    public void retry(String deployment) {
        counter(() -> Counter.builder("gateway.upstream.retries").description("Retries after a failed Bedrock call")
                .tags("deployment", deployment), "retries", deployment).increment();
    }

    public void upstreamFailure(String deployment, String code) {
        counter(() -> Counter.builder("gateway.upstream.failures").description("Failed Bedrock calls")
                .tags("deployment", deployment, "code", tag(code)), "failures", deployment, code).increment();
    }

    public void fallback(String from, String to) {
        counter(() -> Counter.builder("gateway.fallbacks").description("Requests moved to a fallback model")
                .tags("from", from, "to", to), "fallbacks", from, to).increment();
    }

    public void rateLimited(String scope) {
        counter(() -> Counter.builder("gateway.rate.limited")
                .description("Requests the gateway refused itself: 429, or 503 for cool-downs and memory")
                .tags("scope", scope),
                "limited", scope).increment();
    }

    /** The gauge of a deployment's circuit: 0 closed, 1 open, 2 half-open. */
    public AtomicInteger circuitState(String deployment) {
        return gauge("gateway.circuit.state", "Circuit of a deployment: 0 closed, 1 open (cooled down), 2 half-open",
                deployment);
    }

    /** The gauge of a deployment's Bedrock calls in flight. */
    public AtomicInteger upstreamInFlight(String deployment) {
        return gauge("gateway.upstream.calls.in.flight", "Bedrock calls in flight (streams until they end)",
                deployment);
    }

    private AtomicInteger gauge(String name, String description, String deployment) {
        return gauges.computeIfAbsent(name + '\u0000' + deployment, k -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder(name, value, AtomicInteger::get).description(description).tags("deployment", deployment)
                    .register(registry);
            return value;
        });
    }

    private Timer timer(String kind, Supplier<Timer.Builder> builder, String... tags) {
        return timers.computeIfAbsent(key(kind, tags), k -> builder.get().register(registry));
    }

    private Counter counter(Supplier<Counter.Builder> builder, String kind, String... tags) {
        return counters.computeIfAbsent(key(kind, tags), k -> builder.get().register(registry));
    }

    private static String key(String kind, String... tags) {
        StringBuilder key = new StringBuilder(kind);
        for (String tag : tags) {
            key.append('\u0000').append(tag);
        }
        return key.toString();
    }

    private static String tag(String value) {
        return value == null ? "unknown" : value;
    }
}
