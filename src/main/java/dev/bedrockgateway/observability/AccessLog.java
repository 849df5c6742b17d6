package dev.bedrockgateway.observability;

import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import dev.bedrockgateway.api.admin.AdminPaths;
import dev.bedrockgateway.config.GatewayConfig;
import dev.bedrockgateway.governance.Governance;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Runs first on every API request: gives it a request id (the client's {@code X-Request-Id} when it is a sane
 * token, else a new one), echoed as the {@code x-request-id} response header as OpenAI does; writes the rate limit
 * headers the request collected; and when the response ended, records the metrics and writes one access line.
 *
 * <p>The access line (logger {@code bedrock-gateway.access}) carries request id, key id (a digest prefix, never the
 * key), method, path, model, Bedrock model, status, duration, time to first token, tokens, retries and fallback,
 * as the message and as MDC fields, which the JSON log format ({@code QUARKUS_LOG_CONSOLE_JSON_ENABLED=true})
 * writes as separate fields. Prompts, answers and credentials are never logged.
 */
@Singleton
public class AccessLog {

    public static final String REQUEST_ID_HEADER = "x-request-id";

    private static final Logger LOG = Logger.getLogger("bedrock-gateway.access");
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final GatewayMetrics metrics;
    private final boolean enabled;
    private final boolean mdc;
    /** API requests that arrived and whose answer has not ended (nor their client gone away). */
    private final LongAdder inFlight = new LongAdder();

    public AccessLog(GatewayMetrics metrics, GatewayConfig config) {
        this.metrics = metrics;
        this.enabled = config.accessLog().enabled();
        // The fields go into the MDC only for the JSON format, which writes them as keys; the text format has them in
        // the message already.
        this.mdc = ConfigProvider.getConfig().getOptionalValue("quarkus.log.console.json.enabled", Boolean.class)
                .orElse(false);
    }

    void install(@Observes Router router) {
        // Ahead of the request size limits (order MIN_VALUE + 1), so their refusals are logged too.
        router.route().order(Integer.MIN_VALUE).handler(this::start);
    }

    static String newRequestId() {
        byte[] random = new byte[12];
        ThreadLocalRandom.current().nextBytes(random);
        return "req_" + HexFormat.of().formatHex(random);
    }

    private void start(RoutingContext context) {
        String given = context.request().getHeader(REQUEST_ID_HEADER);
        String id = given != null && SANE_ID.matcher(given).matches() ? given : newRequestId();
        RequestRecord record = new RequestRecord(id, System.nanoTime());
        RequestRecord.attach(context, record);
        inFlight.increment();
        context.addHeadersEndHandler(v -> {
            var headers = context.response().headers();
            headers.set(REQUEST_ID_HEADER, id);
            for (Map.Entry<String, String> h : record.responseHeaders().entrySet()) {
                headers.set(h.getKey(), h.getValue());
            }
        });
        context.addEndHandler(done -> finish(context, record));
        context.next();
    }

    /** The status an ended exchange is recorded with: 499 when the client went away before its answer was complete. */
    public static int status(RoutingContext context) {
        return context.response().ended() ? context.response().getStatusCode() : 499;
    }

    /** API requests in flight now, streams included. */
    public long inFlight() {
        return inFlight.sum();
    }

    private void finish(RoutingContext context, RequestRecord record) {
        inFlight.decrement();
        long nanos = System.nanoTime() - record.startNanos();
        int status = status(context);
        String endpoint = record.endpoint() == null ? "other" : record.endpoint();
        metrics.request(endpoint, record.model(), record.bedrockModel(), status, nanos);
        if (record.inputTokens() >= 0) {
            metrics.tokens(record.model(), record.bedrockModel(), record.inputTokens(), record.outputTokens());
        }
        if (record.costNanoUsd() > 0) {
            metrics.cost(record.model(), record.bedrockModel(), record.costNanoUsd() / 1e9);
        }
        if (enabled) {
            log(context.request(), record, status, nanos, mdc);
        }
    }

    private static void log(HttpServerRequest request, RequestRecord record, int status, long nanos, boolean mdc) {
        double ms = nanos / 1_000_000.0;
        long ttft = record.timeToFirstTokenNanos();
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("request_id", record.requestId());
        fields.put("key_id", record.keyId());
        fields.put("method", request.method().name());
        fields.put("path", AdminPaths.loggable(request.path()));
        fields.put("status", status);
        fields.put("duration_ms", Math.round(ms * 10) / 10.0);
        if (record.model() != null) {
            fields.put("model", record.model());
        }
        if (record.bedrockModel() != null) {
            fields.put("bedrock_model", record.bedrockModel());
        }
        if (record.endpoint() != null) {
            fields.put("stream", record.stream());
        }
        if (ttft >= 0) {
            fields.put("ttft_ms", Math.round(ttft / 100_000.0) / 10.0);
        }
        if (record.inputTokens() >= 0) {
            fields.put("input_tokens", record.inputTokens());
            fields.put("output_tokens", record.outputTokens());
        }
        if (record.costNanoUsd() >= 0) {
            fields.put("cost_usd", Governance.usd(record.costNanoUsd()));
        }
        if (record.retries() > 0) {
            fields.put("retries", record.retries());
        }
        if (record.fallbackFrom() != null) {
            fields.put("fallback_from", record.fallbackFrom());
        }
        StringBuilder line = new StringBuilder(160);
        fields.forEach((k, v) -> {
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(k).append('=').append(v);
        });
        if (!mdc) {
            LOG.info(line);
            return;
        }
        fields.forEach(MDC::put);
        try {
            LOG.info(line);
        } finally {
            fields.keySet().forEach(MDC::remove);
        }
    }
}
