package dev.bedrockgateway.responses;

import static dev.bedrockgateway.governance.postgres.PostgresFixture.assertUnavailableWithinTimeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.bedrockgateway.governance.postgres.PostgresFixture;
import dev.bedrockgateway.testing.EmbeddedPostgresServer;
import dev.bedrockgateway.testing.Eventually;

class PgResponseStoreTest extends ResponseStoreContract {

    private static final Duration RETENTION = Duration.ofDays(30);

    private static PostgresFixture fixture;
    private static EmbeddedPostgresServer server;
    private static PgResponseStore store;

    @BeforeAll
    static void startFixture() {
        fixture = PostgresFixture.start();
        server = fixture.server();
        store = new PgResponseStore(fixture.database(), fixture.vertx(), RETENTION, PgResponseStore.PURGE_INTERVAL);
    }

    @AfterAll
    static void stopFixture() {
        fixture.close();
    }

    @BeforeEach
    void empty() throws SQLException {
        update("TRUNCATE bg_responses");
    }

    @Override
    ResponseStore store() {
        return store;
    }

    @Test
    void theResponsesMigrationRunsAfterTheGovernanceOne() throws SQLException {
        assertEquals(List.of("1", "2"), strings("SELECT version FROM bg_schema_history WHERE success AND type = 'SQL'"
                + " ORDER BY installed_rank"));
        assertEquals(List.of("bg_responses_expires_at"),
                strings("SELECT indexname FROM pg_indexes WHERE tablename = 'bg_responses' AND indexdef LIKE"
                        + " '%(expires_at)'"));
    }

    @Test
    void aResponseExpiresTheRetentionAfterItWasSavedByTheDatabasesClock() throws SQLException {
        await(store.save(response("resp_1", "key-a", "x")));
        double days = Double.parseDouble(strings("SELECT extract(epoch FROM expires_at - now()) / 86400"
                + " FROM bg_responses").get(0));
        assertEquals(30, days, 0.01);
        assertEquals("postgresql", store.kind());
    }

    @Test
    void expiredResponsesAreInvisibleAndPurgedInBatches() throws SQLException {
        await(store.save(response("resp_live", "key-a", "live")));
        await(store.save(response("resp_old", "key-a", "old")));
        update("UPDATE bg_responses SET expires_at = now() - interval '1 second' WHERE id = 'resp_old'");
        assertEquals(Optional.empty(), await(store.find("resp_old", "key-a")));
        assertFalse(await(store.delete("resp_old", "key-a")));

        int more = PgResponseStore.PURGE_BATCH + 5;
        update("INSERT INTO bg_responses SELECT 'resp_' || g, 'key-b', now(), now() - interval '1 hour', '', '', ''"
                + " FROM generate_series(1, " + more + ") g");
        assertEquals((long) more + 1, await(store.purge()));
        assertEquals(List.of("resp_live"), strings("SELECT id FROM bg_responses"));
        assertEquals(0L, await(store.purge()));
    }

    @Test
    void anExpiredIdIsFreeForAnyOwnerBeforeItIsPurged() throws SQLException {
        await(store.save(response("resp_1", "key-a", "old")));
        update("UPDATE bg_responses SET expires_at = now() - interval '1 second'");
        await(store.save(response("resp_1", "key-b", "new")));
        assertEquals("new", text(await(store.find("resp_1", "key-b")).orElseThrow()));
    }

    @Test
    void theStorePurgesPeriodicallyOnceStarted() throws Exception {
        PgResponseStore purging = new PgResponseStore(fixture.database(), fixture.vertx(), RETENTION,
                Duration.ofMillis(50));
        update("INSERT INTO bg_responses VALUES ('resp_old', 'key-a', now(), now() - interval '1 second', '', '', '')");
        purging.start();
        try {
            Eventually.until(() -> count() == 0, "the expired row is purged");
        } finally {
            purging.stop();
        }
    }

    @Test
    void callsFailFastWhenTheServerIsDownOrHangsAndWorkOnceItIsBack() {
        await(store.save(response("resp_1", "key-a", "kept")));
        server.stop();
        try {
            assertUnavailableWithinTimeout(() -> store.find("resp_1", "key-a"));
            assertUnavailableWithinTimeout(() -> store.save(response("resp_2", "key-a", "lost")));
            assertUnavailableWithinTimeout(() -> store.delete("resp_1", "key-a"));
            assertUnavailableWithinTimeout(store::purge);
        } finally {
            server.restart();
        }
        assertEquals("kept", text(await(store.find("resp_1", "key-a")).orElseThrow()));

        // A server that accepts but never answers: the store timeout, not a hung call.
        server.freeze(true);
        try {
            assertUnavailableWithinTimeout(() -> store.find("resp_1", "key-a"));
        } finally {
            server.freeze(false);
        }
        assertEquals("kept", text(await(store.find("resp_1", "key-a")).orElseThrow()));
    }

    private static long count() {
        try {
            return Long.parseLong(strings("SELECT count(*) FROM bg_responses").get(0));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(String sql) throws SQLException {
        try (Connection c = connect()) {
            c.createStatement().execute(sql);
        }
    }

    private static List<String> strings(String sql) throws SQLException {
        try (Connection c = connect(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(), "postgres", "postgres");
    }
}
