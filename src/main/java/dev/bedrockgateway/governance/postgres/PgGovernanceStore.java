package dev.bedrockgateway.governance.postgres;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.bedrockgateway.governance.BudgetDuration;
import dev.bedrockgateway.governance.store.GovernanceStore;
import dev.bedrockgateway.governance.store.SpendRow;
import dev.bedrockgateway.governance.store.Team;
import dev.bedrockgateway.governance.store.VirtualKey;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@link GovernanceStore} in PostgreSQL (schema: {@code db/migration}), through the reactive pool of {@link Database}.
 *
 * <p>Every call goes through {@link Database#call}: bounded by {@code gateway.governance.store-timeout}; past it, or
 * when the server cannot be reached, or before the schema is migrated, it fails with {@link StoreUnavailable}. A call
 * that timed out may still complete on the server: writes are therefore either idempotent ({@link #writeSpend}, keyed
 * by request id) or answered to an admin who can look and retry. Unique violations become {@link Conflict}.
 */
@ApplicationScoped
public class PgGovernanceStore implements GovernanceStore {

    private static final Logger LOG = Logger.getLogger(PgGovernanceStore.class);

    private static final String KEY_COLUMNS = "token_hash, key_name, key_alias, team_id, user_id, models, max_budget,"
            + " budget_duration, budget_reset_at, spend, rpm_limit, tpm_limit, max_parallel_requests, expires, blocked,"
            + " metadata, created_at, updated_at";

    private static final String TEAM_COLUMNS = "team_id, team_alias, models, max_budget, budget_duration,"
            + " budget_reset_at, spend, rpm_limit, tpm_limit, blocked, metadata, created_at, updated_at";

    private static final String SPEND_COLUMNS = "request_id, call_type, api_key, team_id, user_id, model,"
            + " bedrock_model, prompt_tokens, completion_tokens, cache_read_tokens, cache_write_tokens, spend, status,"
            + " http_status, start_time, end_time";

    private static final String KEY_INSERT = insert("bg_keys", KEY_COLUMNS);
    private static final String KEY_UPDATE = update("bg_keys", KEY_COLUMNS);
    private static final String TEAM_INSERT = insert("bg_teams", TEAM_COLUMNS);
    private static final String TEAM_UPDATE = update("bg_teams", TEAM_COLUMNS);

    private static final String KEY_FILTER = "($1::text IS NULL OR team_id = $1) AND ($2::text IS NULL OR user_id = $2)";

    private final Database database;

    PgGovernanceStore(Database database) {
        this.database = database;
    }

    @Override
    public boolean configured() {
        return database.configured();
    }

    @Override
    public Uni<Optional<VirtualKey>> findKey(String tokenHash) {
        return one("find key", "SELECT " + KEY_COLUMNS + " FROM bg_keys WHERE token_hash = $1", Tuple.of(tokenHash),
                PgGovernanceStore::key);
    }

    @Override
    public Uni<Optional<VirtualKey>> findKeyByAlias(String keyAlias) {
        return one("find key by alias", "SELECT " + KEY_COLUMNS + " FROM bg_keys WHERE key_alias = $1",
                Tuple.of(keyAlias), PgGovernanceStore::key);
    }

    @Override
    public Uni<Void> insertKey(VirtualKey key) {
        return one("insert key", KEY_INSERT, keyTuple(key, true), r -> r).replaceWithVoid();
    }

    @Override
    public Uni<Optional<VirtualKey>> updateKey(VirtualKey key) {
        return one("update key", KEY_UPDATE, keyTuple(key, false), PgGovernanceStore::key);
    }

    @Override
    public Uni<Optional<VirtualKey>> rehashKey(String oldHash, String newHash, String newKeyName, Instant updatedAt) {
        return one("rehash key", "UPDATE bg_keys SET token_hash = $2, key_name = $3, updated_at = $4"
                + " WHERE token_hash = $1 RETURNING " + KEY_COLUMNS,
                Tuple.of(oldHash, newHash, newKeyName, time(updatedAt)), PgGovernanceStore::key);
    }

    @Override
    public Uni<List<String>> deleteKeys(List<String> tokenHashes) {
        return database.call("delete keys", c -> c
                .preparedQuery("DELETE FROM bg_keys WHERE token_hash = ANY($1) RETURNING token_hash")
                .execute(Tuple.of(tokenHashes.toArray(String[]::new))).map(rows -> all(rows, r -> r.getString(0))));
    }

    @Override
    public Uni<Page<VirtualKey>> listKeys(String teamId, String userId, int page, int size) {
        int p = Math.max(1, page);
        int s = Math.max(1, size);
        return database.call("list keys", c -> c.preparedQuery("SELECT count(*) FROM bg_keys WHERE " + KEY_FILTER)
                .execute(Tuple.of(teamId, userId))
                .flatMap(count -> c.preparedQuery("SELECT " + KEY_COLUMNS + " FROM bg_keys WHERE " + KEY_FILTER
                        + " ORDER BY created_at DESC, token_hash LIMIT $3 OFFSET $4")
                        .execute(Tuple.of(teamId, userId, s, (long) (p - 1) * s))
                        .map(rows -> new Page<>(all(rows, PgGovernanceStore::key),
                                count.iterator().next().getLong(0), p, s))));
    }

    @Override
    public Uni<Optional<Team>> findTeam(String teamId) {
        return one("find team", "SELECT " + TEAM_COLUMNS + " FROM bg_teams WHERE team_id = $1", Tuple.of(teamId),
                PgGovernanceStore::team);
    }

    @Override
    public Uni<Void> insertTeam(Team team) {
        return one("insert team", TEAM_INSERT, teamTuple(team, true), r -> r).replaceWithVoid();
    }

    @Override
    public Uni<Optional<Team>> updateTeam(Team team) {
        return one("update team", TEAM_UPDATE, teamTuple(team, false), PgGovernanceStore::team);
    }

    @Override
    public Uni<List<String>> deleteTeams(List<String> teamIds) {
        Tuple ids = Tuple.of(teamIds.toArray(String[]::new));
        return database.call("delete teams", c -> transaction(c, conn -> conn
                .preparedQuery("UPDATE bg_keys SET team_id = NULL WHERE team_id = ANY($1)").execute(ids)
                .flatMap(cleared -> conn.preparedQuery("DELETE FROM bg_teams WHERE team_id = ANY($1) RETURNING team_id")
                        .execute(ids))
                .map(rows -> all(rows, r -> r.getString(0)))));
    }

    @Override
    public Uni<List<Team>> listTeams() {
        return database.call("list teams", c -> c.preparedQuery("SELECT " + TEAM_COLUMNS
                + " FROM bg_teams ORDER BY created_at, team_id").execute().map(rows -> all(rows, PgGovernanceStore::team)));
    }

    /**
     * Inserts the rows that are not there yet (a batch retried after a timeout may have been committed already) and
     * adds the spend of exactly those to their keys and teams, all in one transaction. Keys and teams are updated in
     * the order of their ids, so that two replicas writing at once cannot deadlock.
     */
    @Override
    public Uni<Void> writeSpend(List<SpendRow> rows) {
        if (rows.isEmpty()) {
            return database.call("write spend", c -> Uni.createFrom().voidItem());
        }
        List<Tuple> tuples = rows.stream().map(PgGovernanceStore::spendTuple).toList();
        Instant now = Instant.now();
        return database.call("write spend", c -> transaction(c, conn -> conn
                .preparedQuery("INSERT INTO bg_spend_logs (" + SPEND_COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7,"
                        + " $8, $9, $10, $11, $12, $13, $14, $15, $16) ON CONFLICT (request_id) DO NOTHING"
                        + " RETURNING api_key, team_id, spend")
                .executeBatch(tuples)
                .flatMap(inserted -> {
                    Map<String, Double> byKey = new TreeMap<>();
                    Map<String, Double> byTeam = new TreeMap<>();
                    // A batch answers one row set per statement; a conflicting row's is empty.
                    for (RowSet<Row> set = inserted; set != null; set = set.next()) {
                        for (Row row : set) {
                            double spend = row.getDouble("spend");
                            add(byKey, row.getString("api_key"), spend);
                            add(byTeam, row.getString("team_id"), spend);
                        }
                    }
                    return addSpend(conn, "bg_keys", "token_hash", byKey, now)
                            .flatMap(keys -> addSpend(conn, "bg_teams", "team_id", byTeam, now));
                })));
    }

    private static void add(Map<String, Double> sums, String id, double spend) {
        if (id != null) {
            sums.merge(id, spend, Double::sum);
        }
    }

    /** Resets the spend of the rows whose budget period ended, then adds {@code amounts}. */
    private static Uni<Void> addSpend(SqlConnection conn, String table, String id, Map<String, Double> amounts,
            Instant now) {
        if (amounts.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("SELECT " + id + ", budget_duration, budget_reset_at FROM " + table + " WHERE " + id
                + " = ANY($1) AND budget_reset_at <= $2 ORDER BY " + id + " FOR UPDATE")
                .execute(Tuple.of(amounts.keySet().toArray(String[]::new), time(now)))
                .flatMap(ended -> {
                    List<Tuple> resets = new ArrayList<>();
                    for (Row row : ended) {
                        Instant next = nextReset(row.getString(0), row.getString(1),
                                row.getOffsetDateTime(2).toInstant(), now);
                        if (next != null) {
                            resets.add(Tuple.of(row.getString(0), time(next)));
                        }
                    }
                    Uni<?> reset = resets.isEmpty() ? Uni.createFrom().voidItem()
                            : conn.preparedQuery("UPDATE " + table + " SET spend = 0, budget_reset_at = $2 WHERE " + id
                                    + " = $1").executeBatch(resets);
                    List<Tuple> adds = amounts.entrySet().stream()
                            .map(e -> Tuple.of(e.getKey(), e.getValue())).toList();
                    return reset.flatMap(done -> conn.preparedQuery("UPDATE " + table + " SET spend = spend + $2 WHERE "
                            + id + " = $1").executeBatch(adds)).replaceWithVoid();
                });
    }

    private static Instant nextReset(String id, String duration, Instant periodEnd, Instant now) {
        if (duration == null) {
            return null;
        }
        try {
            return BudgetDuration.parse(duration).nextReset(periodEnd, now);
        } catch (IllegalArgumentException e) {
            // The admin API validates durations: this is a row written by something else; its budget never resets.
            LOG.warnf("Budget of %s is not reset: %s", id, e.getMessage());
            return null;
        }
    }

    /** {@inheritDoc} {@code from} and {@code to} are inclusive bounds of {@code start_time}. */
    @Override
    public Uni<List<SpendRow>> spendLogs(String apiKeyHash, String teamId, String userId, Instant from, Instant to,
            int limit) {
        return database.call("read spend logs", c -> c.preparedQuery("SELECT " + SPEND_COLUMNS + " FROM bg_spend_logs"
                + " WHERE ($1::text IS NULL OR api_key = $1) AND ($2::text IS NULL OR team_id = $2)"
                + " AND ($3::text IS NULL OR user_id = $3) AND ($4::timestamptz IS NULL OR start_time >= $4)"
                + " AND ($5::timestamptz IS NULL OR start_time <= $5) ORDER BY start_time, request_id LIMIT $6")
                .execute(Tuple.from(Arrays.asList(apiKeyHash, teamId, userId, time(from), time(to),
                        Math.max(0, limit))))
                .map(rows -> all(rows, PgGovernanceStore::spendRow)));
    }

    /** {@code INSERT} of every column, {@code $1} to {@code $n} in the order of {@code columns}. */
    private static String insert(String table, String columns) {
        int n = columns.split(",").length;
        StringBuilder values = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            values.append(i == 1 ? "$" : ", $").append(i);
        }
        return "INSERT INTO " + table + " (" + columns + ") VALUES (" + values + ")";
    }

    /**
     * {@code UPDATE} of every column but the first (the id, {@code $1}) and {@code created_at}, numbered from
     * {@code $2} in the order of {@code columns}; answers the updated row.
     */
    private static String update(String table, String columns) {
        List<String> names = Arrays.stream(columns.split(",")).map(String::trim).toList();
        StringBuilder set = new StringBuilder();
        int i = 2;
        for (String name : names.subList(1, names.size())) {
            // Spend is only ever added by writeSpend, in its transaction: an update made from a key read a moment
            // earlier must not put back the spend of that moment.
            if (!name.equals("created_at") && !name.equals("spend")) {
                set.append(i == 2 ? "" : ", ").append(name).append(" = $").append(i++);
            }
        }
        return "UPDATE " + table + " SET " + set + " WHERE " + names.get(0) + " = $1 RETURNING " + columns;
    }

    /** Runs {@code work} in a transaction on {@code conn}: committed when it succeeds, rolled back when it fails. */
    private static <T> Uni<T> transaction(SqlConnection conn, Function<SqlConnection, Uni<T>> work) {
        return conn.begin().flatMap(tx -> work.apply(conn)
                .call(tx::commit)
                .onFailure().call(e -> tx.rollback().onFailure().recoverWithNull()));
    }

    /** One statement; its first row answered, if any. */
    private <T> Uni<Optional<T>> one(String what, String sql, Tuple args, Function<Row, T> mapper) {
        return database.call(what, c -> c.preparedQuery(sql).execute(args).map(rows -> first(rows, mapper)));
    }

    private static Tuple keyTuple(VirtualKey k, boolean insert) {
        List<Object> values = new ArrayList<>(Arrays.asList(k.tokenHash(), k.keyName(), k.keyAlias(), k.teamId(),
                k.userId(), k.models().toArray(String[]::new), k.maxBudget(), k.budgetDuration(),
                time(k.budgetResetAt()), k.spend(), k.rpmLimit(), k.tpmLimit(), k.maxParallelRequests(),
                time(k.expires()), k.blocked(), json(k.metadata())));
        if (insert) {
            values.add(time(k.createdAt() == null ? Instant.now() : k.createdAt()));
        } else {
            values.remove(9); // spend: see update()
        }
        values.add(time(k.updatedAt() == null ? Instant.now() : k.updatedAt()));
        return Tuple.from(values);
    }

    private static Tuple teamTuple(Team t, boolean insert) {
        List<Object> values = new ArrayList<>(Arrays.asList(t.teamId(), t.teamAlias(), t.models().toArray(String[]::new),
                t.maxBudget(), t.budgetDuration(), time(t.budgetResetAt()), t.spend(), t.rpmLimit(), t.tpmLimit(),
                t.blocked(), json(t.metadata())));
        if (insert) {
            values.add(time(t.createdAt() == null ? Instant.now() : t.createdAt()));
        } else {
            values.remove(6); // spend: see update()
        }
        values.add(time(t.updatedAt() == null ? Instant.now() : t.updatedAt()));
        return Tuple.from(values);
    }

    private static Tuple spendTuple(SpendRow r) {
        return Tuple.from(Arrays.asList(r.requestId(), r.callType(), r.apiKey(), r.teamId(), r.userId(), r.model(),
                r.bedrockModel(), r.promptTokens(), r.completionTokens(), r.cacheReadTokens(), r.cacheWriteTokens(),
                r.spend(), r.status(), r.httpStatus(), time(r.startTime()), time(r.endTime())));
    }

    private static VirtualKey key(Row r) {
        return new VirtualKey(r.getString("token_hash"), r.getString("key_name"), r.getString("key_alias"),
                r.getString("team_id"), r.getString("user_id"), List.of(r.getArrayOfStrings("models")),
                r.getDouble("max_budget"), r.getString("budget_duration"), instant(r, "budget_reset_at"),
                r.getDouble("spend"), r.getInteger("rpm_limit"), r.getInteger("tpm_limit"),
                r.getInteger("max_parallel_requests"), instant(r, "expires"), r.getBoolean("blocked"),
                metadata(r), instant(r, "created_at"), instant(r, "updated_at"));
    }

    private static Team team(Row r) {
        return new Team(r.getString("team_id"), r.getString("team_alias"), List.of(r.getArrayOfStrings("models")),
                r.getDouble("max_budget"), r.getString("budget_duration"), instant(r, "budget_reset_at"),
                r.getDouble("spend"), r.getInteger("rpm_limit"), r.getInteger("tpm_limit"), r.getBoolean("blocked"),
                metadata(r), instant(r, "created_at"), instant(r, "updated_at"));
    }

    private static SpendRow spendRow(Row r) {
        return new SpendRow(r.getString("request_id"), r.getString("call_type"), r.getString("api_key"),
                r.getString("team_id"), r.getString("user_id"), r.getString("model"), r.getString("bedrock_model"),
                r.getLong("prompt_tokens"), r.getLong("completion_tokens"), r.getLong("cache_read_tokens"),
                r.getLong("cache_write_tokens"), r.getDouble("spend"), r.getString("status"),
                r.getInteger("http_status") == null ? 0 : r.getInteger("http_status"), instant(r, "start_time"),
                instant(r, "end_time"));
    }

    private static <T> Optional<T> first(RowSet<Row> rows, Function<Row, T> mapper) {
        var it = rows.iterator();
        return it.hasNext() ? Optional.of(mapper.apply(it.next())) : Optional.empty();
    }

    private static <T> List<T> all(RowSet<Row> rows, Function<Row, T> mapper) {
        List<T> list = new ArrayList<>(rows.size());
        for (Row row : rows) {
            list.add(mapper.apply(row));
        }
        return list;
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    private static JsonObject json(Map<String, Object> metadata) {
        return new JsonObject(new LinkedHashMap<>(metadata));
    }

    /** Metadata as plain maps and lists; entries whose value is JSON null are left out (the records refuse nulls). */
    private static Map<String, Object> metadata(Row r) {
        JsonObject json = r.getJsonObject("metadata");
        Map<String, Object> map = new LinkedHashMap<>();
        if (json != null) {
            json.forEach(e -> {
                if (e.getValue() != null) {
                    map.put(e.getKey(), plain(e.getValue()));
                }
            });
        }
        return map;
    }

    private static Object plain(Object value) {
        if (value instanceof JsonObject o) {
            Map<String, Object> map = new LinkedHashMap<>();
            o.forEach(e -> map.put(e.getKey(), plain(e.getValue())));
            return map;
        }
        if (value instanceof JsonArray a) {
            List<Object> list = new ArrayList<>();
            a.forEach(v -> list.add(plain(v)));
            return list;
        }
        return value;
    }
}
