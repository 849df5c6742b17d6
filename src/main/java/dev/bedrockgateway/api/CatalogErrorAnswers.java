package dev.bedrockgateway.api;

import java.util.List;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import dev.bedrockgateway.catalog.ModelCatalog;
import dev.bedrockgateway.config.GatewayConfig;
import dev.bedrockgateway.config.StartupRefusal;
import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Dev mode's answer while the model catalog has errors ({@code gateway.catalog.serve-errors}, {@link
 * ModelCatalog#errors()}): every API request gets all the errors, 503 (the gateway cannot serve anything until the file
 * is fixed) in the error shape of its API ({@link WireFormat}: OpenAI's {@code server_error} with code
 * {@value #CODE}, Anthropic's under {@code /v1/messages}, Bedrock's under {@code /bedrock/}), where Quarkus would
 * otherwise show API clients its HTML error page. The route exists only when the setting is on: production, which
 * refuses to start with such a catalog, pays nothing for it.
 */
@Singleton
public class CatalogErrorAnswers {

    /** OpenAI's {@code error.code} of these answers. */
    public static final String CODE = "catalog_invalid";

    private final ModelCatalog catalog;
    private final boolean enabled;

    public CatalogErrorAnswers(ModelCatalog catalog, GatewayConfig config) {
        this.catalog = catalog;
        this.enabled = config.catalog().serveErrors();
    }

    void install(@Observes Router router) {
        if (enabled) {
            // After the access line and the request limits (orders MIN_VALUE and MIN_VALUE + 1).
            router.route().order(Integer.MIN_VALUE + 2).handler(this::answer);
        }
    }

    private void answer(RoutingContext rc) {
        List<String> errors = catalog.errors();
        // Quarkus' own pages (the Dev UI under /q/) stay reachable.
        if (errors.isEmpty() || rc.normalizedPath().startsWith("/q/")) {
            rc.next();
            return;
        }
        OpenAiException error = new OpenAiException(503, ErrorTypes.SERVER, CODE, null, message(errors));
        WireFormat.of(rc.request().path()).reply(error).send(rc.response());
    }

    /** All the errors, one a line after the first. */
    static String message(List<String> errors) {
        return "The model catalog has " + StartupRefusal.errors(errors.size()) + "; the gateway serves as soon as the "
                + "file is fixed:\n" + String.join("\n", errors);
    }
}
