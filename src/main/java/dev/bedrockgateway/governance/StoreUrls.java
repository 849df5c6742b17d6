package dev.bedrockgateway.governance;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.bedrockgateway.config.GatewayConfig;

/** Where the governance stores are: the one place that decides which database URL is in force. */
@ApplicationScoped
public class StoreUrls {

    private final GatewayConfig config;

    StoreUrls(GatewayConfig config) {
        this.config = config;
    }

    /** The PostgreSQL URL ({@code postgresql://user:password@host:5432/db?options}), when one is configured. */
    public Optional<String> database() {
        return config.databaseUrl().filter(url -> !url.isBlank());
    }
}
