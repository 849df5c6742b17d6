package dev.bedrockgateway.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real PostgreSQL and a real Redis on 127.0.0.1 (binaries from Maven Central) for tests of the gateway with
 * virtual keys. Started once per test JVM and shared by the test classes that use it (each test makes its own keys);
 * {@link #postgres()} and {@link #redis()} let fault tests stop and restart them.
 */
public class GovernanceStores implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedPostgresServer postgres;
    private static EmbeddedRedis redis;

    public static synchronized EmbeddedPostgresServer postgres() {
        if (postgres == null) {
            postgres = EmbeddedPostgresServer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(postgres::close));
        }
        return postgres;
    }

    public static synchronized EmbeddedRedis redis() {
        if (redis == null) {
            redis = EmbeddedRedis.start();
            Runtime.getRuntime().addShutdownHook(new Thread(redis::close));
        }
        return redis;
    }

    @Override
    public Map<String, String> start() {
        return Map.of("gateway.database-url", postgres().url(), "gateway.redis-url", redis().url());
    }

    @Override
    public void stop() {
        // Kept for the next test class; the shutdown hooks stop them with the JVM.
    }
}
