package dev.bedrockgateway.governance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.bedrockgateway.config.GatewayConfig;
import dev.bedrockgateway.governance.redis.RedisClients;
import dev.bedrockgateway.governance.redis.RedisCounters;
import dev.bedrockgateway.governance.store.SharedCounters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;

/**
 * The gateway's {@link SharedCounters}: {@link RedisCounters} when a Redis URL is configured, else
 * {@link LocalCounters}.
 *
 * <p>Redis is a dependency that fails, and a rate limit or budget check must not fail requests with it. So a Redis
 * call that fails or outlives the store timeout is answered by this replica's {@link LocalCounters} instead (each
 * replica then enforces the limits on its own traffic), and every call after it goes straight to the local counters
 * until a probe ({@code PING}, every {@link #PROBE_INTERVAL}) is answered: a dead Redis costs one timeout per outage,
 * not one per request. Each call answered locally for that reason counts in {@code gateway_store_fallbacks_total
 * {store="redis"}}; the start and the end of an outage are logged once each, both at WARN so that they are read
 * together.
 *
 * <p>A reservation or an entry made locally is settled or left locally, whenever that happens: Redis never saw it.
 * Those made locally are remembered by what identifies them (budget names and amount, bucket); reservations with
 * the same budgets and amount, like entries of the same bucket, are interchangeable, so which one a settle or leave
 * ends does not change the counts. A settle or leave for Redis that fails is queued (at most {@link #PENDING_MAX})
 * and replayed when Redis answers again, so no spend is lost silently; a Redis that restarted empty has lost the
 * reservations anyway, and its scripts keep {@code reserved} from going below zero.
 */
@ApplicationScoped
public class Counters implements SharedCounters {

    private static final Logger LOG = Logger.getLogger(Counters.class);

    static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    static final int PENDING_MAX = 100_000;

    private final LocalCounters local = new LocalCounters();
    private final Vertx vertx;
    private final Redis client;
    private final RedisCounters remote;
    private final String where;
    private final Counter fallbacks;
    /** Null while Redis answers; else why it does not. */
    private final AtomicReference<String> down = new AtomicReference<>();
    private final AtomicBoolean probing = new AtomicBoolean();
    private final long probeTimer;
    private final Map<String, Integer> localReservations = new ConcurrentHashMap<>();
    private final Map<String, Integer> localEntries = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Supplier<Uni<Void>>> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    private final AtomicInteger pendingDropped = new AtomicInteger();

    @Inject
    public Counters(Vertx vertx, StoreUrls urls, GatewayConfig config, MeterRegistry registry) {
        this(vertx, urls.redis(), config.governance().storeTimeout(), registry);
    }

    Counters(Vertx vertx, Optional<String> redisUrl, Duration timeout, MeterRegistry registry) {
        this.vertx = vertx;
        this.fallbacks = Counter.builder("gateway.store.fallbacks")
                .description("Calls to a shared store answered in-process because the store failed or was down")
                .tag("store", "redis").register(registry);
        if (redisUrl.isEmpty()) {
            client = null;
            remote = null;
            where = null;
            probeTimer = -1;
            return;
        }
        where = RedisClients.redacted(redisUrl.get());
        client = RedisClients.create(vertx, redisUrl.get());
        remote = new RedisCounters(client, timeout);
        LOG.infof("Rate limits, budgets and requests in flight are shared through Redis at %s", where);
        probeTimer = vertx.setPeriodic(PROBE_INTERVAL.toMillis(), id -> probe());
        // Learn at once whether Redis is there, rather than from the first request's timeout.
        remote.ping().subscribe().with(ok -> {
        }, this::markDown);
    }

    @Override
    public Uni<RateLimiter.Decision> acquire(String bucket, RateLimiter.Limit limit) {
        return call(c -> c.acquire(bucket, limit));
    }

    @Override
    public Uni<Void> consumeTokens(String bucket, RateLimiter.Limit limit, long tokens) {
        return call(c -> c.consumeTokens(bucket, limit, tokens));
    }

    @Override
    public Uni<Integer> reserve(List<Budget> budgets, long nanoUsd) {
        return call(c -> c.reserve(budgets, nanoUsd).invoke(refused -> {
            if (c == local && remote != null && refused == -1) {
                mark(localReservations, reservation(budgets, nanoUsd));
            }
        }));
    }

    @Override
    public Uni<Void> settle(List<Budget> budgets, long reservedNanoUsd, long actualNanoUsd) {
        if (remote == null || take(localReservations, reservation(budgets, reservedNanoUsd))) {
            return local.settle(budgets, reservedNanoUsd, actualNanoUsd);
        }
        return toRedisOrQueue(() -> remote.settle(budgets, reservedNanoUsd, actualNanoUsd));
    }

    @Override
    public Uni<Long> spent(Budget budget) {
        return call(c -> c.spent(budget));
    }

    @Override
    public Uni<Boolean> enter(String bucket, int max) {
        return call(c -> c.enter(bucket, max).invoke(in -> {
            if (c == local && remote != null && in) {
                mark(localEntries, bucket);
            }
        }));
    }

    @Override
    public Uni<Void> leave(String bucket) {
        if (remote == null || take(localEntries, bucket)) {
            return local.leave(bucket);
        }
        return toRedisOrQueue(() -> remote.leave(bucket));
    }

    /** True while the counters are Redis's (configured and answering). */
    @Override
    public boolean shared() {
        return remote != null && down.get() == null;
    }

    /**
     * For readiness checks: {@code up}, {@code down: <reason>} (the gateway still serves, with per-replica limits)
     * or {@code not configured}.
     */
    public String redisState() {
        if (remote == null) {
            return "not configured";
        }
        String reason = down.get();
        return reason == null ? "up" : "down: " + reason;
    }

    /** The counters used while Redis is down; for tests. */
    LocalCounters local() {
        return local;
    }

    @PreDestroy
    void close() {
        if (client != null) {
            vertx.cancelTimer(probeTimer);
            client.close();
        }
    }

    private <T> Uni<T> call(Function<SharedCounters, Uni<T>> operation) {
        if (remote == null) {
            return operation.apply(local);
        }
        if (down.get() != null) {
            return fallBack(operation);
        }
        return Uni.createFrom().deferred(() -> operation.apply(remote)).onFailure().recoverWithUni(failure -> {
            markDown(failure);
            return fallBack(operation);
        });
    }

    private <T> Uni<T> fallBack(Function<SharedCounters, Uni<T>> operation) {
        fallbacks.increment();
        return operation.apply(local);
    }

    private Uni<Void> toRedisOrQueue(Supplier<Uni<Void>> operation) {
        if (down.get() != null) {
            enqueue(operation);
            return Uni.createFrom().voidItem();
        }
        return operation.get().onFailure().recoverWithUni(failure -> {
            markDown(failure);
            enqueue(operation);
            return Uni.createFrom().voidItem();
        });
    }

    private void enqueue(Supplier<Uni<Void>> operation) {
        if (pendingCount.incrementAndGet() > PENDING_MAX) {
            pendingCount.decrementAndGet();
            if (pendingDropped.getAndIncrement() == 0) {
                LOG.errorf("Redis at %s is still down and %d settlements wait for it: further ones are dropped "
                        + "(their spend stays in the spend log; Redis's budget counters will undercount)", where,
                        PENDING_MAX);
            }
            return;
        }
        pending.add(operation);
    }

    private void markDown(Throwable failure) {
        String reason = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        if (down.compareAndSet(null, reason)) {
            LOG.warnf("Redis at %s is unreachable (%s): counting in this replica until it answers again", where,
                    reason);
        }
    }

    private void probe() {
        if (down.get() == null || !probing.compareAndSet(false, true)) {
            return;
        }
        remote.ping().subscribe().with(ok -> {
            probing.set(false);
            if (down.getAndSet(null) != null) {
                LOG.warnf("Redis at %s answers again: counters are shared again (%d settlements to replay)",
                        where, pendingCount.get());
                replay();
            }
        }, failure -> probing.set(false));
    }

    /** Sends the queued settlements one after another; one that fails again waits for the next recovery. */
    private void replay() {
        List<Supplier<Uni<Void>>> batch = new ArrayList<>();
        for (Supplier<Uni<Void>> op; (op = pending.poll()) != null;) {
            pendingCount.decrementAndGet();
            batch.add(op);
        }
        int dropped = pendingDropped.getAndSet(0);
        if (dropped > 0) {
            LOG.errorf("%d settlements for Redis at %s were dropped during the outage", dropped, where);
        }
        Multi.createFrom().iterable(batch)
                .onItem().transformToUniAndConcatenate(op -> op.get().onFailure().recoverWithItem(failure -> {
                    enqueue(op);
                    return null;
                }))
                .subscribe().with(ignored -> {
                }, failure -> LOG.warn("Replaying settlements to Redis failed", failure));
    }

    private static String reservation(List<Budget> budgets, long nanoUsd) {
        StringBuilder key = new StringBuilder().append(nanoUsd);
        budgets.forEach(b -> key.append('\n').append(b.name()));
        return key.toString();
    }

    private static void mark(Map<String, Integer> made, String key) {
        made.merge(key, 1, Integer::sum);
    }

    private static boolean take(Map<String, Integer> made, String key) {
        boolean[] taken = {false};
        made.computeIfPresent(key, (k, n) -> {
            taken[0] = true;
            return n > 1 ? n - 1 : null;
        });
        return taken[0];
    }
}
