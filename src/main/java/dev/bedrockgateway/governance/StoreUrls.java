package dev.bedrockgateway.governance;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.bedrockgateway.config.GatewayConfig;

/**
 * Where the governance stores live. One bean answers it so that every store user (counters, events) connects to the
 * same server, and so that the catalog's {@code router_settings} can later be consulted in one place.
 */
@ApplicationScoped
public class StoreUrls {

    private final GatewayConfig config;

    public StoreUrls(GatewayConfig config) {
        this.config = config;
    }

    /** The Redis connection string ({@code redis://}, {@code rediss://}), empty when each replica counts alone. */
    public Optional<String> redis() {
        return config.redisUrl().filter(url -> !url.isBlank());
    }
}
