package dev.bedrockgateway.governance.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A virtual key as stored: never the key itself, only its SHA-256 ({@link #tokenHash}). Field names follow LiteLLM's
 * {@code LiteLLM_VerificationToken} so that its admin API answers look the same.
 *
 * @param tokenHash hex SHA-256 of the key, the primary key
 * @param keyName the key's first and last characters ({@code sk-...abcd}), for people to recognise it
 * @param keyAlias optional unique alias
 * @param teamId the team it belongs to, or null
 * @param userId the user it belongs to, or null
 * @param models the model names it may use; empty means every model (of its team, if any)
 * @param maxBudget budget in USD, or null for none
 * @param budgetDuration LiteLLM's budget period ({@code 30s}, {@code 1h}, {@code 30d}, {@code 1mo}), or null
 * @param budgetResetAt when the current budget period ends, or null
 * @param spend USD spent in the current budget period, as last written to the store
 * @param rpmLimit requests per minute, or null
 * @param tpmLimit tokens per minute, or null
 * @param maxParallelRequests requests in flight at once, or null
 * @param expires when the key stops working, or null
 * @param blocked whether the key is blocked
 * @param metadata free-form metadata the admin gave
 * @param createdAt creation time
 * @param updatedAt last change
 */
public record VirtualKey(String tokenHash, String keyName, String keyAlias, String teamId, String userId,
        List<String> models, Double maxBudget, String budgetDuration, Instant budgetResetAt, double spend,
        Integer rpmLimit, Integer tpmLimit, Integer maxParallelRequests, Instant expires, boolean blocked,
        Map<String, Object> metadata, Instant createdAt, Instant updatedAt) {

    public VirtualKey {
        models = models == null ? List.of() : List.copyOf(models);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
