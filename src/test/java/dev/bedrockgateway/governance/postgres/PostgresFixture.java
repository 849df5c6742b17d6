package dev.bedrockgateway.governance.postgres;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

import dev.bedrockgateway.governance.store.GovernanceStore.StoreUnavailable;
import dev.bedrockgateway.testing.EmbeddedPostgresServer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * A real PostgreSQL server, a migrated {@link Database} on it and a {@link PgGovernanceStore}, for a test class (public
 * for the stores of other packages, which build on the same {@link Database}).
 */
public record PostgresFixture(Vertx vertx, EmbeddedPostgresServer server, Database database, PgGovernanceStore store)
        implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(2);

    public static PostgresFixture start() {
        Vertx vertx = Vertx.vertx();
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start();
        Database database = new Database(vertx, Optional.of(server.url()), TIMEOUT, Duration.ofMillis(100));
        database.start();
        return new PostgresFixture(vertx, server, database, new PgGovernanceStore(database));
    }

    /** Base of test classes that share one fixture: a server for the class, started before its first test. */
    abstract static class Tests {
        static PostgresFixture fixture;
        static Vertx vertx;
        static EmbeddedPostgresServer server;
        static PgGovernanceStore store;

        @org.junit.jupiter.api.BeforeAll
        static void startFixture() {
            fixture = PostgresFixture.start();
            vertx = fixture.vertx();
            server = fixture.server();
            store = fixture.store();
        }

        @org.junit.jupiter.api.AfterAll
        static void stopFixture() {
            fixture.close();
        }
    }

    /** Asserts that {@code call} fails with {@link StoreUnavailable} within the store timeout (and a margin). */
    public static void assertUnavailableWithinTimeout(Supplier<Uni<?>> call) {
        long start = System.nanoTime();
        Throwable failure = assertThrows(Throwable.class, () -> call.get().await().atMost(Duration.ofSeconds(30)));
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertInstanceOf(StoreUnavailable.class, failure, String.valueOf(failure));
        assertTrue(millis < TIMEOUT.toMillis() + 1500, "took " + millis + " ms");
    }

    @Override
    public void close() {
        database.close();
        server.close();
        vertx.closeAndAwait();
    }
}
