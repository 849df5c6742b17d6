package dev.bedrockgateway.governance.postgres;

import static dev.bedrockgateway.governance.postgres.PgGovernanceStoreTest.await;
import static dev.bedrockgateway.governance.postgres.PgGovernanceStoreTest.key;
import static dev.bedrockgateway.governance.postgres.PgGovernanceStoreTest.spend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.bedrockgateway.governance.SpendLogs;
import dev.bedrockgateway.governance.store.GovernanceStore.StoreUnavailable;
import dev.bedrockgateway.governance.store.SpendRow;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** {@link dev.bedrockgateway.governance.SpendLog} writing to a real PostgreSQL that goes away and comes back. */
class SpendLogTest extends PostgresFixture.Tests {

    private static final Instant T0 = Instant.parse("2025-06-01T00:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    void empty() throws SQLException {
        PgGovernanceStoreTest.sql(server, "TRUNCATE bg_keys, bg_teams, bg_spend_logs");
    }

    @Test
    void rowsRecordedWhileTheDatabaseIsDownArriveExactlyOnceWhenItIsBack() throws Exception {
        await(store.insertKey(key("h1", null, null, null, T0)));
        var log = SpendLogs.create(store, true, vertx, 100_000, Duration.ofMillis(50), Duration.ofSeconds(10),
                registry);
        log.start();
        int total = 1_300; // three batches
        try {
            for (int i = 0; i < 100; i++) {
                log.record(row(i));
            }
            waitUntilWritten(log);
            server.stop();
            for (int i = 100; i < total; i++) {
                log.record(row(i));
            }
            Thread.sleep(300); // several ticks fail meanwhile
            assertEquals(total - 100, log.buffered(), "rows waiting while the database is down");
            server.restart();
            waitUntilWritten(log);
        } finally {
            server.restart();
            log.stop();
        }
        List<SpendRow> written = await(store.spendLogs("h1", null, null, null, null, 10_000));
        assertEquals(total, written.size());
        assertEquals(total, written.stream().map(SpendRow::requestId).distinct().count());
        assertEquals(total * 0.001, await(store.findKey("h1")).orElseThrow().spend(), 1e-9);
        assertEquals(0, registry.get("gateway.spend.rows.dropped").counter().count());
    }

    private static void waitUntilWritten(SpendLogs.Handle log) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (log.buffered() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, log.buffered(), "rows still waiting");
    }

    @Test
    void aFullBufferDropsTheOldestRowsAndCountsThem() {
        var log = SpendLogs.create(store, true, vertx, 5, Duration.ofHours(1), Duration.ofSeconds(10), registry);
        server.stop();
        try {
            for (int i = 0; i < 8; i++) {
                log.record(row(i));
            }
            assertEquals(3, registry.get("gateway.spend.rows.dropped").counter().count());
            assertEquals(5, registry.get("gateway.spend.rows.buffered").gauge().value());
            // A failed flush keeps its batch, in order, and drops nothing more.
            assertThrows(StoreUnavailable.class, () -> log.flush().await().atMost(Duration.ofSeconds(10)));
            assertEquals(5, log.buffered());
            assertEquals(3, registry.get("gateway.spend.rows.dropped").counter().count());
        } finally {
            server.restart();
        }
        log.flush().await().atMost(Duration.ofSeconds(10));
        assertEquals(List.of("r3", "r4", "r5", "r6", "r7"),
                await(store.spendLogs(null, null, null, null, null, 100)).stream().map(SpendRow::requestId).toList());
        assertEquals(0, registry.get("gateway.spend.rows.buffered").gauge().value());
    }

    @Test
    void withoutADatabaseRowsAreIgnored() {
        var log = SpendLogs.create(store, false, vertx, 5, Duration.ofMillis(10), Duration.ofSeconds(1), registry);
        log.start();
        log.record(row(1));
        assertEquals(0, log.buffered());
        log.stop();
    }

    private static SpendRow row(int i) {
        return spend("r" + i, "h1", null, null, 0.001, T0.plusMillis(i));
    }
}
