package dev.bedrockgateway.governance.store;

import java.util.List;

import dev.bedrockgateway.governance.RateLimiter;
import io.smallrye.mutiny.Uni;

/**
 * The counters that must hold for the whole gateway, not per replica: rate limits of keys and teams, requests in
 * flight per key, budget reservations and spend. Kept in Redis when one is configured (atomic Lua scripts, no
 * read-modify-write), else, and while Redis is unreachable, in this process. No method blocks the caller; a Redis
 * call that does not answer in time falls back to the in-process counters for that call.
 */
public interface SharedCounters {

    /** Takes one request from {@code bucket} if it has one and its tokens are not exhausted (token bucket). */
    Uni<RateLimiter.Decision> acquire(String bucket, RateLimiter.Limit limit);

    /** Takes the tokens a request used from {@code bucket}. */
    Uni<Void> consumeTokens(String bucket, RateLimiter.Limit limit, long tokens);

    /**
     * Reserves {@code nanoUsd} on every budget at once, if each of them has {@code spent + reserved < max} before
     * this reservation; otherwise reserves nothing.
     *
     * @return -1 when reserved, else the index of the first budget that refused
     */
    Uni<Integer> reserve(List<Budget> budgets, long nanoUsd);

    /** Ends a reservation: {@code reservedNanoUsd} is released and {@code actualNanoUsd} added to the spend. */
    Uni<Void> settle(List<Budget> budgets, long reservedNanoUsd, long actualNanoUsd);

    /** Spent (settled) nano-USD of a budget in its period. */
    Uni<Long> spent(Budget budget);

    /** Enters one request into {@code bucket} if fewer than {@code max} are in it; false when full. */
    Uni<Boolean> enter(String bucket, int max);

    /** Leaves {@code bucket}. */
    Uni<Void> leave(String bucket);

    /** Whether the shared store (Redis) is in use right now; false when counting in-process. */
    boolean shared();

    /**
     * One budget in one period.
     *
     * @param name the budget's counter name, including its period (e.g. {@code key:<hash>:<period end epoch>})
     * @param maxNanoUsd the budget, in 1e-9 USD
     * @param seedNanoUsd the spend the store of record knows for this period, used when the counter does not exist
     *        yet (first use, or Redis restarted)
     * @param ttlSeconds how long the counter must live (past the period's end)
     */
    record Budget(String name, long maxNanoUsd, long seedNanoUsd, long ttlSeconds) {
    }
}
