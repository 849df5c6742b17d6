package dev.bedrockgateway.governance;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import dev.bedrockgateway.catalog.Catalog;
import dev.bedrockgateway.catalog.ModelCatalog;
import dev.bedrockgateway.config.GatewayConfig;
import dev.bedrockgateway.config.StartupRefusal;

/**
 * Where the governance stores live, decided once at start so that every user of a store (key store, spend log,
 * counters, events) connects to the same server: the gateway's configuration ({@code GATEWAY_DATABASE_URL} /
 * {@code DATABASE_URL}, {@code GATEWAY_REDIS_URL}), else the catalog's LiteLLM settings
 * ({@code general_settings.database_url}, {@code router_settings.redis_*}), else, in dev mode only, servers the
 * gateway starts itself ({@link Local}).
 */
@ApplicationScoped
public class StoreUrls {

    /** Stores started by the gateway itself: dev mode's (its class is not part of production builds). */
    public interface Local {
        Optional<String> database();

        Optional<String> redis();
    }

    private static final Logger LOG = Logger.getLogger(StoreUrls.class);
    private static final Pattern REDIS_URL = Pattern.compile("rediss?://.+");

    private final Optional<String> database;
    private final Optional<String> redis;

    public StoreUrls(GatewayConfig config, ModelCatalog catalog, Instance<Local> local) {
        // The catalog's Redis settings are checked when it loads; the database URL is checked by its user (Database).
        if (config.redisUrl().filter(u -> !u.isBlank() && !REDIS_URL.matcher(u.trim()).matches()).isPresent()) {
            throw StartupRefusal.refuse(LOG, List.of("The Redis URL (gateway.redis-url, GATEWAY_REDIS_URL) is not a "
                    + "redis://[user:password@]host:port or rediss://... URL (its value is not shown: it may hold a "
                    + "password)"), "the Redis URL is not a redis:// URL");
        }
        Catalog current = catalog.current();
        this.database = pick(config.databaseUrl(), current == null ? Optional.empty() : current.databaseUrl(),
                local, Local::database);
        this.redis = pick(config.redisUrl(), current == null ? Optional.empty() : current.redisUrl(), local,
                Local::redis);
    }

    private static Optional<String> pick(Optional<String> configured, Optional<String> fromCatalog,
            Instance<Local> local, Function<Local, Optional<String>> started) {
        Optional<String> url = configured.filter(u -> !u.isBlank()).or(() -> fromCatalog.filter(u -> !u.isBlank()));
        if (url.isEmpty() && local.isResolvable()) {
            url = started.apply(local.get());
        }
        return url;
    }

    /** The PostgreSQL URL ({@code postgresql://...}), empty when the gateway serves master keys only. */
    public Optional<String> database() {
        return database;
    }

    /** The Redis connection string ({@code redis://}, {@code rediss://}), empty when each replica counts alone. */
    public Optional<String> redis() {
        return redis;
    }
}
