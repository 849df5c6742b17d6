package dev.bedrockgateway.governance.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A team as stored, LiteLLM's {@code LiteLLM_TeamTable} fields.
 *
 * @param teamId the team's id (generated when not given)
 * @param teamAlias optional display name
 * @param models the model names its keys may use; empty means every model
 * @param maxBudget budget in USD for all its keys together, or null
 * @param budgetDuration budget period ({@code 30d} ...), or null
 * @param budgetResetAt when the current period ends, or null
 * @param spend USD spent in the current period, as last written to the store
 * @param rpmLimit requests per minute for all its keys together, or null
 * @param tpmLimit tokens per minute for all its keys together, or null
 * @param blocked whether every key of the team is refused
 * @param metadata free-form metadata
 * @param createdAt creation time
 * @param updatedAt last change
 */
public record Team(String teamId, String teamAlias, List<String> models, Double maxBudget, String budgetDuration,
        Instant budgetResetAt, double spend, Integer rpmLimit, Integer tpmLimit, boolean blocked,
        Map<String, Object> metadata, Instant createdAt, Instant updatedAt) {

    public Team {
        models = models == null ? List.of() : List.copyOf(models);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
