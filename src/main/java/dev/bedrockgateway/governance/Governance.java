package dev.bedrockgateway.governance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.config.GatewayConfig;
import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.governance.store.SharedCounters;
import dev.bedrockgateway.governance.store.SharedCounters.Budget;
import dev.bedrockgateway.governance.store.SpendRow;
import dev.bedrockgateway.governance.store.Team;
import dev.bedrockgateway.governance.store.VirtualKey;
import dev.bedrockgateway.observability.GatewayMetrics;
import dev.bedrockgateway.observability.RequestRecord;
import io.smallrye.mutiny.Uni;

/**
 * Admission and settlement of every API request to Bedrock, after authentication:
 *
 * <ol>
 * <li>the gateway's own limits ({@link ClientRateLimits}, every caller, {@link #admitToGateway});</li>
 * <li>for a virtual key: its RPM/TPM and its team's (shared across replicas through {@link SharedCounters}),
 * its requests in flight, then its budget and its team's;</li>
 * <li>at the end of the exchange, whichever way it ended: the real cost settles the reservation, the slot is
 * released, and one spend row is recorded ({@link SpendLog}).</li>
 * </ol>
 *
 * <p><b>Budgets hold under bursts.</b> A request is admitted while its budget has {@code spent + reserved < max},
 * and then reserves its worst-case cost: its body's size in bytes as input tokens (no tokenizer makes more tokens
 * than bytes), priced at the dearer of the input and cache-write prices, plus its {@code max_tokens} (else the
 * catalog's {@code max_output_tokens}, else {@code gateway.governance.default-max-output-tokens}) at the output
 * price. So however many requests run at once, the spend of a period exceeds the budget by at most one request's
 * worst-case cost (when the request or the catalog bounds its output). LiteLLM checks the spend after the fact, so
 * every request of a burst passes.
 */
@ApplicationScoped
public class Governance {

    private static final Logger LOG = Logger.getLogger(Governance.class);
    private static final long NANO_USD_PER_USD = 1_000_000_000L;
    /** How long a lifetime budget's counter lives in Redis before it is seeded again from the database. */
    private static final long LIFETIME_TTL_SECONDS = 7 * 24 * 3600;

    /** What an admitted request holds until its exchange ends. */
    public record Grant(List<Budget> budgets, long reservedNanoUsd, String parallelBucket) {
        public static final Grant NONE = new Grant(List.of(), 0, null);
    }

    private final ClientRateLimits gatewayLimits;
    private final SharedCounters counters;
    private final Prices prices;
    private final SpendLog spendLog;
    private final GatewayMetrics metrics;
    private final int defaultMaxOutputTokens;

    @Inject
    public Governance(ClientRateLimits gatewayLimits, SharedCounters counters, Prices prices, SpendLog spendLog,
            GatewayMetrics metrics, GatewayConfig config) {
        this.gatewayLimits = gatewayLimits;
        this.counters = counters;
        this.prices = prices;
        this.spendLog = spendLog;
        this.metrics = metrics;
        this.defaultMaxOutputTokens = config.governance().defaultMaxOutputTokens();
    }

    /** The gateway's own limits, for every caller, from memory: throws the 429 of the limit the request is over. */
    public void admitToGateway(RequestRecord record) {
        gatewayLimits.admit(record);
    }

    /** Whether admitting {@code caller} asks the shared counters (a virtual key); else it is {@link Grant#NONE}. */
    public static boolean shared(Caller caller) {
        return caller != null && caller.virtual();
    }

    /** Whether {@link #finish} has anything to do for a request of {@code caller}: a grant to settle, a spend row. */
    public boolean settles(Caller caller) {
        return shared(caller) || spendLog.enabled();
    }

    /**
     * Admits one request of a virtual key's {@code caller} ({@link #shared}) for {@code deployment} (its model's
     * first), after {@link #admitToGateway}, or fails with the 429 of the limit it is over.
     *
     * @param bodyBytes the request body's size, the bound of its input tokens
     * @param maxOutputTokens the output the request allows, when it says
     */
    public Uni<Grant> admit(RequestRecord record, Caller caller, Deployment deployment, long bodyBytes,
            OptionalInt maxOutputTokens) {
        VirtualKey key = caller.key();
        Team team = caller.team();
        Uni<Void> limits = rateLimit(record, "vkey:" + key.tokenHash(), "your API key (" + caller.keyId() + ")",
                key.rpmLimit(), key.tpmLimit(), true);
        if (team != null) {
            limits = limits.chain(() -> rateLimit(record, "team:" + team.teamId(), "your team (" + team.teamId() + ")",
                    team.rpmLimit(), team.tpmLimit(), key.rpmLimit() == null && key.tpmLimit() == null));
        }
        return limits.chain(() -> enter(key)).chain(parallel -> reserve(caller, deployment, bodyBytes,
                maxOutputTokens, parallel));
    }

    private Uni<Void> rateLimit(RequestRecord record, String bucket, String whose, Integer rpm, Integer tpm,
            boolean writeHeaders) {
        RateLimiter.Limit limit = limit(rpm, tpm);
        if (!limit.limited()) {
            return Uni.createFrom().voidItem();
        }
        return counters.acquire(bucket, limit).map(decision -> {
            if (writeHeaders) {
                RateLimitHeaders.write(limit, decision, record::header);
            }
            if (!decision.allowed()) {
                throw ClientRateLimits.refusal(metrics, bucket.substring(0, bucket.indexOf(':')), decision, whose,
                        limit);
            }
            return null;
        });
    }

    /** The same limit for a bucket on admission and when its tokens are taken: the bucket refills by it. */
    private static RateLimiter.Limit limit(Integer rpm, Integer tpm) {
        return new RateLimiter.Limit(rpm == null ? 0 : rpm, tpm == null ? 0 : tpm);
    }

    private Uni<String> enter(VirtualKey key) {
        Integer max = key.maxParallelRequests();
        if (max == null) {
            return Uni.createFrom().nullItem();
        }
        String bucket = "parallel:" + key.tokenHash();
        return counters.enter(bucket, max).map(entered -> {
            if (!entered) {
                metrics.rateLimited("parallel");
                throw new OpenAiException(429, ErrorTypes.RATE_LIMIT, ErrorTypes.CODE_RATE_LIMIT, null,
                        "Your API key has " + max + " requests in flight, its max_parallel_requests. Please try "
                                + "again when one of them has finished.",
                        Map.of("Retry-After", "1"), null);
            }
            return bucket;
        });
    }

    private Uni<Grant> reserve(Caller caller, Deployment deployment, long bodyBytes, OptionalInt maxOutputTokens,
            String parallel) {
        Instant now = Instant.now();
        List<Budget> budgets = new ArrayList<>(2);
        List<String> whose = new ArrayList<>(2);
        VirtualKey key = caller.key();
        if (key.maxBudget() != null) {
            budgets.add(budget("key:" + key.tokenHash(), key.maxBudget(), key.budgetDuration(), key.budgetResetAt(),
                    key.spend(), now));
            whose.add("Your API key");
        }
        Team team = caller.team();
        if (team != null && team.maxBudget() != null) {
            budgets.add(budget("team:" + team.teamId(), team.maxBudget(), team.budgetDuration(),
                    team.budgetResetAt(), team.spend(), now));
            whose.add("Your team (" + team.teamId() + ")");
        }
        if (budgets.isEmpty()) {
            return Uni.createFrom().item(new Grant(List.of(), 0, parallel));
        }
        int maxOut = maxOutputTokens.orElse(deployment.maxOutputTokens().orElse(defaultMaxOutputTokens));
        long worst = prices.worstCaseNanoUsd(deployment, bodyBytes, maxOut);
        return counters.reserve(budgets, worst).map(refused -> {
            if (refused >= 0) {
                leave(parallel);
                metrics.rateLimited("budget");
                Budget over = budgets.get(refused);
                throw new OpenAiException(429, "insufficient_quota", "insufficient_quota", null,
                        whose.get(refused) + " has exceeded its budget of $" + usd(over.maxNanoUsd())
                                + ". Ask your gateway's administrator to raise max_budget or wait for the budget "
                                + "to reset.");
            }
            return new Grant(List.copyOf(budgets), worst, parallel);
        });
    }

    /**
     * A budget's counter in its current period: the period's end is part of its name, so a new period starts at 0. The
     * period is the one the database resets on ({@link BudgetDuration#nextReset}), laid end to end from the stored
     * {@code budget_reset_at}; a budget without one is counted over its lifetime.
     */
    static Budget budget(String scope, double maxUsd, String duration, Instant resetAt, double storedSpend,
            Instant now) {
        long max = Math.round(maxUsd * NANO_USD_PER_USD);
        long stored = Math.round(storedSpend * NANO_USD_PER_USD);
        if (duration == null || resetAt == null) {
            return new Budget(scope + ":all", max, stored, LIFETIME_TTL_SECONDS);
        }
        Instant end = BudgetDuration.parse(duration).nextReset(resetAt, now);
        // The stored spend is that of the stored period only: once it ended, the new period starts from nothing.
        long seed = end.equals(resetAt) ? stored : 0;
        long ttl = Math.max(60, end.getEpochSecond() - now.getEpochSecond() + 3600);
        return new Budget(scope + ":" + end.getEpochSecond(), max, seed, ttl);
    }

    /**
     * Ends an admitted request: settles its reservation with what it really cost, releases its slot, and records its
     * spend row. Never fails: a store that is down falls back or buffers (see {@link SharedCounters},
     * {@link SpendLog}).
     */
    public void finish(RequestRecord record, Caller caller, Grant grant, int httpStatus, Instant start) {
        long cost = Math.max(0, record.costNanoUsd());
        if (!grant.budgets().isEmpty()) {
            counters.settle(grant.budgets(), grant.reservedNanoUsd(), cost).subscribe().with(ok -> {
            }, failure -> LOG.warnf("Budget settlement of request %s failed: %s", record.requestId(), failure));
        }
        leave(grant.parallelBucket());
        long tokens = Math.max(0, record.inputTokens()) + Math.max(0, record.outputTokens()) + record.cacheReadTokens()
                + record.cacheWriteTokens();
        if (caller != null && caller.virtual() && tokens > 0) {
            consume("vkey:" + caller.key().tokenHash(), caller.key().rpmLimit(), caller.key().tpmLimit(), tokens);
            if (caller.team() != null) {
                consume("team:" + caller.team().teamId(), caller.team().rpmLimit(), caller.team().tpmLimit(), tokens);
            }
        }
        if (!spendLog.enabled()) {
            return;
        }
        VirtualKey key = caller == null ? null : caller.key();
        spendLog.record(new SpendRow(record.requestId(), record.endpoint(),
                key != null ? key.tokenHash() : caller == null ? null : caller.keyId(),
                key != null ? key.teamId() : null, key != null ? key.userId() : null, record.model(),
                record.bedrockModel(),
                Math.max(0, record.inputTokens()) + record.cacheReadTokens() + record.cacheWriteTokens(),
                Math.max(0, record.outputTokens()),
                record.cacheReadTokens(), record.cacheWriteTokens(), cost / (double) NANO_USD_PER_USD,
                httpStatus < 400 ? "success" : "failure", httpStatus, start, Instant.now()));
    }

    /** Takes a finished request's tokens from a TPM budget (the request was admitted before they were known). */
    private void consume(String bucket, Integer rpm, Integer tpm, long tokens) {
        if (tpm != null) {
            counters.consumeTokens(bucket, limit(rpm, tpm), tokens).subscribe().with(ok -> {
            }, failure -> LOG.warnf("Counting the tokens of %s failed: %s", bucket, failure));
        }
    }

    private void leave(String parallelBucket) {
        if (parallelBucket != null) {
            counters.leave(parallelBucket).subscribe().with(ok -> {
            }, failure -> LOG.warnf("Leaving %s failed: %s", parallelBucket, failure));
        }
    }

    /**
     * Dollars as OpenAI and LiteLLM write them: plain decimal, no exponent, trailing zeros dropped ({@code 0.00012},
     * {@code 1.5}, {@code 0}). Written by hand: it runs for every answer, and BigDecimal's way allocates several times as
     * much.
     */
    public static String usd(long nanoUsd) {
        StringBuilder text = new StringBuilder(20);
        if (nanoUsd < 0) {
            text.append('-');
            nanoUsd = -nanoUsd;
        }
        text.append(nanoUsd / NANO_USD_PER_USD);
        long fraction = nanoUsd % NANO_USD_PER_USD;
        if (fraction != 0) {
            int digits = 9;
            while (fraction % 10 == 0) {
                fraction /= 10;
                digits--;
            }
            text.append('.');
            String rest = Long.toString(fraction);
            for (int i = rest.length(); i < digits; i++) {
                text.append('0');
            }
            text.append(rest);
        }
        return text.toString();
    }

    /** The cost headers of an answer so far: the gateway's own and LiteLLM's. */
    public static void costHeaders(RequestRecord record) {
        String usd = usd(record.costNanoUsd());
        record.header("x-bedrock-gateway-cost", usd);
        record.header("x-litellm-response-cost", usd);
    }
}
