package dev.bedrockgateway.governance.postgres;

import java.time.Duration;
import java.util.Optional;

import dev.bedrockgateway.testing.EmbeddedPostgresServer;
import io.vertx.mutiny.core.Vertx;

/** A real PostgreSQL server, a migrated {@link Database} on it and a {@link PgGovernanceStore}, for a test class. */
record PostgresFixture(Vertx vertx, EmbeddedPostgresServer server, Database database, PgGovernanceStore store)
        implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    static PostgresFixture start() {
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

    @Override
    public void close() {
        database.close();
        server.close();
        vertx.closeAndAwait();
    }
}
