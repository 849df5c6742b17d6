package dev.bedrockgateway.governance;

import java.util.function.BiConsumer;

/** OpenAI's {@code x-ratelimit-*} response headers and its way of writing durations ({@code 20ms}, {@code 1.5s}, {@code 6m0s}). */
public final class RateLimitHeaders {

    private RateLimitHeaders() {
    }

    static void write(RateLimiter.Limit limit, RateLimiter.Decision decision, BiConsumer<String, String> header) {
        if (limit.rpm() > 0) {
            header.accept("x-ratelimit-limit-requests", Integer.toString(limit.rpm()));
            header.accept("x-ratelimit-remaining-requests", Long.toString(decision.remainingRequests()));
            header.accept("x-ratelimit-reset-requests", duration(decision.resetRequestsMillis()));
        }
        if (limit.tpm() > 0) {
            header.accept("x-ratelimit-limit-tokens", Integer.toString(limit.tpm()));
            header.accept("x-ratelimit-remaining-tokens", Long.toString(decision.remainingTokens()));
            header.accept("x-ratelimit-reset-tokens", duration(decision.resetTokensMillis()));
        }
    }

    /** {@code 0s}, {@code 20ms}, {@code 1.5s}, {@code 6m0s}. */
    public static String duration(long millis) {
        if (millis <= 0) {
            return "0s";
        }
        if (millis < 1000) {
            return millis + "ms";
        }
        long minutes = millis / 60_000;
        long rest = millis % 60_000;
        String seconds = rest % 1000 == 0 ? Long.toString(rest / 1000)
                : java.math.BigDecimal.valueOf(rest, 3).stripTrailingZeros().toPlainString();
        return minutes > 0 ? minutes + "m" + seconds + "s" : seconds + "s";
    }
}
