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
 * @param loadedAt epoch seconds of loading; reported as the models' {@code created}
 * @param warnings one line per key the gateway does not use, for the start-up log
 */
public record Catalog(String source, Map<String, List<Deployment>> groups, CatalogSettings settings,
        Optional<String> masterKey, long loadedAt, List<String> warnings) {

    public Catalog {
        groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
        warnings = List.copyOf(warnings);
    }

    /** The deployments serving {@code modelName}, or empty when the catalog has no such name. */
    public Optional<List<Deployment>> find(String modelName) {
        return Optional.ofNullable(groups.get(modelName));
    }
}
