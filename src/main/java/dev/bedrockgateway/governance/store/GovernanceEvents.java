package dev.bedrockgateway.governance.store;

import java.util.function.Consumer;

/**
 * Changes every replica must hear about at once: a key blocked, deleted, regenerated or updated, a team changed, a
 * deployment cooled down. Published on a Redis channel when Redis is configured (each replica, the sender
 * included, receives it), else delivered in-process.
 */
public interface GovernanceEvents {

    /** Publishes {@code event} to every replica; never blocks and never fails the caller (failures are logged). */
    void publish(String event);

    /** Registers a listener for every event published by any replica. */
    void subscribe(Consumer<String> listener);

    /** Event of a changed virtual key. */
    static String key(String tokenHash) {
        return "key:" + tokenHash;
    }

    /** Event of a changed team. */
    static String team(String teamId) {
        return "team:" + teamId;
    }

    /** Event of a deployment cooled down until {@code untilEpochMillis}. */
    static String cooldown(String deploymentKey, long untilEpochMillis) {
        return "cooldown:" + untilEpochMillis + ":" + deploymentKey;
    }
}
