package dev.bedrockgateway.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.bedrockgateway.governance.store.SharedCounters.Budget;

/** The pure parts of admission: how dollars are written, how a budget's counter is named for its period. */
class GovernanceTest {

    @Test
    void dollarsAreWrittenPlainWithoutTrailingZeros() {
        assertEquals("0", Governance.usd(0));
        assertEquals("0.00012", Governance.usd(120_000));
        assertEquals("1.5", Governance.usd(1_500_000_000));
        assertEquals("0.000000001", Governance.usd(1));
        assertEquals("12.345678901", Governance.usd(12_345_678_901L));
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            long nano = random.nextLong() % 1_000_000_000_000_000L;
            assertEquals(BigDecimal.valueOf(nano, 9).stripTrailingZeros().toPlainString(), Governance.usd(nano));
        }
    }

    @Test
    void aBudgetsCounterIsNamedByItsPeriodSoThatANewPeriodStartsFromZero() {
        Instant created = Instant.parse("2026-11-01T00:00:00Z");
        Instant resetAt = Instant.parse("2026-12-01T00:00:00Z");
        // In the stored period: seeded with the stored spend.
        Budget current = Governance.budget("key:h", 5, "30d", resetAt, 1.25, Instant.parse("2026-11-20T00:00:00Z"));
        assertEquals("key:h:" + resetAt.getEpochSecond(), current.name());
        assertEquals(5_000_000_000L, current.maxNanoUsd());
        assertEquals(1_250_000_000L, current.seedNanoUsd());
        // After the reset the database has not applied yet: the next period, from zero.
        Budget next = Governance.budget("key:h", 5, "30d", resetAt, 1.25, Instant.parse("2026-12-02T00:00:00Z"));
        assertEquals("key:h:" + resetAt.plusSeconds(30 * 86400).getEpochSecond(), next.name());
        assertEquals(0, next.seedNanoUsd());
        // Months on the database's grid (BudgetDuration.nextReset: counted from the stored end, Jan 31 -> Apr 30),
        // not stepped month by month (Jan 31 -> Feb 28 -> Mar 28 -> Apr 28), or replicas and database would disagree.
        Budget monthly = Governance.budget("key:h", 5, "1mo", Instant.parse("2027-01-31T00:00:00Z"), 0,
                Instant.parse("2027-04-05T00:00:00Z"));
        assertEquals("key:h:" + Instant.parse("2027-04-30T00:00:00Z").getEpochSecond(), monthly.name());
        // No period: one lifetime counter.
        assertEquals("team:t:all", Governance.budget("team:t", 1, null, null, 0, created).name());
    }
}
