package dev.bedrockgateway.catalog;

/**
 * The {@code litellm_settings} the gateway honours.
 *
 * @param dropParams when true, request options Bedrock cannot honour are dropped (and named in the
 *        {@code x-bedrock-gateway-dropped-params} response header) instead of answered with 400
 */
public record CatalogSettings(boolean dropParams) {

    public static final CatalogSettings DEFAULTS = new CatalogSettings(false);
}
