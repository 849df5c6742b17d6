package dev.bedrockgateway.governance.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.bedrockgateway.governance.RateLimiter;
import dev.bedrockgateway.governance.store.SharedCounters.Budget;
import dev.bedrockgateway.testing.EmbeddedRedis;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;

/** Two replicas (two clients, two counters) hammering one Redis: the limits hold for the pair, not for each. */
class RedisCountersReplicasTest {

    private EmbeddedRedis server;
    private Vertx vertx;
    private Redis clientA;
    private Redis clientB;
    private RedisCounters replicaA;
    private RedisCounters replicaB;
    private ExecutorService threads;

    @BeforeEach
    void start() {
        server = EmbeddedRedis.start();
        vertx = Vertx.vertx();
        clientA = RedisClients.create(vertx, server.url());
        clientB = RedisClients.create(vertx, server.url());
        replicaA = new RedisCounters(clientA, Duration.ofSeconds(5));
        replicaB = new RedisCounters(clientB, Duration.ofSeconds(5));
        threads = Executors.newFixedThreadPool(8);
    }

    @AfterEach
    void stop() {
        threads.shutdownNow();
        clientA.close();
        clientB.close();
        vertx.closeAndAwait();
        server.close();
    }

    private int count(int calls, Callable<Boolean> onA, Callable<Boolean> onB) throws Exception {
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            results.add(threads.submit(i % 2 == 0 ? onA : onB));
        }
        int admitted = 0;
        for (Future<Boolean> f : results) {
            admitted += f.get() ? 1 : 0;
        }
        return admitted;
    }

    @Test
    void concurrentAcquiresFromTwoReplicasAdmitExactlyTheLimit() throws Exception {
        RateLimiter.Limit limit = new RateLimiter.Limit(50, 0);
        // Load the script first, so that the burst below measures counting, not the first EVAL.
        replicaA.acquire("warm-up", limit).await().atMost(Duration.ofSeconds(5));
        long start = System.nanoTime();
        int admitted = count(200,
                () -> replicaA.acquire("shared", limit).await().atMost(Duration.ofSeconds(5)).allowed(),
                () -> replicaB.acquire("shared", limit).await().atMost(Duration.ofSeconds(5)).allowed());
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        // 50 RPM refills one request every 1.2 s: a slower run may rightly admit one more per 1.2 s.
        long refilled = elapsedMillis * 50 / 60_000;
        assertTrue(admitted >= 50 && admitted <= 50 + refilled,
                admitted + " admitted in " + elapsedMillis + " ms");
        assertEquals(50, admitted, "the run took " + elapsedMillis + " ms");
    }

    @Test
    void concurrentReservationsFromTwoReplicasRespectTheBudget() throws Exception {
        Budget budget = new Budget("team:t:1", 1000, 0, 600);
        // Admitted while spent + reserved < 1000 before each: exactly 10 reservations of 100 fit.
        int admitted = count(100,
                () -> replicaA.reserve(List.of(budget), 100).await().atMost(Duration.ofSeconds(5)) == -1,
                () -> replicaB.reserve(List.of(budget), 100).await().atMost(Duration.ofSeconds(5)) == -1);
        assertEquals(10, admitted);
        int again = count(20,
                () -> replicaA.reserve(List.of(budget), 1).await().atMost(Duration.ofSeconds(5)) == -1,
                () -> replicaB.reserve(List.of(budget), 1).await().atMost(Duration.ofSeconds(5)) == -1);
        assertEquals(0, again, "the budget is fully reserved");
    }

    @Test
    void concurrentEntriesFromTwoReplicasRespectTheMaximum() throws Exception {
        int admitted = count(100,
                () -> replicaA.enter("key:k", 7).await().atMost(Duration.ofSeconds(5)),
                () -> replicaB.enter("key:k", 7).await().atMost(Duration.ofSeconds(5)));
        assertEquals(7, admitted);
    }
}
