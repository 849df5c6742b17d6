package dev.bedrockgateway.governance.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.smallrye.mutiny.Uni;

/**
 * The durable home of keys, teams and the spend log (PostgreSQL). Every method fails its {@link Uni} with
 * {@link StoreUnavailable} when the store cannot be reached in time; none blocks the calling thread.
 */
public interface GovernanceStore {

    /** Whether the gateway has a database (virtual keys exist only then). */
    boolean configured();

    Uni<Optional<VirtualKey>> findKey(String tokenHash);

    Uni<Optional<VirtualKey>> findKeyByAlias(String keyAlias);

    /** Inserts a new key; fails with {@link Conflict} when its hash or alias exists. */
    Uni<Void> insertKey(VirtualKey key);

    /** Replaces the stored key with the same hash; empty when there was none. */
    Uni<Optional<VirtualKey>> updateKey(VirtualKey key);

    /** Gives the key a new hash (and name), keeping everything else; empty when {@code oldHash} is unknown. */
    Uni<Optional<VirtualKey>> rehashKey(String oldHash, String newHash, String newKeyName, Instant updatedAt);

    /** Deletes keys; answers the hashes that existed. */
    Uni<List<String>> deleteKeys(List<String> tokenHashes);

    /** Keys, newest first, filtered by team and/or user when given; {@code page} counts from 1. */
    Uni<Page<VirtualKey>> listKeys(String teamId, String userId, int page, int size);

    Uni<Optional<Team>> findTeam(String teamId);

    /** Inserts a new team; fails with {@link Conflict} when its id exists. */
    Uni<Void> insertTeam(Team team);

    Uni<Optional<Team>> updateTeam(Team team);

    /** Deletes teams (their keys lose their team); answers the ids that existed. */
    Uni<List<String>> deleteTeams(List<String> teamIds);

    Uni<List<Team>> listTeams();

    /**
     * Appends spend rows and adds their spend to their keys' and teams' {@code spend}, in one transaction; a key or
     * team whose budget period ended is reset first (spend 0, next {@code budget_reset_at}).
     */
    Uni<Void> writeSpend(List<SpendRow> rows);

    /** Spend rows, oldest first, filtered by whichever criteria are non-null; at most {@code limit}. */
    Uni<List<SpendRow>> spendLogs(String apiKeyHash, String teamId, String userId, Instant from, Instant to,
            int limit);

    /** A page of a listing and the total count. */
    record Page<T>(List<T> items, long total, int page, int size) {
    }

    /** The store could not be reached, or did not answer in time. */
    final class StoreUnavailable extends RuntimeException {
        public StoreUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A unique value (key hash, alias, team id) exists already. */
    final class Conflict extends RuntimeException {
        public Conflict(String message) {
            super(message);
        }
    }
}
