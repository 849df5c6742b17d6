package dev.bedrockgateway.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.bedrockgateway.governance.redis.RedisClients;
import dev.bedrockgateway.governance.redis.RedisCounters;
import dev.bedrockgateway.governance.store.SharedCounters.Budget;
import dev.bedrockgateway.testing.EmbeddedRedis;
import dev.bedrockgateway.testing.Eventually;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;

/** The gateway's counters when Redis goes away and comes back, on a real redis-server stopped mid-way. */
class CountersTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);
    /** What a call may take beyond the store timeout before it counts as a hang. */
    private static final Duration MARGIN = Duration.ofMillis(700);

    private final Vertx vertx = Vertx.vertx();
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        vertx.closeAndAwait();
    }

    private Counters counters(String url) {
        Counters counters = new Counters(vertx, Optional.ofNullable(url), TIMEOUT, registry);
        closing.add(counters::close);
        return counters;
    }

    /** A second replica's view of the same Redis, to see what reached it. */
    private RedisCounters direct(EmbeddedRedis server) {
        Redis client = RedisClients.create(vertx, server.url());
        closing.add(client::close);
        return new RedisCounters(client, Duration.ofSeconds(2));
    }

    private EmbeddedRedis server() {
        EmbeddedRedis server = EmbeddedRedis.start();
        closing.add(server);
        return server;
    }

    /**
     * Counters on {@code server}, once a first call reached it: a cold JVM's first connection may outlast the short
     * test timeout.
     */
    private Counters warmCounters(EmbeddedRedis server) throws InterruptedException {
        Counters counters = counters(server.url());
        counters.acquire("warm-up", new RateLimiter.Limit(1000, 0)).await().atMost(Duration.ofSeconds(5));
        Eventually.until(() -> counters.redisState().equals("up"), "Redis up");
        return counters;
    }

    private double fallbacks() {
        return registry.get("gateway.store.fallbacks").tag("store", "redis").counter().count();
    }

    /** Awaits {@code uni}, failing the test if it takes longer than the store timeout and the margin. */
    private static <T> T inTime(Uni<T> uni) {
        long start = System.nanoTime();
        T item = uni.await().atMost(TIMEOUT.plus(MARGIN).plusSeconds(1));
        long took = (System.nanoTime() - start) / 1_000_000;
        assertTrue(took <= TIMEOUT.plus(MARGIN).toMillis(), "answered after " + took + " ms");
        return item;
    }

    @Test
    void withoutRedisEverythingIsLocal() {
        Counters counters = counters(null);
        assertEquals("not configured", counters.redisState());
        assertFalse(counters.shared());
        assertTrue(inTime(counters.acquire("k", new RateLimiter.Limit(1, 0))).allowed());
        assertFalse(inTime(counters.acquire("k", new RateLimiter.Limit(1, 0))).allowed());
        assertEquals(0, fallbacks(), "not configured is not a fallback");
    }

    @Test
    void aStoppedRedisFallsBackToLocalCountersAndARestartedOneIsUsedAgain() throws Exception {
        EmbeddedRedis server = server();
        Counters counters = warmCounters(server);
        RedisCounters otherReplica = direct(server);
        RateLimiter.Limit limit = new RateLimiter.Limit(3, 0);
        double warmUpFallbacks = fallbacks();

        assertTrue(inTime(counters.acquire("shared", limit)).allowed());
        assertTrue(inTime(otherReplica.acquire("shared", limit)).allowed());
        assertEquals(0, inTime(counters.acquire("shared", limit)).remainingRequests(), "both replicas counted");
        assertTrue(counters.shared());
        assertEquals("up", counters.redisState());

        server.stop();
        for (int i = 0; i < 20; i++) {
            assertTrue(inTime(counters.acquire("during", limit)).allowed() == (i < 3), "local bucket, call " + i);
        }
        assertTrue(counters.redisState().startsWith("down: "), counters.redisState());
        assertFalse(counters.shared());
        assertEquals(20, fallbacks() - warmUpFallbacks);
        Budget budget = new Budget("key:k:1", 100, 0, 600);
        assertEquals(-1, inTime(counters.reserve(List.of(budget), 60)));
        assertTrue(inTime(counters.enter("key:k", 1)));

        server.up();
        Eventually.until(() -> counters.redisState().equals("up"), "Redis seen up again");
        assertTrue(counters.shared());
        assertTrue(inTime(counters.acquire("after", limit)).allowed());
        assertEquals(1, inTime(otherReplica.acquire("after", limit)).remainingRequests(),
                "the call after recovery reached Redis");
        double before = fallbacks();

        // Made locally during the outage, so settled and left locally: Redis never saw them.
        inTime(counters.settle(List.of(budget), 60, 25));
        assertEquals(25, inTime(counters.local().spent(budget)));
        assertEquals(0, inTime(otherReplica.spent(budget)), "nothing settled in Redis");
        assertEquals(1, counters.local().inFlight("key:k"));
        inTime(counters.leave("key:k"));
        assertEquals(0, counters.local().inFlight("key:k"));
        assertEquals(before, fallbacks(), "settling where the reservation was made is no fallback");
    }

    @Test
    void aSettlementRedisMissedIsReplayedWhenItIsBack() throws Exception {
        EmbeddedRedis server = server();
        Counters counters = warmCounters(server);
        RedisCounters otherReplica = direct(server);
        Budget budget = new Budget("team:t:1", 100, 0, 600);
        assertEquals(-1, inTime(counters.reserve(List.of(budget), 50)));

        // A Redis that pauses keeps its data: SIGSTOP would do; a stop and restart loses it, so the replay lands on
        // an empty server, where the spend still arrives and the lost reservation stays at 0.
        server.stop();
        inTime(counters.settle(List.of(budget), 50, 30));
        server.up();
        Eventually.until(() -> counters.redisState().equals("up"), "Redis seen up again");
        Eventually.until(() -> otherReplica.spent(budget).await().atMost(Duration.ofSeconds(2)) == 30,
                "the settlement replayed");
        assertEquals(-1, inTime(otherReplica.reserve(List.of(budget), 70)), "30 spent, nothing reserved");
        assertEquals(0, inTime(otherReplica.reserve(List.of(budget), 1)),
                "30 + 70: the released reservation did not go below zero and free budget");
    }

    @Test
    void aRedisThatNeverAnswersCostsOneTimeoutThenCallsAreLocalAtOnce() throws Exception {
        // Accepts connections and never says a word: the worst kind of outage, a hang rather than a refusal.
        ServerSocket silent = new ServerSocket(0);
        List<Socket> accepted = new ArrayList<>();
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(silent.accept());
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        closing.add(silent);

        Counters counters = counters("redis://127.0.0.1:" + silent.getLocalPort());
        RateLimiter.Limit limit = new RateLimiter.Limit(2, 0);
        assertTrue(inTime(counters.acquire("k", limit)).allowed());
        assertTrue(counters.redisState().startsWith("down: "), counters.redisState());
        long start = System.nanoTime();
        assertTrue(inTime(counters.acquire("k", limit)).allowed());
        assertFalse(inTime(counters.acquire("k", limit)).allowed(), "the local bucket holds 2");
        assertTrue(System.nanoTime() - start < TIMEOUT.toNanos(), "no further timeouts while down");
        assertTrue(fallbacks() >= 3);
        for (Socket s : accepted) {
            s.close();
        }
    }
}
