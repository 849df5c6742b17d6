package dev.bedrockgateway.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable, loaded model catalog: client-facing model names, each with its deployment group (several
 * entries may share a {@code model_name}), plus the settings and keys the file declared.
 *
 * @param source where it was read from, for messages
 * @param databaseUrl PostgreSQL of the governance store ({@code general_settings.database_url}); holds a password
 * @param redisUrl Redis of the governance store ({@code router_settings.redis_url}, or {@code redis://[:password@]host:port}
 *        built from {@code redis_host}, {@code redis_port}, {@code redis_password}); may hold a password
 * @param loadedAt epoch seconds of loading; reported as the models' {@code created}
 * @param warnings one line per key the gateway does not use, for the start-up log
 */
public record Catalog(String source, Map<String, List<Deployment>> groups, CatalogSettings settings,
        Optional<String> masterKey, Optional<String> databaseUrl, Optional<String> redisUrl, long loadedAt,
        List<String> warnings) {

    public Catalog {
        groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
        warnings = List.copyOf(warnings);
    }

    /** The deployments serving {@code modelName}, or empty when the catalog has no such name. */
    public Optional<List<Deployment>> find(String modelName) {
        return Optional.ofNullable(groups.get(modelName));
    }

    /** Names the file and its models only: the keys and store URLs hold secrets that must never reach a log. */
    @Override
    public String toString() {
        return "Catalog[" + source + ", models " + groups.keySet() + ", loadedAt " + loadedAt + "]";
    }
}
