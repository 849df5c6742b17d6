package dev.bedrockgateway.governance.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.bedrockgateway.testing.EmbeddedPostgresServer;
import dev.bedrockgateway.testing.TestCertificates;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;

/**
 * {@code sslmode} and {@code sslrootcert} against a real PostgreSQL that accepts TLS connections only, with a
 * certificate for {@code DNS:localhost} signed by a test CA: the reactive pool and the JDBC connection of the
 * migrations must verify alike. One server for the class.
 */
class DatabaseTlsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /**
     * All the reactive client says of a refused certificate: Vert.x 4.5's pg client drops the handshake's cause (its
     * InitiateSslHandler fails the upgrade on channelInactive). That it is the certificate that was refused shows in
     * the pairs of cases that differ only in it (one succeeds, the other fails); pgjdbc's message names the cause.
     */
    private static final String HANDSHAKE_FAILED = "SSL handshake failed";
    /** A refused certificate must fail at once, not after a timeout. */
    private static final long PROMPT_MILLIS = 1500;

    private static Vertx vertx;
    private static TestCertificates certificates;
    private static EmbeddedPostgresServer server;
    private Database database;

    @BeforeAll
    static void startServer() {
        vertx = Vertx.vertx();
        certificates = TestCertificates.shared();
        server = EmbeddedPostgresServer.startWithTls(certificates.serverCertificatePem(), certificates.serverKeyPem());
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

    private static String url(String host, String query) {
        return "postgresql://postgres:s3cret@" + host + ":" + server.port() + "/postgres?" + query;
    }

    @Test
    void verifyFullWithTheServersCaMigratesOverTlsAndServesStoreCalls() throws SQLException {
        database = new Database(vertx, Optional.of(url("localhost", "sslmode=verify-full&sslrootcert="
                + certificates.caPem())), TIMEOUT, Duration.ofMillis(100));
        database.start();
        // Up means Flyway migrated over its JDBC connection, which the server accepts over TLS only.
        assertEquals("up", database.state());
        assertEquals(Boolean.TRUE, database.call("tls?", c -> c.query(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").execute()
                .map(rows -> rows.iterator().next().getBoolean(0))).await().atMost(Duration.ofSeconds(10)));
        assertEquals(1, database.call("migrated?", c -> c.query(
                "SELECT count(*) FROM bg_schema_history WHERE version = '1' AND success").execute()
                .map(rows -> rows.iterator().next().getLong(0))).await().atMost(Duration.ofSeconds(10)));
    }

    @Test
    void aServerTheCaDidNotSignIsRefusedPromptlyOnBothConnections() {
        Database.Target target = Database.Target.parse(url("localhost", "sslmode=verify-full&sslrootcert="
                + certificates.otherCaPem()));
        assertTrue(jdbcFailure(target).contains("PKIX path"), jdbcFailure(target));
        assertTrue(reactiveFailure(target).contains(HANDSHAKE_FAILED), reactiveFailure(target));

        database = new Database(vertx, Optional.of(url("localhost", "sslmode=verify-ca&sslrootcert="
                + certificates.otherCaPem())), TIMEOUT, Duration.ofMillis(100));
        database.start();
        assertEquals("down: TLS: unable to find valid certification path to requested target", database.state());
        assertFalse(database.state().contains("s3cret"), database.state());
        assertTrue(database.pool().isEmpty());
    }

    @Test
    void verifyFullRefusesAHostNameTheCertificateDoesNotNameAndVerifyCaDoesNotCheckIt() throws SQLException {
        // The certificate names DNS:localhost only, not the address 127.0.0.1.
        Database.Target full = Database.Target.parse(url("127.0.0.1", "sslmode=verify-full&sslrootcert="
                + certificates.caPem()));
        assertTrue(jdbcFailure(full).contains("127.0.0.1"), jdbcFailure(full));
        assertTrue(reactiveFailure(full).contains(HANDSHAKE_FAILED), reactiveFailure(full));

        Database.Target ca = Database.Target.parse(url("127.0.0.1", "sslmode=verify-ca&sslrootcert="
                + certificates.caPem()));
        assertTrue(jdbcIsTls(ca));
        assertTrue(reactiveIsTls(ca));
    }

    @Test
    void requireEncryptsWithoutVerifying() throws SQLException {
        Database.Target target = Database.Target.parse(url("127.0.0.1", "sslmode=require"));
        assertTrue(jdbcIsTls(target));
        assertTrue(reactiveIsTls(target));
    }

    @Test
    void disableIsRefusedByThisServer() {
        // The server accepts TLS only: what connects above connected over TLS.
        Database.Target target = Database.Target.parse(url("127.0.0.1", "sslmode=disable"));
        assertTrue(jdbcFailure(target).contains("no encryption"), jdbcFailure(target));
        assertTrue(reactiveFailure(target).contains("no encryption"), reactiveFailure(target));
    }

    @Test
    void verifyFullWithoutSslrootcertUsesTheJvmTrustStoreOnBothConnections() {
        // The JVM does not trust the test CA. pgjdbc alone would look for ~/.postgresql/root.crt instead.
        Database.Target target = Database.Target.parse(url("localhost", "sslmode=verify-full"));
        String jdbc = jdbcFailure(target);
        assertTrue(jdbc.contains("PKIX path") && !jdbc.contains("root.crt"), jdbc);
        assertTrue(reactiveFailure(target).contains(HANDSHAKE_FAILED), reactiveFailure(target));
    }

    @Test
    void anSslrootcertThatCannotBeReadFailsStartWithItsPathAndNotThePassword() throws Exception {
        Path missing = certificates.caPem().resolveSibling("missing.pem");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Database(vertx,
                Optional.of(url("localhost", "sslmode=verify-full&sslrootcert=" + missing)), TIMEOUT,
                Duration.ofMillis(100)));
        assertEquals("gateway.database-url: sslrootcert " + missing + " cannot be used: no such file", e.getMessage());

        Path notPem = Files.writeString(certificates.caPem().resolveSibling("not.pem"), "not a certificate\n");
        e = assertThrows(IllegalArgumentException.class, () -> Database.Target.parse(
                url("localhost", "sslmode=verify-ca&sslrootcert=" + notPem)));
        assertTrue(e.getMessage().startsWith("gateway.database-url: sslrootcert " + notPem + " cannot be used: "),
                e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"));
    }

    private static String jdbcFailure(Database.Target target) {
        long start = System.nanoTime();
        SQLException e = assertThrows(SQLException.class, () -> {
            try (Connection c = target.dataSource(TIMEOUT).getConnection()) {
                c.isValid(1);
            }
        });
        assertPrompt(start);
        return messages(e);
    }

    private static String reactiveFailure(Database.Target target) {
        long start = System.nanoTime();
        Throwable e = assertThrows(Throwable.class, () -> PgConnection.connect(vertx, target.connectOptions(TIMEOUT))
                .await().atMost(Duration.ofSeconds(10)).closeAndAwait());
        assertPrompt(start);
        return messages(e);
    }

    private static boolean jdbcIsTls(Database.Target target) throws SQLException {
        try (Connection c = target.dataSource(TIMEOUT).getConnection();
                ResultSet rs = c.createStatement().executeQuery(
                        "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static boolean reactiveIsTls(Database.Target target) {
        PgConnection c = PgConnection.connect(vertx, target.connectOptions(TIMEOUT))
                .await().atMost(Duration.ofSeconds(10));
        try {
            return c.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").execute()
                    .map(rows -> rows.iterator().next().getBoolean(0)).await().atMost(Duration.ofSeconds(10));
        } finally {
            c.closeAndAwait();
        }
    }

    private static void assertPrompt(long start) {
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(millis < PROMPT_MILLIS, "took " + millis + " ms");
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            all.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append(" / ");
        }
        return all.toString();
    }
}
