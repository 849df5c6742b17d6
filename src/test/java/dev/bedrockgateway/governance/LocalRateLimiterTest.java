package dev.bedrockgateway.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The token buckets, on a clock the test moves. */
class LocalRateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final LocalRateLimiter limiter = new LocalRateLimiter(now::get);

    private void advanceMillis(long millis) {
        now.addAndGet(millis * 1_000_000L);
    }

    @Test
    void requestsPerMinuteAllowABurstThenRefillContinuously() {
        RateLimiter.Limit limit = new RateLimiter.Limit(6, 0);
        for (int i = 5; i >= 0; i--) {
            RateLimiter.Decision d = limiter.acquire("k", limit);
            assertTrue(d.allowed());
            assertEquals(i, d.remainingRequests());
        }
        RateLimiter.Decision refused = limiter.acquire("k", limit);
        assertFalse(refused.allowed());
        assertEquals("requests", refused.exhausted());
        assertEquals(10_000, refused.retryAfterMillis(), "one request per 10 s at 6 RPM");
        advanceMillis(9_999);
        assertFalse(limiter.acquire("k", limit).allowed());
        advanceMillis(1);
        assertTrue(limiter.acquire("k", limit).allowed());
        assertFalse(limiter.acquire("k", limit).allowed());
    }

    @Test
    void tokensAreTakenAfterwardsAndADebtHoldsBackTheNextRequests() {
        RateLimiter.Limit limit = new RateLimiter.Limit(0, 60);
        assertTrue(limiter.acquire("t", limit).allowed());
        limiter.consumeTokens("t", limit, 90);
        RateLimiter.Decision refused = limiter.acquire("t", limit);
        assertFalse(refused.allowed());
        assertEquals("tokens", refused.exhausted());
        assertEquals(0, refused.remainingTokens());
        assertEquals(31_000, refused.retryAfterMillis(), "30 tokens of debt + 1, at one token per second");
        assertFalse(limiter.available("t", limit));
        advanceMillis(31_000);
        assertTrue(limiter.available("t", limit));
        assertNull(limiter.acquire("t", limit).exhausted());
    }

    @Test
    void bucketsAreIndependentAndUnlimitedIsAlwaysAllowed() {
        RateLimiter.Limit one = new RateLimiter.Limit(1, 0);
        assertTrue(limiter.acquire("a", one).allowed());
        assertFalse(limiter.acquire("a", one).allowed());
        assertTrue(limiter.acquire("b", one).allowed());
        assertTrue(limiter.available("c", RateLimiter.Limit.NONE));
    }

    @Test
    void durationsAreWrittenAsOpenAiWritesThem() {
        assertEquals("0s", RateLimitHeaders.duration(0));
        assertEquals("20ms", RateLimitHeaders.duration(20));
        assertEquals("1s", RateLimitHeaders.duration(1000));
        assertEquals("1.5s", RateLimitHeaders.duration(1500));
        assertEquals("6m0s", RateLimitHeaders.duration(360_000));
        assertEquals("1m2.25s", RateLimitHeaders.duration(62_250));
    }
}
