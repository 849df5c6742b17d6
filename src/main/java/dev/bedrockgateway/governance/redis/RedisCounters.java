package dev.bedrockgateway.governance.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

import dev.bedrockgateway.bedrock.LoopScheduler;
import dev.bedrockgateway.governance.RateLimiter;
import dev.bedrockgateway.governance.store.GovernanceStore.StoreUnavailable;
import dev.bedrockgateway.governance.store.SharedCounters;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * The counters every replica shares, in Redis. Each change is one Lua script, so Redis applies it atomically and no
 * replica ever reads a value to write it back. Every call fails with {@link StoreUnavailable} when Redis does not
 * answer within the timeout (the caller, {@code Counters}, then answers from this replica's counters).
 *
 * <p>Keys, all under {@code bg:}:
 * <ul>
 * <li>{@code bg:rate:<bucket>}: a hash {@code r} (requests left), {@code t} (tokens left), {@code ts} (last refill,
 * Redis server time in ms, so replicas' clocks do not matter). The same token bucket as
 * {@link dev.bedrockgateway.governance.LocalRateLimiter}; it expires once it would be full again, as a missing
 * bucket is a full one.</li>
 * <li>{@code bg:budget:{<name>}:spent} and {@code :reserved}: nano-USD strings. {@code spent} starts at the budget's
 * seed ({@code SET NX}), both live {@code ttlSeconds} past their last change. The braces are a hash tag: one budget's
 * two keys stay together on a cluster.</li>
 * <li>{@code bg:parallel:<bucket>}: a sorted set of the requests in flight, scored by their entry time. An entry older
 * than {@link #PARALLEL_EXPIRY} is dropped, so the slots of a replica that crashed before its requests left free
 * themselves even while the key stays busy.</li>
 * </ul>
 */
public final class RedisCounters implements SharedCounters {

    /** Longer than the longest request (Bedrock's request timeout defaults to 10 minutes). */
    static final Duration PARALLEL_EXPIRY = Duration.ofMinutes(15);

    private static final String PREFIX = "bg:";

    /** Redis server time in ms; effects replication so that TIME may precede writes (needed before Redis 5). */
    private static final String NOW = """
            if redis.replicate_commands then redis.replicate_commands() end
            local clock = redis.call('TIME')
            local now = tonumber(clock[1]) * 1000 + tonumber(clock[2]) / 1000
            """;

    /** Loads and refills the bucket KEYS[1] for ARGV[1] rpm and ARGV[2] tpm, as LocalRateLimiter does. */
    private static final String BUCKET = NOW + """
            local rpm = tonumber(ARGV[1])
            local tpm = tonumber(ARGV[2])
            local s = redis.call('HMGET', KEYS[1], 'r', 't', 'ts')
            local r, t, ts = tonumber(s[1]), tonumber(s[2]), tonumber(s[3])
            if ts == nil then r = rpm; t = tpm; ts = now end
            if now > ts then
              r = math.min(rpm, r + rpm * (now - ts) / 60000)
              t = math.min(tpm, t + tpm * (now - ts) / 60000)
              ts = now
            end
            local function refill(missing, perMinute)
              if missing <= 0 or perMinute <= 0 then return 0 end
              return math.ceil(missing * 60000 / perMinute)
            end
            local function save()
              redis.call('HSET', KEYS[1], 'r', r, 't', t, 'ts', ts)
              redis.call('PEXPIRE', KEYS[1], math.max(refill(rpm - r, rpm), refill(tpm - t, tpm)) + 1000)
            end
            """;

    private static final LuaScript ACQUIRE = new LuaScript(BUCKET + """
            local requestsOk = rpm <= 0 or r >= 1
            local tokensOk = tpm <= 0 or t > 0
            local allowed = requestsOk and tokensOk
            if allowed and rpm > 0 then r = r - 1 end
            save()
            local retry = 0
            if not requestsOk then retry = refill(1 - r, rpm) end
            if not tokensOk then retry = math.max(retry, refill(1 - t, tpm)) end
            local exhausted = 0
            if not requestsOk then exhausted = 1 elseif not tokensOk then exhausted = 2 end
            return {allowed and 1 or 0, exhausted,
              rpm > 0 and math.floor(r) or -1, tpm > 0 and math.max(0, math.floor(t)) or -1,
              rpm > 0 and refill(rpm - r, rpm) or 0, tpm > 0 and refill(tpm - t, tpm) or 0, retry}
            """);

    private static final LuaScript CONSUME = new LuaScript(BUCKET + """
            t = t - tonumber(ARGV[3])
            save()
            return 1
            """);

    /**
     * KEYS: spent and reserved of each budget in turn; ARGV[1] the reservation, then max, seed, ttl of each budget.
     * Answers -1 when reserved on all, else the 0-based index of the first budget that refused (nothing reserved).
     */
    private static final LuaScript RESERVE = new LuaScript("""
            local n = #KEYS / 2
            for i = 1, n do
              local max, seed, ttl = tonumber(ARGV[3 * i - 1]), ARGV[3 * i], ARGV[3 * i + 1]
              redis.call('SET', KEYS[2 * i - 1], seed, 'NX', 'EX', ttl)
              local spent = tonumber(redis.call('GET', KEYS[2 * i - 1]))
              local reserved = tonumber(redis.call('GET', KEYS[2 * i])) or 0
              if spent + reserved >= max then return i - 1 end
            end
            for i = 1, n do
              local ttl = ARGV[3 * i + 1]
              redis.call('INCRBY', KEYS[2 * i], ARGV[1])
              redis.call('EXPIRE', KEYS[2 * i], ttl)
              redis.call('EXPIRE', KEYS[2 * i - 1], ttl)
            end
            return -1
            """);

    /**
     * KEYS as for RESERVE; ARGV[1] the reservation released, ARGV[2] the actual cost, then seed and ttl of each
     * budget. A reservation lost with a Redis restart leaves {@code reserved} at 0, never below.
     */
    private static final LuaScript SETTLE = new LuaScript("""
            for i = 1, #KEYS / 2 do
              local seed, ttl = ARGV[2 * i + 1], ARGV[2 * i + 2]
              redis.call('SET', KEYS[2 * i - 1], seed, 'NX', 'EX', ttl)
              redis.call('INCRBY', KEYS[2 * i - 1], ARGV[2])
              redis.call('EXPIRE', KEYS[2 * i - 1], ttl)
              if redis.call('DECRBY', KEYS[2 * i], ARGV[1]) < 0 then
                redis.call('SET', KEYS[2 * i], 0)
              end
              redis.call('EXPIRE', KEYS[2 * i], ttl)
            end
            return 1
            """);

    /** KEYS[1] the set; ARGV[1] max, ARGV[2] this entry's member, ARGV[3] the expiry in ms. Answers 1 if entered. */
    private static final LuaScript ENTER = new LuaScript(NOW + """
            local expiry = tonumber(ARGV[3])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - expiry)
            if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
            redis.call('ZADD', KEYS[1], now, ARGV[2])
            redis.call('PEXPIRE', KEYS[1], expiry)
            return 1
            """);

    private final PipelinedConnection redis;
    private final Duration timeout;
    /** Names this replica's entries, so that leaving removes one of its own and never another replica's. */
    private final String replica = UUID.randomUUID().toString();
    private final AtomicLong entries = new AtomicLong();
    /** This replica's entries per parallel bucket; requests in one bucket are interchangeable. */
    private final ConcurrentHashMap<String, Deque<String>> entered = new ConcurrentHashMap<>();

    /** Counters in {@code redis} (which the caller owns and closes); every call bounded by {@code timeout}. */
    public RedisCounters(Redis redis, Duration timeout) {
        this.redis = new PipelinedConnection(redis);
        this.timeout = timeout;
    }

    @Override
    public Uni<RateLimiter.Decision> acquire(String bucket, RateLimiter.Limit limit) {
        if (!limit.limited()) {
            return Uni.createFrom().item(new RateLimiter.Decision(true, null, -1, -1, 0, 0, 0));
        }
        return bounded(ACQUIRE.run(redis, List.of(PREFIX + "rate:" + bucket),
                List.of(Integer.toString(limit.rpm()), Integer.toString(limit.tpm()))))
                .map(RedisCounters::decision);
    }

    private static RateLimiter.Decision decision(Response r) {
        int exhausted = r.get(1).toInteger();
        return new RateLimiter.Decision(r.get(0).toInteger() == 1,
                exhausted == 1 ? "requests" : exhausted == 2 ? "tokens" : null,
                r.get(2).toLong(), r.get(3).toLong(), r.get(4).toLong(), r.get(5).toLong(), r.get(6).toLong());
    }

    @Override
    public Uni<Void> consumeTokens(String bucket, RateLimiter.Limit limit, long tokens) {
        if (limit.tpm() <= 0 || tokens <= 0) {
            return Uni.createFrom().voidItem();
        }
        return bounded(CONSUME.run(redis, List.of(PREFIX + "rate:" + bucket),
                List.of(Integer.toString(limit.rpm()), Integer.toString(limit.tpm()), Long.toString(tokens))))
                .replaceWithVoid();
    }

    @Override
    public Uni<Integer> reserve(List<Budget> budgets, long nanoUsd) {
        List<String> args = new ArrayList<>(1 + 3 * budgets.size());
        args.add(Long.toString(nanoUsd));
        for (Budget b : budgets) {
            args.add(Long.toString(b.maxNanoUsd()));
            args.add(Long.toString(b.seedNanoUsd()));
            args.add(Long.toString(ttl(b)));
        }
        return bounded(RESERVE.run(redis, budgetKeys(budgets), args)).map(Response::toInteger);
    }

    @Override
    public Uni<Void> settle(List<Budget> budgets, long reservedNanoUsd, long actualNanoUsd) {
        List<String> args = new ArrayList<>(2 + 2 * budgets.size());
        args.add(Long.toString(reservedNanoUsd));
        args.add(Long.toString(actualNanoUsd));
        for (Budget b : budgets) {
            args.add(Long.toString(b.seedNanoUsd()));
            args.add(Long.toString(ttl(b)));
        }
        return bounded(SETTLE.run(redis, budgetKeys(budgets), args)).replaceWithVoid();
    }

    @Override
    public Uni<Long> spent(Budget budget) {
        return bounded(redis.send(Request.cmd(Command.GET).arg(budgetKey(budget, "spent"))))
                .map(r -> r == null ? budget.seedNanoUsd() : r.toLong());
    }

    @Override
    public Uni<Boolean> enter(String bucket, int max) {
        String member = replica + ":" + entries.incrementAndGet();
        return bounded(ENTER.run(redis, List.of(PREFIX + "parallel:" + bucket),
                List.of(Integer.toString(max), member, Long.toString(PARALLEL_EXPIRY.toMillis()))))
                .map(r -> {
                    boolean in = r.toInteger() == 1;
                    if (in) {
                        entered.computeIfAbsent(bucket, k -> new ConcurrentLinkedDeque<>()).add(member);
                    }
                    return in;
                });
    }

    /**
     * Removes one of this replica's entries of {@code bucket}. When Redis cannot be reached the entry is kept, for
     * a later leave to remove; if none comes, it frees itself after {@link #PARALLEL_EXPIRY}.
     */
    @Override
    public Uni<Void> leave(String bucket) {
        Deque<String> mine = entered.get(bucket);
        String member = mine == null ? null : mine.poll();
        if (member == null) {
            return Uni.createFrom().voidItem();
        }
        return bounded(redis.send(Request.cmd(Command.ZREM).arg(PREFIX + "parallel:" + bucket).arg(member)))
                .onFailure().invoke(() -> mine.addFirst(member))
                .replaceWithVoid();
    }

    @Override
    public boolean shared() {
        return true;
    }

    /** Answers Redis's {@code PONG}, or fails like any other call; how {@code Counters} learns Redis is back. */
    public Uni<Void> ping() {
        return bounded(redis.send(Request.cmd(Command.PING))).replaceWithVoid();
    }

    private <T> Uni<T> bounded(Uni<T> call) {
        return call.ifNoItem().after(timeout).on(LoopScheduler.current())
                .failWith(() -> new StoreUnavailable("Redis did not answer within " + timeout.toMillis() + " ms",
                        null))
                .onFailure(f -> !(f instanceof StoreUnavailable))
                .transform(f -> new StoreUnavailable("Redis call failed: "
                        + (f.getMessage() == null ? f.getClass().getSimpleName() : f.getMessage()), f));
    }

    private static List<String> budgetKeys(List<Budget> budgets) {
        List<String> keys = new ArrayList<>(2 * budgets.size());
        for (Budget b : budgets) {
            keys.add(budgetKey(b, "spent"));
            keys.add(budgetKey(b, "reserved"));
        }
        return keys;
    }

    private static String budgetKey(Budget budget, String counter) {
        return PREFIX + "budget:{" + budget.name() + "}:" + counter;
    }

    /** EXPIRE needs a positive number of seconds. */
    private static long ttl(Budget budget) {
        return Math.max(1, budget.ttlSeconds());
    }
}
