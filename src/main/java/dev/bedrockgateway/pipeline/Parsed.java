package dev.bedrockgateway.pipeline;

import java.util.List;

/**
 * A request body as read, and the fields its wire format does not define, as paths ({@code foo},
 * {@code messages[0].bar}): refused or dropped under {@code drop_params} when translated.
 */
public record Parsed<Q>(Q value, List<String> unknownParams) {
}
