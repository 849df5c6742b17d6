package dev.bedrockgateway.governance.store;

import java.util.function.Consumer;

/**
 * Changes every replica must hear about at once: a key blocked, deleted, regenerated or updated, a team changed, a
 * deployment cooled down. Published on a Redis channel when Redis is configured (each replica, the sender
 * included, receives it), else delivered in-process.
 */
public interface GovernanceEvents {

    String KEY = "key:";
    String TEAM = "team:";
    String COOLDOWN = "cooldown:";

    /** Publishes {@code event} to every replica; never blocks and never fails the caller (failures are logged). */
    void publish(String event);

    /** Registers a listener for every event published by any replica. */
    void subscribe(Consumer<String> listener);

    /** Event of a changed virtual key. */
    static String key(String tokenHash) {
        return KEY + tokenHash;
    }

    /** Event of a changed team. */
    static String team(String teamId) {
        return TEAM + teamId;
    }

    /** Event of a deployment cooled down until {@code untilEpochMillis}. */
    static String cooldown(String deploymentKey, long untilEpochMillis) {
        return COOLDOWN + untilEpochMillis + ":" + deploymentKey;
    }

    /** The key hash of a {@link #key} event, else null. */
    static String changedKey(String event) {
        return event.startsWith(KEY) ? event.substring(KEY.length()) : null;
    }

    /** The team id of a {@link #team} event, else null. */
    static String changedTeam(String event) {
        return event.startsWith(TEAM) ? event.substring(TEAM.length()) : null;
    }

    /**
     * A {@link #cooldown} event read back.
     *
     * @param deploymentKey the deployment cooled down
     * @param untilEpochMillis when its cool-down ends
     */
    record Cooldown(String deploymentKey, long untilEpochMillis) {

        /** The cool-down {@code event} announces, else null. */
        public static Cooldown of(String event) {
            if (!event.startsWith(COOLDOWN)) {
                return null;
            }
            int colon = event.indexOf(':', COOLDOWN.length());
            return new Cooldown(event.substring(colon + 1), Long.parseLong(event.substring(COOLDOWN.length(), colon)));
        }
    }
}
