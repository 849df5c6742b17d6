package dev.bedrockgateway.governance;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A budget period as LiteLLM writes it ({@code budget_duration}): a positive count and a unit, {@code s} seconds,
 * {@code m} minutes, {@code h} hours, {@code d} days, {@code w} weeks or {@code mo} calendar months ({@code 30s},
 * {@code 30m}, {@code 24h}, {@code 30d}, {@code 1mo}). Months are counted on the UTC calendar, so that a monthly
 * budget starting on the 1st resets on every 1st rather than drifting by 30-day steps.
 *
 * @param amount how many units, at least 1
 * @param unit the unit
 */
public record BudgetDuration(long amount, Unit unit) {

    private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})(mo|s|m|h|d|w)");

    /** The units of a budget period. */
    public enum Unit {
        SECONDS(Duration.ofSeconds(1)),
        MINUTES(Duration.ofMinutes(1)),
        HOURS(Duration.ofHours(1)),
        DAYS(Duration.ofDays(1)),
        WEEKS(Duration.ofDays(7)),
        /** Calendar months: no fixed length. */
        MONTHS(null);

        private final Duration length;

        Unit(Duration length) {
            this.length = length;
        }
    }

    public BudgetDuration {
        if (amount < 1) {
            throw new IllegalArgumentException("a budget duration must be positive: " + amount);
        }
    }

    /**
     * Parses LiteLLM's form ({@code 30d}); surrounding blanks are ignored.
     *
     * @throws IllegalArgumentException when {@code text} is not such a duration, with a message naming it
     */
    public static BudgetDuration parse(String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid budget duration '" + text
                    + "': expected a count and a unit, s, m, h, d, w or mo (30s, 30m, 24h, 30d, 1mo)");
        }
        long amount = Long.parseLong(m.group(1));
        Unit unit = switch (m.group(2)) {
            case "s" -> Unit.SECONDS;
            case "m" -> Unit.MINUTES;
            case "h" -> Unit.HOURS;
            case "d" -> Unit.DAYS;
            case "w" -> Unit.WEEKS;
            default -> Unit.MONTHS;
        };
        return new BudgetDuration(amount, unit);
    }

    /** The end of the {@code periods}-th period starting at {@code start}. */
    public Instant after(Instant start, long periods) {
        if (unit == Unit.MONTHS) {
            // Counted from the start each time: Jan 31 + 2 months is Mar 31, not Feb 28 + 1 month.
            return ZonedDateTime.ofInstant(start, ZoneOffset.UTC).plusMonths(amount * periods).toInstant();
        }
        return start.plus(unit.length.multipliedBy(amount * periods));
    }

    /** The end of the period starting at {@code start}. */
    public Instant after(Instant start) {
        return after(start, 1);
    }

    /**
     * The end of the period that contains {@code now}, periods being laid end to end from {@code periodEnd} (the end
     * of a period that has passed): the budget resets on the same grid however long nobody spent.
     *
     * @return the first period end after {@code now}: {@code periodEnd} itself when it is after {@code now}
     */
    public Instant nextReset(Instant periodEnd, Instant now) {
        if (periodEnd.isAfter(now)) {
            return periodEnd;
        }
        if (unit != Unit.MONTHS) {
            Duration length = unit.length.multipliedBy(amount);
            long periods = Duration.between(periodEnd, now).dividedBy(length) + 1;
            return after(periodEnd, periods);
        }
        long periods = 1;
        Instant end = after(periodEnd, periods);
        while (!end.isAfter(now)) {
            end = after(periodEnd, ++periods);
        }
        return end;
    }

    @Override
    public String toString() {
        String suffix = switch (unit) {
            case SECONDS -> "s";
            case MINUTES -> "m";
            case HOURS -> "h";
            case DAYS -> "d";
            case WEEKS -> "w";
            case MONTHS -> "mo";
        };
        return amount + suffix;
    }
}
