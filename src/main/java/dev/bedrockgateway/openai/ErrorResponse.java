package dev.bedrockgateway.openai;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** components/schemas/ErrorResponse: all four fields are required, {@code param} and {@code code} nullable. */
@RegisterForReflection
public record ErrorResponse(Error error) {

    @RegisterForReflection
    public record Error(String message, String type, String param, String code) {
    }
}
