package dev.bedrockgateway.governance.redis;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import dev.bedrockgateway.governance.SharedCountersContract;
import dev.bedrockgateway.governance.store.SharedCounters;
import dev.bedrockgateway.testing.EmbeddedRedis;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;

/** The Redis counters against the shared contract, on a real redis-server. */
class RedisCountersTest extends SharedCountersContract {

    private static EmbeddedRedis server;
    private static Vertx vertx;
    private static Redis client;
    private static RedisCounters counters;

    @BeforeAll
    static void start() {
        server = EmbeddedRedis.start();
        vertx = Vertx.vertx();
        client = RedisClients.create(vertx, server.url());
        counters = new RedisCounters(client, Duration.ofSeconds(2));
    }

    @AfterAll
    static void stop() {
        client.close();
        vertx.closeAndAwait();
        server.close();
    }

    @Override
    protected SharedCounters counters() {
        return counters;
    }
}
