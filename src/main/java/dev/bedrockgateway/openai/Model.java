package dev.bedrockgateway.openai;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** An entry of {@code GET /v1/models} (components/schemas/Model). */
@RegisterForReflection
public record Model(String id, String object, long created, String ownedBy) {

    public static final String OBJECT = "model";

    /** components/schemas/ListModelsResponse. */
    @RegisterForReflection
    public record ListResponse(String object, List<Model> data) {
    }
}
