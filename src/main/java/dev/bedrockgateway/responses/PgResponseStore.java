package dev.bedrockgateway.responses;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import dev.bedrockgateway.governance.postgres.Database;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@link ResponseStore} in PostgreSQL's {@code bg_responses} (V2__responses.sql), shared by the replicas. Every call
 * goes through {@link Database#call}: bounded by {@code gateway.governance.store-timeout}, failing with
 * {@code GovernanceStore.StoreUnavailable} past it, while the server cannot be reached or before the schema is migrated.
 *
 * <p>A response expires {@code gateway.responses.retention} after it was saved, by the database's clock (the one every
 * replica shares): from then on it is not found, and {@link #purge()} deletes it, every {@code purgeInterval} once
 * {@link #start()} is called.
 */
final class PgResponseStore implements ResponseStore {

    private static final Logger LOG = Logger.getLogger(PgResponseStore.class);

    /** How often expired rows are deleted: they are invisible already, the purge only frees their space. */
    static final Duration PURGE_INTERVAL = Duration.ofHours(1);

    /** Rows one purge statement deletes at most, so that each statement stays well within the store timeout. */
    static final int PURGE_BATCH = 1000;

    // A live row of another owner is left alone (no row affected, see save); an expired one counts as absent.
    private static final String UPSERT = "INSERT INTO bg_responses"
            + " (id, owner, created_at, expires_at, response, input_items, context)"
            + " VALUES ($1, $2, $3, now() + $4::bigint * interval '1 millisecond', $5, $6, $7)"
            + " ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, created_at = excluded.created_at,"
            + " expires_at = excluded.expires_at, response = excluded.response, input_items = excluded.input_items,"
            + " context = excluded.context"
            + " WHERE bg_responses.owner = excluded.owner OR bg_responses.expires_at <= now()";

    private static final String FIND = "SELECT id, owner, created_at, response, input_items, context FROM bg_responses"
            + " WHERE id = $1 AND owner = $2 AND expires_at > now()";

    private static final String DELETE = "DELETE FROM bg_responses WHERE id = $1 AND owner = $2 AND expires_at > now()";

    // SKIP LOCKED: replicas purging at the same time take different rows instead of waiting on each other.
    private static final String PURGE = "DELETE FROM bg_responses WHERE id IN (SELECT id FROM bg_responses"
            + " WHERE expires_at <= now() LIMIT $1 FOR UPDATE SKIP LOCKED)";

    private final Database database;
    private final Vertx vertx;
    private final Duration retention;
    private final Duration purgeInterval;
    private long purgeTimer = -1;

    PgResponseStore(Database database, Vertx vertx, Duration retention, Duration purgeInterval) {
        this.database = database;
        this.vertx = vertx;
        this.retention = retention;
        this.purgeInterval = purgeInterval;
    }

    @Override
    public Uni<Void> save(StoredResponse r) {
        Tuple values = Tuple.from(List.of(r.id(), r.owner(),
                Instant.ofEpochSecond(r.createdAt()).atOffset(ZoneOffset.UTC), retention.toMillis(),
                Buffer.buffer(r.response()), Buffer.buffer(r.inputItems()), Buffer.buffer(r.context())));
        return database.call("save response", c -> c.preparedQuery(UPSERT).execute(values))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new IllegalStateException("response " + r.id() + " belongs to another owner");
                    }
                    return null;
                });
    }

    @Override
    public Uni<Optional<StoredResponse>> find(String id, String owner) {
        return database.call("find response", c -> c.preparedQuery(FIND).execute(Tuple.of(id, owner))
                .map(rows -> {
                    var it = rows.iterator();
                    return it.hasNext() ? Optional.of(response(it.next())) : Optional.empty();
                }));
    }

    @Override
    public Uni<Boolean> delete(String id, String owner) {
        return database.call("delete response", c -> c.preparedQuery(DELETE).execute(Tuple.of(id, owner))
                .map(rows -> rows.rowCount() > 0));
    }

    @Override
    public String kind() {
        return "postgresql";
    }

    /** Deletes the expired rows, {@link #PURGE_BATCH} a statement, each bounded by the store timeout; how many. */
    Uni<Long> purge() {
        return purgeFrom(0);
    }

    private Uni<Long> purgeFrom(long deleted) {
        return database.call("purge expired responses", c -> c.preparedQuery(PURGE).execute(Tuple.of(PURGE_BATCH)))
                .flatMap(rows -> rows.rowCount() < PURGE_BATCH ? Uni.createFrom().item(deleted + rows.rowCount())
                        : purgeFrom(deleted + rows.rowCount()));
    }

    /** Starts purging every {@code purgeInterval}. */
    void start() {
        if (purgeTimer < 0) {
            purgeTimer = vertx.setPeriodic(Math.max(1, purgeInterval.toMillis()), id -> purge().subscribe().with(
                    deleted -> LOG.debugf("Purged %d expired responses", deleted),
                    failure -> LOG.warnf("Expired responses could not be purged (tried again in %s): %s",
                            purgeInterval, failure.getMessage())));
        }
    }

    /** Stops purging. */
    void stop() {
        if (purgeTimer >= 0) {
            vertx.cancelTimer(purgeTimer);
            purgeTimer = -1;
        }
    }

    private static StoredResponse response(Row row) {
        return new StoredResponse(row.getString("id"), row.getString("owner"),
                row.getOffsetDateTime("created_at").toEpochSecond(), row.getBuffer("response").getBytes(),
                row.getBuffer("input_items").getBytes(), row.getBuffer("context").getBytes());
    }
}
