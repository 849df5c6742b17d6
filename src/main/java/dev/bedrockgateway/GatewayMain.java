package dev.bedrockgateway;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts the gateway. Before Quarkus starts, it turns off Quarkus's own check of request URIs
 * ({@code vertx.disableURIValidation}): that check answers a malformed URI ({@code /v1/completions?%zz}) with a bare
 * 400, before any route could log it or answer it in the API's error shape. The gateway checks URIs itself, as the
 * first thing every request meets ({@link dev.bedrockgateway.api.RequestLimits}). Dev mode and {@code @QuarkusTest}
 * do not start through this method: pom.xml sets the same property for them (quarkus-maven-plugin, surefire). The
 * native executable reads it while it is built: application.properties gives it to the native-image builder.
 */
@QuarkusMain
public final class GatewayMain {

    /** The Vert.x / Quarkus system property that turns the HTTP layer's URI check off. */
    public static final String DISABLE_URI_VALIDATION = "vertx.disableURIValidation";

    public static void main(String... args) {
        System.setProperty(DISABLE_URI_VALIDATION, "true");
        Quarkus.run(args);
    }
}
