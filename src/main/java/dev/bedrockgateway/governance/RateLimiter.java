package dev.bedrockgateway.governance;

/**
 * Per-minute request and token budgets, kept per bucket (an API key, the whole gateway, a deployment). The gateway
 * talks to the budgets only through this interface, so a shared store (e.g. Redis, for limits across replicas) can
 * replace the in-process {@link LocalRateLimiter} by providing another bean of this type.
 *
 * <p>Semantics (as OpenAI's own limits): a request is admitted while its bucket has a request and has not run out
 * of tokens; the tokens a request used are only known when Bedrock answered, so they are taken afterwards and may
 * drive the token budget below zero, which then holds back the next requests until it refilled.
 */
public interface RateLimiter {

    /** Takes one request from {@code bucket} if it has one and its tokens are not exhausted. */
    Decision acquire(String bucket, Limit limit);

    /** Whether {@link #acquire} would admit a request now, without taking one. */
    boolean available(String bucket, Limit limit);

    /** Takes the tokens a request used. */
    void consumeTokens(String bucket, Limit limit, long tokens);

    /** Per-minute budgets; 0 means unlimited. */
    record Limit(int rpm, int tpm) {

        public static final Limit NONE = new Limit(0, 0);

        public boolean limited() {
            return rpm > 0 || tpm > 0;
        }
    }

    /**
     * The state of a bucket after a decision, as OpenAI reports it in {@code x-ratelimit-*} headers.
     *
     * @param allowed whether the request was admitted
     * @param exhausted {@code requests} or {@code tokens} when refused
     * @param remainingRequests requests left in the budget (after this one)
     * @param remainingTokens tokens left in the budget
     * @param resetRequestsMillis time until the request budget is full again
     * @param resetTokensMillis time until the token budget is full again
     * @param retryAfterMillis when refused, time until a request would be admitted
     */
    record Decision(boolean allowed, String exhausted, long remainingRequests, long remainingTokens,
            long resetRequestsMillis, long resetTokensMillis, long retryAfterMillis) {
    }
}
