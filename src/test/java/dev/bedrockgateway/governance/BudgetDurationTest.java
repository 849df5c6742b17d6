package dev.bedrockgateway.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class BudgetDurationTest {

    private static final Instant T = Instant.parse("2025-01-31T10:00:00Z");

    @Test
    void parsesLiteLlmUnits() {
        assertEquals(Instant.parse("2025-01-31T10:00:30Z"), BudgetDuration.parse("30s").after(T));
        assertEquals(Instant.parse("2025-01-31T10:30:00Z"), BudgetDuration.parse("30m").after(T));
        assertEquals(Instant.parse("2025-02-01T10:00:00Z"), BudgetDuration.parse("24h").after(T));
        assertEquals(Instant.parse("2025-03-02T10:00:00Z"), BudgetDuration.parse("30d").after(T));
        assertEquals(Instant.parse("2025-02-14T10:00:00Z"), BudgetDuration.parse("2w").after(T));
        assertEquals(Instant.parse("2025-02-28T10:00:00Z"), BudgetDuration.parse(" 1mo ").after(T));
        assertEquals("1mo", BudgetDuration.parse("1mo").toString());
        assertEquals("30m", BudgetDuration.parse("30m").toString());
    }

    @Test
    void rejectsWhatIsNotADuration() {
        for (String bad : new String[] {null, "", "30", "d", "0d", "-1d", "1y", "1.5h", "30 d", "1month"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BudgetDuration.parse(bad), String.valueOf(bad));
            assertTrue(e.getMessage().contains("budget duration"), e.getMessage());
        }
    }

    @Test
    void monthsAreCalendarMonthsCountedFromTheStartWithoutDrift() {
        BudgetDuration month = BudgetDuration.parse("1mo");
        // Jan 31 + 1 month is Feb 28, but the period after that ends on Mar 31, not Mar 28.
        assertEquals(Instant.parse("2025-03-31T10:00:00Z"), month.after(T, 2));
        assertEquals(Instant.parse("2025-03-31T10:00:00Z"),
                month.nextReset(T, Instant.parse("2025-03-01T00:00:00Z")));
    }

    @Test
    void nextResetStaysOnTheGridOfPastPeriods() {
        BudgetDuration day = BudgetDuration.parse("1d");
        // Three and a half days after a period ended: the current period ends four days after it.
        assertEquals(Instant.parse("2025-02-04T10:00:00Z"),
                day.nextReset(T, Instant.parse("2025-02-03T22:00:00Z")));
        // Exactly on a period end: that period is over, the next one ends a day later.
        assertEquals(Instant.parse("2025-02-01T10:00:00Z"), day.nextReset(T, T));
        // A period end still ahead is kept.
        assertEquals(T, day.nextReset(T, T.minusSeconds(1)));
    }
}
