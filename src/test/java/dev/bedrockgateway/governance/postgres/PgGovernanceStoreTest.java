package dev.bedrockgateway.governance.postgres;

import static dev.bedrockgateway.governance.postgres.PostgresFixture.assertUnavailableWithinTimeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.bedrockgateway.governance.store.GovernanceStore.Conflict;
import dev.bedrockgateway.governance.store.GovernanceStore.Page;
import dev.bedrockgateway.governance.store.GovernanceStore.StoreUnavailable;
import dev.bedrockgateway.governance.store.SpendRow;
import dev.bedrockgateway.governance.store.Team;
import dev.bedrockgateway.governance.store.VirtualKey;
import dev.bedrockgateway.testing.EmbeddedPostgresServer;
import io.smallrye.mutiny.Uni;

class PgGovernanceStoreTest extends PostgresFixture.Tests {

    private static final Duration TIMEOUT = PostgresFixture.TIMEOUT;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2025-06-01T00:00:00Z");

    @BeforeEach
    void empty() throws SQLException {
        sql(server, "TRUNCATE bg_keys, bg_teams, bg_spend_logs");
    }

    @Test
    void keysAreInsertedFoundUpdatedRehashedAndDeleted() {
        VirtualKey key = key("h1", "alias-1", "team-a", "user-1", T0);
        await(store.insertKey(key));
        assertEquals(Optional.of(key), await(store.findKey("h1")));
        assertEquals(Optional.of(key), await(store.findKeyByAlias("alias-1")));
        assertEquals(Optional.empty(), await(store.findKey("nope")));

        // An update carries a spend of 1.25, read a moment ago: the stored spend (only writeSpend adds to it) stays.
        VirtualKey changed = new VirtualKey("h1", "sk-...1111", "alias-2", null, "user-2", List.of("claude"), null,
                null, null, 1.25, null, null, null, null, true, Map.of("n", 2), T0, T0.plusSeconds(5));
        VirtualKey stored = new VirtualKey("h1", "sk-...1111", "alias-2", null, "user-2", List.of("claude"), null,
                null, null, key.spend(), null, null, null, null, true, Map.of("n", 2), T0, T0.plusSeconds(5));
        assertEquals(Optional.of(stored), await(store.updateKey(changed)));
        assertEquals(Optional.of(stored), await(store.findKey("h1")));
        assertEquals(Optional.empty(), await(store.updateKey(key("zz", null, null, null, T0))));

        VirtualKey rehashed = await(store.rehashKey("h1", "h2", "sk-...2222", T0.plusSeconds(9))).orElseThrow();
        assertEquals("h2", rehashed.tokenHash());
        assertEquals("sk-...2222", rehashed.keyName());
        assertEquals("alias-2", rehashed.keyAlias());
        assertEquals(T0.plusSeconds(9), rehashed.updatedAt());
        assertEquals(Optional.empty(), await(store.findKey("h1")));
        assertEquals(Optional.empty(), await(store.rehashKey("h1", "h3", "x", T0)));

        assertEquals(List.of("h2"), await(store.deleteKeys(List.of("h2", "unknown"))));
        assertEquals(Optional.empty(), await(store.findKey("h2")));
    }

    @Test
    void duplicateHashesAliasesAndTeamIdsConflict() {
        await(store.insertKey(key("h1", "alias", null, null, T0)));
        assertConflict(() -> store.insertKey(key("h1", "other", null, null, T0)));
        assertConflict(() -> store.insertKey(key("h2", "alias", null, null, T0)));
        // Any number of keys may have no alias.
        await(store.insertKey(key("h3", null, null, null, T0)));
        await(store.insertKey(key("h4", null, null, null, T0)));
        assertConflict(() -> store.rehashKey("h3", "h4", "x", T0));

        await(store.insertTeam(team("t1", T0)));
        assertConflict(() -> store.insertTeam(team("t1", T0)));
    }

    @Test
    void keysAreListedNewestFirstByTeamAndUserPageByPage() {
        for (int i = 0; i < 5; i++) {
            await(store.insertKey(key("k" + i, null, i < 3 ? "team-a" : "team-b", i % 2 == 0 ? "even" : "odd",
                    T0.plusSeconds(i))));
        }
        Page<VirtualKey> first = await(store.listKeys(null, null, 1, 2));
        assertEquals(5, first.total());
        assertEquals(List.of("k4", "k3"), hashes(first.items()));
        assertEquals(List.of("k0"), hashes(await(store.listKeys(null, null, 3, 2)).items()));
        assertEquals(List.of(), await(store.listKeys(null, null, 4, 2)).items());
        assertEquals(5, await(store.listKeys(null, null, 4, 2)).total());

        Page<VirtualKey> teamA = await(store.listKeys("team-a", null, 1, 10));
        assertEquals(List.of("k2", "k1", "k0"), hashes(teamA.items()));
        assertEquals(3, teamA.total());
        assertEquals(List.of("k2", "k0"), hashes(await(store.listKeys("team-a", "even", 1, 10)).items()));
        assertEquals(List.of("k3", "k1"), hashes(await(store.listKeys(null, "odd", 1, 10)).items()));
    }

    @Test
    void teamsAreInsertedUpdatedListedAndDeletedTheirKeysLosingTheirTeam() {
        Team t1 = team("t1", T0);
        await(store.insertTeam(t1));
        await(store.insertTeam(team("t2", T0.plusSeconds(1))));
        assertEquals(Optional.of(t1), await(store.findTeam("t1")));
        Team changed = new Team("t1", "renamed", List.of("m"), 50.0, "1mo", T0.plusSeconds(60), 2.5, 10, 1000, true,
                Map.of("k", List.of(1, "two")), T0, T0.plusSeconds(3));
        Team stored = new Team("t1", "renamed", List.of("m"), 50.0, "1mo", T0.plusSeconds(60), t1.spend(), 10, 1000,
                true, Map.of("k", List.of(1, "two")), T0, T0.plusSeconds(3));
        assertEquals(Optional.of(stored), await(store.updateTeam(changed)), "the stored spend stays");
        assertEquals(Optional.empty(), await(store.updateTeam(team("t9", T0))));
        assertEquals(List.of("t1", "t2"), await(store.listTeams()).stream().map(Team::teamId).toList());

        await(store.insertKey(key("h1", null, "t1", null, T0)));
        assertEquals(List.of("t1"), await(store.deleteTeams(List.of("t1", "t9"))));
        assertEquals(Optional.empty(), await(store.findTeam("t1")));
        assertEquals(null, await(store.findKey("h1")).orElseThrow().teamId());
    }

    @Test
    void spendIsAddedToKeysAndTeamsOnceWhateverHowOftenABatchIsWritten() {
        await(store.insertKey(key("h1", null, "t1", null, T0)));
        await(store.insertKey(key("h2", null, null, null, T0)));
        await(store.insertTeam(team("t1", T0)));
        List<SpendRow> batch = List.of(spend("r1", "h1", "t1", "u1", 0.25, T0), spend("r2", "h1", "t1", "u1", 0.5, T0),
                spend("r3", "h2", null, null, 1.0, T0));
        await(store.writeSpend(batch));
        // A batch whose first write timed out after its commit is written again: nothing is counted twice.
        await(store.writeSpend(batch));
        await(store.writeSpend(List.of(spend("r3", "h2", null, null, 1.0, T0), spend("r4", "h2", null, null, 2.0, T0))));

        assertEquals(0.75, await(store.findKey("h1")).orElseThrow().spend(), 1e-9);
        assertEquals(3.0, await(store.findKey("h2")).orElseThrow().spend(), 1e-9);
        assertEquals(0.75, await(store.findTeam("t1")).orElseThrow().spend(), 1e-9);
        assertEquals(4, await(store.spendLogs(null, null, null, null, null, 100)).size());
        await(store.writeSpend(List.of()));
    }

    @Test
    void aBudgetWhosePeriodEndedStartsAgainFromZeroBeforeSpendIsAdded() {
        Instant ended = Instant.now().minus(36, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MICROS);
        await(store.insertKey(new VirtualKey("h1", "sk-...1", null, "t1", null, List.of(), 10.0, "1d", ended, 7.0,
                null, null, null, null, false, Map.of(), T0, T0)));
        await(store.insertTeam(new Team("t1", null, List.of(), 10.0, "1d", ended, 9.0, null, null, false, Map.of(),
                T0, T0)));
        Instant future = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MICROS);
        await(store.insertKey(new VirtualKey("h2", "sk-...2", null, null, null, List.of(), 10.0, "1d", future, 7.0,
                null, null, null, null, false, Map.of(), T0, T0)));

        await(store.writeSpend(List.of(spend("r1", "h1", "t1", null, 0.5, T0), spend("r2", "h2", null, null, 0.5, T0))));

        VirtualKey reset = await(store.findKey("h1")).orElseThrow();
        assertEquals(0.5, reset.spend(), 1e-9);
        // On the grid of the period that ended: 36 hours after its end is 12 hours into the second period after it.
        assertEquals(ended.plus(2, ChronoUnit.DAYS), reset.budgetResetAt());
        Team team = await(store.findTeam("t1")).orElseThrow();
        assertEquals(0.5, team.spend(), 1e-9);
        assertEquals(ended.plus(2, ChronoUnit.DAYS), team.budgetResetAt());
        VirtualKey running = await(store.findKey("h2")).orElseThrow();
        assertEquals(7.5, running.spend(), 1e-9);
        assertEquals(future, running.budgetResetAt());
    }

    @Test
    void spendLogsAreFilteredByKeyTeamUserAndDates() {
        await(store.writeSpend(List.of(spend("r1", "h1", "t1", "u1", 1, T0),
                spend("r2", "h1", "t1", "u2", 1, T0.plusSeconds(60)),
                spend("r3", "h2", "t2", "u1", 1, T0.plusSeconds(120)),
                spend("r4", "h2", null, null, 1, T0.plusSeconds(180)))));
        assertEquals(List.of("r1", "r2"), ids(store.spendLogs("h1", null, null, null, null, 10)));
        assertEquals(List.of("r3"), ids(store.spendLogs(null, "t2", null, null, null, 10)));
        assertEquals(List.of("r1", "r3"), ids(store.spendLogs(null, null, "u1", null, null, 10)));
        assertEquals(List.of("r2", "r3"),
                ids(store.spendLogs(null, null, null, T0.plusSeconds(60), T0.plusSeconds(120), 10)));
        assertEquals(List.of("r3", "r4"), ids(store.spendLogs("h2", null, null, T0.plusSeconds(1), null, 10)));
        assertEquals(List.of("r1"), ids(store.spendLogs(null, null, null, null, null, 1)));
        SpendRow r1 = spend("r1", "h1", "t1", "u1", 1, T0);
        assertEquals(r1, await(store.spendLogs(null, null, "u1", null, T0, 10)).get(0));
    }

    @Test
    void callsFailFastWhenTheServerIsDownOrHangsAndWorkOnceItIsBack() {
        await(store.insertKey(key("h1", null, null, null, T0)));
        server.stop();
        try {
            assertUnavailableWithinTimeout(() -> store.findKey("h1"));
            assertUnavailableWithinTimeout(() -> store.writeSpend(List.of(spend("r1", "h1", null, null, 1, T0))));
        } finally {
            server.restart();
        }
        assertEquals("h1", await(store.findKey("h1")).orElseThrow().tokenHash());

        // A server that accepts but never answers: the store timeout, not a hung call.
        server.freeze(true);
        try {
            assertUnavailableWithinTimeout(() -> store.findKey("h1"));
        } finally {
            server.freeze(false);
        }
        assertEquals("h1", await(store.findKey("h1")).orElseThrow().tokenHash());
    }

    @Test
    void withoutADatabaseEveryCallFailsAsUnavailable() {
        PgGovernanceStore none = new PgGovernanceStore(new Database(vertx, Optional.empty(), TIMEOUT, TIMEOUT));
        StoreUnavailable e = assertThrows(StoreUnavailable.class, () -> await(none.findKey("h1")));
        assertEquals("no database configured", e.getMessage());
        assertThrows(StoreUnavailable.class, () -> await(none.writeSpend(List.of())));
    }

    private static void assertConflict(Supplier<Uni<?>> call) {
        assertThrows(Conflict.class, () -> call.get().await().atMost(WAIT));
    }

    static <T> T await(Uni<T> uni) {
        return uni.await().atMost(WAIT);
    }

    static void sql(EmbeddedPostgresServer server, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), "postgres", "postgres")) {
            c.createStatement().execute(sql);
        }
    }

    private static List<String> hashes(List<VirtualKey> keys) {
        return keys.stream().map(VirtualKey::tokenHash).toList();
    }

    private static List<String> ids(Uni<List<SpendRow>> rows) {
        return await(rows).stream().map(SpendRow::requestId).toList();
    }

    static VirtualKey key(String hash, String alias, String team, String user, Instant created) {
        return new VirtualKey(hash, "sk-...abcd", alias, team, user, List.of("claude-sonnet", "nova"), 100.0, "30d",
                created.plus(30, ChronoUnit.DAYS), 0, 60, 100000, 4, created.plus(365, ChronoUnit.DAYS), false,
                Map.of("owner", "x", "nested", Map.of("a", List.of(1, true))), created, created);
    }

    private static Team team(String id, Instant created) {
        return new Team(id, "alias-" + id, List.of("claude-sonnet"), 1000.0, "1mo", created.plus(30, ChronoUnit.DAYS),
                0, 100, 1000000, false, Map.of("cost_center", "42"), created, created);
    }

    static SpendRow spend(String id, String key, String team, String user, double usd, Instant start) {
        return new SpendRow(id, "chat.completions", key, team, user, "claude-sonnet", "us.anthropic.claude", 100, 20,
                10, 5, usd, "success", 200, start, start.plusMillis(1500));
    }
}
