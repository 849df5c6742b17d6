package dev.bedrockgateway.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.bedrockgateway.governance.store.SharedCounters;
import dev.bedrockgateway.governance.store.SharedCounters.Budget;
import io.smallrye.mutiny.Uni;

/**
 * What every {@link SharedCounters} must do, in-process or in Redis: the same token buckets as
 * {@link LocalRateLimiter}, budget reservations that are all-or-nothing, parallel slots. Runs on the real clock, with
 * limits slow enough (a request per 12 s) that the few milliseconds a test takes do not refill anything.
 */
public abstract class SharedCountersContract {

    /** The counters under test; the same instance for the whole test. */
    protected abstract SharedCounters counters();

    /** Names unique to one test, so that tests sharing a Redis do not see each other's counters. */
    protected final String name = UUID.randomUUID().toString();

    protected static <T> T await(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(5));
    }

    private Budget budget(String suffix, long max, long seed) {
        return new Budget(name + ":" + suffix, max, seed, 3600);
    }

    @Test
    void aBucketAdmitsExactlyItsRequestsPerMinuteThenRefuses() {
        RateLimiter.Limit limit = new RateLimiter.Limit(5, 0);
        for (int left = 4; left >= 0; left--) {
            RateLimiter.Decision d = await(counters().acquire(name, limit));
            assertTrue(d.allowed());
            assertNull(d.exhausted());
            assertEquals(left, d.remainingRequests());
            assertEquals(-1, d.remainingTokens(), "no token limit");
        }
        RateLimiter.Decision refused = await(counters().acquire(name, limit));
        assertFalse(refused.allowed());
        assertEquals("requests", refused.exhausted());
        assertEquals(0, refused.remainingRequests());
        assertTrue(refused.retryAfterMillis() > 11_000 && refused.retryAfterMillis() <= 12_000,
                "one request per 12 s at 5 RPM: " + refused.retryAfterMillis());
        assertTrue(refused.resetRequestsMillis() > 59_000, "the whole minute to be full: " + refused);
        assertFalse(await(counters().acquire(name, limit)).allowed(), "a refusal takes nothing, gives nothing");
    }

    @Test
    void tokensUsedDriveTheBucketBelowZeroAndHoldRequestsBack() {
        RateLimiter.Limit limit = new RateLimiter.Limit(0, 60);
        assertTrue(await(counters().acquire(name, limit)).allowed());
        await(counters().consumeTokens(name, limit, 90));
        RateLimiter.Decision refused = await(counters().acquire(name, limit));
        assertFalse(refused.allowed());
        assertEquals("tokens", refused.exhausted());
        assertEquals(0, refused.remainingTokens());
        assertEquals(-1, refused.remainingRequests(), "no request limit");
        assertTrue(refused.retryAfterMillis() > 30_000 && refused.retryAfterMillis() <= 31_000,
                "30 tokens of debt + 1, at one token per second: " + refused.retryAfterMillis());
    }

    @Test
    void bucketsAreIndependentAndUnlimitedIsAlwaysAllowed() {
        RateLimiter.Limit one = new RateLimiter.Limit(1, 0);
        assertTrue(await(counters().acquire(name + "a", one)).allowed());
        assertFalse(await(counters().acquire(name + "a", one)).allowed());
        assertTrue(await(counters().acquire(name + "b", one)).allowed());
        for (int i = 0; i < 3; i++) {
            assertTrue(await(counters().acquire(name + "a", RateLimiter.Limit.NONE)).allowed());
        }
    }

    @Test
    void aBudgetAdmitsWhileSpentPlusReservedIsBelowItsMaxAndSettlingMovesReservedToSpent() {
        Budget b = budget("b", 100, 0);
        assertEquals(-1, await(counters().reserve(List.of(b), 60)));
        assertEquals(-1, await(counters().reserve(List.of(b), 60)), "60 < 100 before this reservation");
        assertEquals(0, await(counters().reserve(List.of(b), 1)), "120 reserved");
        await(counters().settle(List.of(b), 60, 10));
        assertEquals(10, await(counters().spent(b)));
        assertEquals(-1, await(counters().reserve(List.of(b), 30)), "10 spent + 60 reserved < 100");
        assertEquals(0, await(counters().reserve(List.of(b), 1)), "10 spent + 90 reserved");
        await(counters().settle(List.of(b), 60, 0));
        await(counters().settle(List.of(b), 30, 5));
        assertEquals(15, await(counters().spent(b)));
        assertEquals(-1, await(counters().reserve(List.of(b), 84)), "nothing reserved, 15 spent");
        assertEquals(-1, await(counters().reserve(List.of(b), 1)), "99 < 100: the rule looks before, not after");
        assertEquals(0, await(counters().reserve(List.of(b), 1)), "100");
    }

    @Test
    void theSeedIsTheSpendOfABudgetNotSeenYet() {
        Budget b = budget("seeded", 100, 90);
        assertEquals(90, await(counters().spent(b)));
        assertEquals(-1, await(counters().reserve(List.of(b), 20)), "90 < 100");
        assertEquals(0, await(counters().reserve(List.of(b), 1)), "90 + 20 >= 100");
        Budget reseeded = new Budget(b.name(), 100, 0, 3600);
        assertEquals(0, await(counters().reserve(List.of(reseeded), 1)), "the seed counts only the first time");
        await(counters().settle(List.of(b), 20, 7));
        assertEquals(97, await(counters().spent(b)));
    }

    @Test
    void aReservationIsAllOrNothingAndNamesTheFirstBudgetThatRefused() {
        Budget open = budget("open", 100, 0);
        Budget full = budget("full", 50, 50);
        assertEquals(1, await(counters().reserve(List.of(open, full), 60)));
        assertEquals(0, await(counters().reserve(List.of(full, open), 60)));
        // Had the refused reservations reserved 60 on `open`, it would hold 60 or 120 and refuse the second one.
        assertEquals(-1, await(counters().reserve(List.of(open), 60)));
        assertEquals(-1, await(counters().reserve(List.of(open), 1)));
        Budget other = budget("other", 10, 0);
        assertEquals(1, await(counters().reserve(List.of(other, full), 5)));
        assertEquals(-1, await(counters().reserve(List.of(other), 9)));
        assertEquals(-1, await(counters().reserve(List.of(other), 1)), "9 < 10: the refused 5 were not reserved");
    }

    @Test
    void enterAdmitsUpToMaxAndLeaveFreesASlot() {
        assertTrue(await(counters().enter(name, 2)));
        assertTrue(await(counters().enter(name, 2)));
        assertFalse(await(counters().enter(name, 2)));
        await(counters().leave(name));
        assertTrue(await(counters().enter(name, 2)));
        assertFalse(await(counters().enter(name, 2)));
        assertTrue(await(counters().enter(name + "other", 1)), "buckets are independent");
    }
}
