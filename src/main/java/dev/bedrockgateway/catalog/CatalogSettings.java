package dev.bedrockgateway.catalog;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The {@code litellm_settings} and {@code router_settings} the gateway honours. Unset values fall back to the
 * gateway's configuration ({@code gateway.routing.*}, {@code gateway.bedrock.request-timeout}).
 *
 * @param dropParams when true, request options Bedrock cannot honour are dropped (and named in the
 *        {@code x-bedrock-gateway-dropped-params} response header) instead of answered with 400
 * @param numRetries retries of a failed Bedrock call ({@code num_retries})
 * @param requestTimeout bound of one Bedrock call ({@code litellm_settings.request_timeout},
 *        {@code router_settings.timeout}; seconds)
 * @param allowedFails consecutive failures before a deployment is cooled down ({@code allowed_fails})
 * @param cooldownTime how long a deployment is cooled down ({@code cooldown_time}; seconds)
 * @param routingStrategy {@code least-busy} or {@code simple-shuffle} ({@code routing_strategy})
 * @param fallbacks model names tried, in order, when a model's deployments are exhausted ({@code fallbacks},
 *        LiteLLM's {@code [{"model-a": ["model-b"]}]})
 */
public record CatalogSettings(boolean dropParams, OptionalInt numRetries, Optional<Duration> requestTimeout,
        OptionalInt allowedFails, Optional<Duration> cooldownTime, Optional<String> routingStrategy,
        Map<String, List<String>> fallbacks) {

    public static final CatalogSettings DEFAULTS = new CatalogSettings(false, OptionalInt.empty(), Optional.empty(),
            OptionalInt.empty(), Optional.empty(), Optional.empty(), Map.of());

    public CatalogSettings {
        fallbacks = Map.copyOf(fallbacks);
    }

    /** The fallback model names of {@code modelName}, in order; empty when it has none. */
    public List<String> fallbacksOf(String modelName) {
        return fallbacks.getOrDefault(modelName, List.of());
    }
}
