package dev.bedrockgateway.responses;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import dev.bedrockgateway.config.GatewayConfig;
import dev.bedrockgateway.governance.postgres.Database;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;

/**
 * The one {@link ResponseStore} in force, injectable as {@code ResponseStore}: {@link PgResponseStore} when the gateway
 * has a database ({@code gateway.database-url}, read once at start), else {@link MemoryResponseStore}. Starts the
 * purge of expired rows at start (whether or not a response is ever stored in this run) and stops it at shutdown.
 */
@ApplicationScoped
public class ResponseStores {

    private final ResponseStore store;

    @Inject
    ResponseStores(Database database, Vertx vertx, GatewayConfig config) {
        GatewayConfig.Responses responses = config.responses();
        this.store = database.configured()
                ? new PgResponseStore(database, vertx, responses.retention(), PgResponseStore.PURGE_INTERVAL)
                : new MemoryResponseStore(responses.memoryMaxBytes(), responses.retention());
    }

    void onStart(@Observes StartupEvent event) {
        if (store instanceof PgResponseStore pg) {
            pg.start();
        }
    }

    @Produces
    @ApplicationScoped
    ResponseStore store() {
        return store;
    }

    @PreDestroy
    void close() {
        if (store instanceof PgResponseStore pg) {
            pg.stop();
        }
    }
}
