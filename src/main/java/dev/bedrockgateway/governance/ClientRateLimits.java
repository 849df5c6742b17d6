package dev.bedrockgateway.governance;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.bedrockgateway.config.GatewayConfig;
import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.observability.GatewayMetrics;
import dev.bedrockgateway.observability.RequestRecord;

/**
 * The clients' rate limits ({@code gateway.rate-limits.*}): per API key and for the whole gateway. A request over a
 * limit gets 429 {@code rate_limit_exceeded} with {@code Retry-After}; every request of a limited key gets OpenAI's
 * {@code x-ratelimit-limit|remaining|reset-requests|tokens} headers (the key's budget, else the gateway's).
 */
@ApplicationScoped
public class ClientRateLimits {

    static final String GLOBAL = "global";

    private final RateLimiter limiter;
    private final GatewayMetrics metrics;
    private final RateLimiter.Limit perKey;
    private final RateLimiter.Limit global;

    @Inject
    public ClientRateLimits(RateLimiter limiter, GatewayMetrics metrics, GatewayConfig config) {
        this(limiter, metrics, new RateLimiter.Limit(config.rateLimits().keyRpm().orElse(0),
                config.rateLimits().keyTpm().orElse(0)),
                new RateLimiter.Limit(config.rateLimits().rpm().orElse(0), config.rateLimits().tpm().orElse(0)));
    }

    ClientRateLimits(RateLimiter limiter, GatewayMetrics metrics, RateLimiter.Limit perKey,
            RateLimiter.Limit global) {
        this.limiter = limiter;
        this.metrics = metrics;
        this.perKey = perKey;
        this.global = global;
    }

    /**
     * Admits one API call of the request's key, or throws the 429. Called once per request, before any Bedrock call.
     */
    public void admit(RequestRecord record) {
        RateLimiter.Decision keyDecision = null;
        if (perKey.limited()) {
            keyDecision = limiter.acquire(bucketOf(record), perKey);
            RateLimitHeaders.write(perKey, keyDecision, record::header);
            if (!keyDecision.allowed()) {
                throw refusal(metrics, "key", keyDecision, "your API key (" + record.keyId() + ")", perKey);
            }
        }
        if (global.limited()) {
            RateLimiter.Decision decision = limiter.acquire(GLOBAL, global);
            if (keyDecision == null) {
                RateLimitHeaders.write(global, decision, record::header);
            }
            if (!decision.allowed()) {
                throw refusal(metrics, GLOBAL, decision, "the gateway", global);
            }
        }
    }

    /** Takes the tokens a request used (prompt + completion) from its key's and the gateway's budgets. */
    public void consumeTokens(RequestRecord record, long tokens) {
        if (perKey.tpm() > 0) {
            limiter.consumeTokens(bucketOf(record), perKey, tokens);
        }
        if (global.tpm() > 0) {
            limiter.consumeTokens(GLOBAL, global, tokens);
        }
    }

    private static String bucketOf(RequestRecord record) {
        return "key:" + record.keyId();
    }

    /** OpenAI's 429 for a request over {@code limit} of {@code whose} ({@code scope} names it in the metric). */
    static OpenAiException refusal(GatewayMetrics metrics, String scope, RateLimiter.Decision decision, String whose,
            RateLimiter.Limit limit) {
        metrics.rateLimited(scope);
        boolean tokens = "tokens".equals(decision.exhausted());
        String message = "Rate limit reached for " + whose + " on "
                + (tokens ? "tokens per min (TPM): Limit " + limit.tpm() : "requests per min (RPM): Limit " + limit.rpm())
                + ". Please try again in " + RateLimitHeaders.duration(decision.retryAfterMillis()) + ".";
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Retry-After", Long.toString(Math.max(1, (decision.retryAfterMillis() + 999) / 1000)));
        return new OpenAiException(429, ErrorTypes.RATE_LIMIT, ErrorTypes.CODE_RATE_LIMIT, null, message, headers,
                null);
    }
}
