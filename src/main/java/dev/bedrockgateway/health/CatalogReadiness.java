package dev.bedrockgateway.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.bedrockgateway.catalog.Catalog;
import dev.bedrockgateway.catalog.ModelCatalog;

/** Ready once a catalog is in force; reports its source and size. Never calls Bedrock. */
@Readiness
@ApplicationScoped
public class CatalogReadiness implements HealthCheck {

    private final ModelCatalog catalog;

    public CatalogReadiness(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public HealthCheckResponse call() {
        Catalog current = catalog.current();
        if (current == null) {
            return HealthCheckResponse.down("catalog");
        }
        return HealthCheckResponse.named("catalog").up()
                .withData("source", current.source())
                .withData("models", current.groups().size())
                .build();
    }
}
