package dev.bedrockgateway.routing;

import java.util.Map;

import dev.bedrockgateway.error.OpenAiException;

/**
 * No deployment of a model can take the call now (all cooling down, all at their bulkhead or rpm/tpm limit). Not
 * retried against the same model; its fallbacks are tried.
 */
public final class NoDeploymentAvailable extends OpenAiException {

    NoDeploymentAvailable(int status, String type, String code, String message, String retryAfterSeconds) {
        super(status, type, code, null, message, Map.of("Retry-After", retryAfterSeconds), null);
    }
}
