package dev.bedrockgateway.responses;

import java.util.Optional;

import io.smallrye.mutiny.Uni;

/**
 * Where stored responses live: PostgreSQL when the gateway has a database, otherwise a bounded in-memory store. Every
 * method fails its {@link Uni} with {@code GovernanceStore.StoreUnavailable} when the store cannot be reached in time;
 * none blocks the calling thread.
 */
public interface ResponseStore {

    /**
     * Keeps {@code response} until it expires ({@code gateway.responses.retention}) or is deleted. Saving an id again
     * replaces it and starts its retention again; an id another owner holds fails with {@link IllegalStateException}.
     */
    Uni<Void> save(StoredResponse response);

    /** The response, unless it is unknown, expired, deleted or another owner's. */
    Uni<Optional<StoredResponse>> find(String id, String owner);

    /** Deletes the response if {@code owner} made it; whether there was one. */
    Uni<Boolean> delete(String id, String owner);

    /** {@code postgresql} or {@code memory}, for the docs and readiness. */
    String kind();
}
