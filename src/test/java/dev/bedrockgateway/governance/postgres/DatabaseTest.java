package dev.bedrockgateway.governance.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.bedrockgateway.testing.EmbeddedPostgresServer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;

class DatabaseTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private static Vertx vertx;
    private static EmbeddedPostgresServer server;
    private Database database;

    @BeforeAll
    static void startServer() {
        vertx = Vertx.vertx();
        server = EmbeddedPostgresServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
        vertx.closeAndAwait();
    }

    @AfterEach
    void closeDatabase() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void migrationsApplyOnAnEmptyDatabaseAndAreIdempotentOnTheNextStart() throws SQLException {
        database = new Database(vertx, Optional.of(server.url() + "?sslmode=disable"), TIMEOUT, Duration.ofMillis(100));
        database.start();
        assertEquals("up", database.state());
        assertTrue(database.pool().isPresent());
        assertEquals(1, count("SELECT count(*) FROM bg_schema_history WHERE success AND version = '1'"));
        assertEquals(0, count("SELECT count(*) FROM bg_keys") + count("SELECT count(*) FROM bg_teams")
                + count("SELECT count(*) FROM bg_spend_logs"));
        database.close();

        database = new Database(vertx, Optional.of(server.url()), TIMEOUT, Duration.ofMillis(100));
        database.start();
        assertEquals("up", database.state());
        assertEquals(1, count("SELECT count(*) FROM bg_schema_history WHERE version = '1'"));
    }

    @Test
    void everyMigrationFileIsListed() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources", Migrations.LOCATION))) {
            assertEquals(files.map(p -> p.getFileName().toString()).sorted().toList(), Migrations.NAMES);
        }
        Migrations migrations = new Migrations(getClass().getClassLoader());
        assertEquals(Migrations.NAMES.size(), migrations.getResources("V", new String[] {".sql"}).size());
        assertTrue(migrations.getResources("R", new String[] {".sql"}).isEmpty());
    }

    @Test
    void anUnreachableDatabaseDoesNotFailStartAndIsMigratedOnceItAnswers() throws Exception {
        server.stop();
        try {
            database = new Database(vertx, Optional.of("postgresql://postgres:s3cret@127.0.0.1:" + server.port()
                    + "/postgres"), TIMEOUT, Duration.ofMillis(200));
            database.start();
            assertTrue(database.state().startsWith("down: "), database.state());
            assertFalse(database.state().contains("s3cret"), database.state());
            assertTrue(database.pool().isEmpty());
            assertEquals("127.0.0.1:" + server.port() + "/postgres", database.describe());
        } finally {
            server.restart();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!database.state().equals("up") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals("up", database.state());
        assertTrue(database.pool().isPresent());
    }

    @Test
    void withoutAUrlNothingIsConfigured() {
        database = new Database(vertx, Optional.empty(), TIMEOUT, Duration.ofMillis(100));
        database.start();
        assertFalse(database.configured());
        assertEquals("not configured", database.state());
        assertTrue(database.pool().isEmpty());
    }

    @Test
    void liteLlmUrlsKeepTheirOptionsForJdbcAndVertxAndTheirPasswordOutOfMessages() {
        Database.Target target = Database.Target.parse("postgresql://gw:pa%40ss@db.example:6543/gateway?sslmode=require");
        assertEquals("jdbc:postgresql://db.example:6543/gateway?sslmode=require", target.jdbcUrl());
        assertEquals("db.example:6543/gateway", target.describe());
        PgConnectOptions options = target.connectOptions(TIMEOUT);
        assertEquals(SslMode.REQUIRE, options.getSslMode());
        // libpq's require encrypts without verifying the certificate.
        assertTrue(options.isTrustAll());
        assertEquals(2000, options.getConnectTimeout());
        assertEquals("gw", options.getUser());
        assertEquals("pa@ss", options.getPassword());
        assertEquals("gw", target.dataSource(TIMEOUT).getUser());

        PgConnectOptions verified = Database.Target.parse("postgres://u:p@h/d?sslmode=verify-full").connectOptions(TIMEOUT);
        assertFalse(verified.isTrustAll());
    }

    @Test
    void verifyModesWithoutSslrootcertUseTheJvmTrustStoreOnBothConnections() {
        Database.Target full = Database.Target.parse("postgres://u:p@h/d?sslmode=verify-full");
        // pgjdbc would otherwise look for ~/.postgresql/root.crt; Vert.x refuses verify modes without trust options.
        assertEquals("jdbc:postgresql://h:5432/d?sslmode=verify-full&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory",
                full.jdbcUrl());
        PgConnectOptions options = full.connectOptions(TIMEOUT);
        assertNotNull(options.getTrustOptions());
        assertEquals("HTTPS", options.getHostnameVerificationAlgorithm());

        PgConnectOptions ca = Database.Target.parse("postgres://u:p@h/d?sslmode=verify-ca").connectOptions(TIMEOUT);
        assertNotNull(ca.getTrustOptions());
        // No host name check: verify-ca checks the chain only.
        String algorithm = ca.getHostnameVerificationAlgorithm();
        assertTrue(algorithm == null || algorithm.isEmpty(), algorithm);

        // An sslfactory of the URL's own is the user's choice.
        assertEquals("jdbc:postgresql://h:5432/d?sslmode=verify-ca&sslfactory=x.Y",
                Database.Target.parse("postgres://u:p@h/d?sslmode=verify-ca&sslfactory=x.Y").jdbcUrl());
        assertEquals("jdbc:postgresql://h:5432/d?sslmode=require",
                Database.Target.parse("postgres://u:p@h/d?sslmode=require").jdbcUrl());
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), "postgres", "postgres");
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
