package dev.bedrockgateway.health;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.bedrockgateway.catalog.Catalog;
import dev.bedrockgateway.catalog.ModelCatalog;

/**
 * Ready once a catalog is in force; reports its source and size. Never calls Bedrock. DOWN, with the errors, while the
 * catalog file has errors and none of it could be loaded (only with {@code gateway.catalog.serve-errors}, dev mode).
 */
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
        List<String> errors = catalog.errors();
        if (!errors.isEmpty()) {
            return HealthCheckResponse.named("catalog").down()
                    .withData("source", current.source())
                    .withData("errors", String.join("\n", errors))
                    .build();
        }
        return HealthCheckResponse.named("catalog").up()
                .withData("source", current.source())
                .withData("models", current.groups().size())
                .build();
    }
}
