package dev.bedrockgateway.governance;

import java.util.List;

import dev.bedrockgateway.governance.store.Team;
import dev.bedrockgateway.governance.store.VirtualKey;
import io.vertx.ext.web.RoutingContext;

/**
 * Who is calling: a master key (or nobody, where the gateway allows that), or a virtual key with its team. Travels
 * with the request in its {@link RoutingContext}.
 *
 * @param keyId the id logged and rate-limited by ({@code key-...} for master keys, {@code vk-...} for virtual ones)
 * @param key the virtual key, or null for master keys and anonymous callers
 * @param team the virtual key's team, or null
 */
public record Caller(String keyId, VirtualKey key, Team team) {

    private static final String KEY = Caller.class.getName();

    /** LiteLLM's names for "every model" in a key's or team's {@code models}. */
    private static final List<String> ALL_MODELS = List.of("all-proxy-models", "all-team-models", "*");

    public static Caller master(String keyId) {
        return new Caller(keyId, null, null);
    }

    public boolean virtual() {
        return key != null;
    }

    /** Whether this caller may use {@code model}: every model unless its key or team lists the ones it may. */
    public boolean mayUse(String model) {
        return key == null || (allows(key.models(), model) && (team == null || allows(team.models(), model)));
    }

    private static boolean allows(List<String> models, String model) {
        return models.isEmpty() || models.contains(model) || models.stream().anyMatch(Caller::allModels);
    }

    /** Whether {@code name} is one of LiteLLM's names for "every model", valid in a key's or team's {@code models}. */
    public static boolean allModels(String name) {
        return ALL_MODELS.contains(name);
    }

    public void attach(RoutingContext context) {
        context.put(KEY, this);
    }

    /** The caller the authentication filter attached, or null before it ran. */
    public static Caller of(RoutingContext context) {
        return context.get(KEY);
    }
}
