package dev.bedrockgateway.governance;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.DefaultBean;

/**
 * In-process token buckets: each budget holds up to its per-minute limit and refills continuously at limit/60 per
 * second, so a burst of a full minute's budget is allowed and the budget recovers smoothly (no window edges). With
 * several replicas each one enforces the limits on the traffic it receives.
 */
@ApplicationScoped
@DefaultBean
public class LocalRateLimiter implements RateLimiter {

    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    public LocalRateLimiter() {
        this(System::nanoTime);
    }

    LocalRateLimiter(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public Decision acquire(String bucket, Limit limit) {
        return bucket(bucket, limit).acquire(limit, clock.getAsLong());
    }

    @Override
    public boolean available(String bucket, Limit limit) {
        if (!limit.limited()) {
            return true;
        }
        return bucket(bucket, limit).available(limit, clock.getAsLong());
    }

    @Override
    public void consumeTokens(String bucket, Limit limit, long tokens) {
        if (limit.tpm() > 0 && tokens > 0) {
            bucket(bucket, limit).consume(limit, tokens, clock.getAsLong());
        }
    }

    private Bucket bucket(String name, Limit limit) {
        return buckets.computeIfAbsent(name, k -> new Bucket(limit, clock.getAsLong()));
    }

    private static final class Bucket {
        private double requests;
        private double tokens;
        private long refilledAt;

        Bucket(Limit limit, long now) {
            this.requests = limit.rpm();
            this.tokens = limit.tpm();
            this.refilledAt = now;
        }

        private void refill(Limit limit, long now) {
            long elapsed = now - refilledAt;
            if (elapsed > 0) {
                requests = Math.min(limit.rpm(), requests + (double) limit.rpm() * elapsed / MINUTE_NANOS);
                tokens = Math.min(limit.tpm(), tokens + (double) limit.tpm() * elapsed / MINUTE_NANOS);
                refilledAt = now;
            }
        }

        synchronized boolean available(Limit limit, long now) {
            refill(limit, now);
            return (limit.rpm() <= 0 || requests >= 1) && (limit.tpm() <= 0 || tokens > 0);
        }

        synchronized Decision acquire(Limit limit, long now) {
            refill(limit, now);
            boolean requestsOk = limit.rpm() <= 0 || requests >= 1;
            boolean tokensOk = limit.tpm() <= 0 || tokens > 0;
            boolean allowed = requestsOk && tokensOk;
            if (allowed && limit.rpm() > 0) {
                requests -= 1;
            }
            long retryAfter = 0;
            if (!requestsOk) {
                retryAfter = millisToRefill(1 - requests, limit.rpm());
            }
            if (!tokensOk) {
                retryAfter = Math.max(retryAfter, millisToRefill(1 - tokens, limit.tpm()));
            }
            return new Decision(allowed, !requestsOk ? "requests" : !tokensOk ? "tokens" : null,
                    limit.rpm() > 0 ? (long) Math.floor(requests) : -1,
                    limit.tpm() > 0 ? Math.max(0, (long) Math.floor(tokens)) : -1,
                    limit.rpm() > 0 ? millisToRefill(limit.rpm() - requests, limit.rpm()) : 0,
                    limit.tpm() > 0 ? millisToRefill(limit.tpm() - tokens, limit.tpm()) : 0,
                    retryAfter);
        }

        synchronized void consume(Limit limit, long used, long now) {
            refill(limit, now);
            tokens -= used;
        }

        private static long millisToRefill(double missing, int perMinute) {
            if (missing <= 0 || perMinute <= 0) {
                return 0;
            }
            return (long) Math.ceil(missing * 60_000.0 / perMinute);
        }
    }
}
