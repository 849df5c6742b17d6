package dev.bedrockgateway.governance;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import dev.bedrockgateway.governance.store.SharedCounters;
import io.smallrye.mutiny.Uni;

/**
 * The counters of one replica: the gateway's counters when no Redis is configured, and the fallback that answers
 * while Redis is unreachable. Rate limits are {@link LocalRateLimiter}'s token buckets, so a limit means the same
 * here as in Redis. Every answer is an already-completed {@link Uni}: nothing here waits.
 */
public final class LocalCounters implements SharedCounters {

    private static final long SECOND_NANOS = 1_000_000_000L;
    /** Expired budgets are swept at most this often, so that sweeping costs nothing per call. */
    private static final long SWEEP_NANOS = 60 * SECOND_NANOS;

    private final LocalRateLimiter limiter;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, AtomicInteger> parallel = new ConcurrentHashMap<>();
    /** Guarded by itself: a reservation checks and changes several budgets as one step. */
    private final Map<String, BudgetState> budgets = new HashMap<>();
    private long sweptAt;

    public LocalCounters() {
        this(System::nanoTime);
    }

    LocalCounters(LongSupplier clock) {
        this.limiter = new LocalRateLimiter(clock);
        this.clock = clock;
        this.sweptAt = clock.getAsLong();
    }

    @Override
    public Uni<RateLimiter.Decision> acquire(String bucket, RateLimiter.Limit limit) {
        return Uni.createFrom().item(limiter.acquire(bucket, limit));
    }

    @Override
    public Uni<Void> consumeTokens(String bucket, RateLimiter.Limit limit, long tokens) {
        limiter.consumeTokens(bucket, limit, tokens);
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Integer> reserve(List<Budget> list, long nanoUsd) {
        synchronized (budgets) {
            long now = clock.getAsLong();
            sweep(now);
            for (int i = 0; i < list.size(); i++) {
                BudgetState state = state(list.get(i), now);
                if (state.spent + state.reserved >= list.get(i).maxNanoUsd()) {
                    return Uni.createFrom().item(i);
                }
            }
            for (Budget budget : list) {
                BudgetState state = state(budget, now);
                state.reserved += nanoUsd;
                state.touch(budget, now);
            }
        }
        return Uni.createFrom().item(-1);
    }

    @Override
    public Uni<Void> settle(List<Budget> list, long reservedNanoUsd, long actualNanoUsd) {
        synchronized (budgets) {
            long now = clock.getAsLong();
            for (Budget budget : list) {
                BudgetState state = state(budget, now);
                // Never below zero: a settle whose reservation was lost (swept, or made elsewhere) must not
                // hand out budget that nobody reserved.
                state.reserved = Math.max(0, state.reserved - reservedNanoUsd);
                state.spent += actualNanoUsd;
                state.touch(budget, now);
            }
        }
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Long> spent(Budget budget) {
        synchronized (budgets) {
            BudgetState state = budgets.get(budget.name());
            boolean live = state != null && state.expiresAt - clock.getAsLong() > 0;
            return Uni.createFrom().item(live ? state.spent : budget.seedNanoUsd());
        }
    }

    @Override
    public Uni<Boolean> enter(String bucket, int max) {
        AtomicInteger count = parallel.computeIfAbsent(bucket, k -> new AtomicInteger());
        while (true) {
            int n = count.get();
            if (n >= max) {
                return Uni.createFrom().item(false);
            }
            if (count.compareAndSet(n, n + 1)) {
                return Uni.createFrom().item(true);
            }
        }
    }

    @Override
    public Uni<Void> leave(String bucket) {
        AtomicInteger count = parallel.get(bucket);
        if (count != null) {
            count.getAndUpdate(n -> Math.max(0, n - 1));
        }
        return Uni.createFrom().voidItem();
    }

    /** Requests in {@code bucket} now; for tests and diagnostics. */
    int inFlight(String bucket) {
        AtomicInteger count = parallel.get(bucket);
        return count == null ? 0 : count.get();
    }

    @Override
    public boolean shared() {
        return false;
    }

    private BudgetState state(Budget budget, long now) {
        BudgetState state = budgets.get(budget.name());
        if (state == null || state.expiresAt - now <= 0) {
            state = new BudgetState(budget.seedNanoUsd());
            state.touch(budget, now);
            budgets.put(budget.name(), state);
        }
        return state;
    }

    /** Budget names carry their period, so old periods would otherwise accumulate for the life of the process. */
    private void sweep(long now) {
        if (now - sweptAt < SWEEP_NANOS) {
            return;
        }
        sweptAt = now;
        for (Iterator<BudgetState> it = budgets.values().iterator(); it.hasNext();) {
            if (it.next().expiresAt - now <= 0) {
                it.remove();
            }
        }
    }

    /** Spent and reserved nano-USD of one budget; lives {@code ttlSeconds} past its last change, as in Redis. */
    private static final class BudgetState {
        long spent;
        long reserved;
        long expiresAt;

        BudgetState(long seed) {
            this.spent = seed;
        }

        void touch(Budget budget, long now) {
            expiresAt = now + Math.max(1, budget.ttlSeconds()) * SECOND_NANOS;
        }
    }
}
