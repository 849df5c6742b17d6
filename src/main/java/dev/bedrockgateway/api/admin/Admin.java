package dev.bedrockgateway.api.admin;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.bedrockgateway.catalog.ModelCatalog;
import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.governance.Caller;
import dev.bedrockgateway.governance.KeyHashes;
import dev.bedrockgateway.governance.VirtualKeys;
import dev.bedrockgateway.governance.store.GovernanceEvents;
import dev.bedrockgateway.governance.store.GovernanceStore;
import dev.bedrockgateway.governance.store.VirtualKey;
import io.smallrye.mutiny.Uni;

/** What the admin resources share: the store, the checks of what they are given, and change notices. */
@ApplicationScoped
public class Admin {

    private final GovernanceStore store;
    private final GovernanceEvents events;
    private final VirtualKeys keys;
    private final ModelCatalog catalog;

    public Admin(GovernanceStore store, GovernanceEvents events, VirtualKeys keys, ModelCatalog catalog) {
        this.store = store;
        this.events = events;
        this.keys = keys;
        this.catalog = catalog;
    }

    /** The store, or 503 when the gateway has no database (then only master keys exist). */
    Uni<GovernanceStore> store() {
        if (!store.configured()) {
            return Uni.createFrom().failure(new OpenAiException(503, ErrorTypes.SERVER, "database_not_configured",
                    null, "Virtual keys, teams and spend need a database: set GATEWAY_DATABASE_URL (or DATABASE_URL, "
                            + "or general_settings.database_url in the catalog)."));
        }
        return Uni.createFrom().item(store);
    }

    Uni<VirtualKey> existingKey(GovernanceStore store, String hash) {
        return store.findKey(hash).map(found -> found.orElseThrow(Admin::keyNotFound));
    }

    /** 400 when {@code teamId} names no team (null: nothing to check). */
    Uni<Void> checkTeam(GovernanceStore store, String teamId) {
        if (teamId == null) {
            return Uni.createFrom().voidItem();
        }
        return store.findTeam(teamId).map(team -> {
            if (team.isEmpty()) {
                throw AdminRequest.invalidValue("team_id", "no team has the id '" + teamId + "'");
            }
            return null;
        });
    }

    /** The model names given, each of which must be one of the catalog's (or LiteLLM's "all models" names). */
    List<String> checkModels(List<String> models) {
        if (models == null) {
            return List.of();
        }
        for (String model : models) {
            if (!Caller.allModels(model) && catalog.current().find(model).isEmpty()) {
                throw AdminRequest.invalidValue("models", "the catalog has no model named '" + model + "'");
            }
        }
        return models;
    }

    /** Publishes a key's change to every replica (this one included) and answers its new state. */
    Response keyChanged(String hash, VirtualKey updated) {
        publishKey(hash);
        return ok(AdminViews.key(updated));
    }

    void publishKey(String hash) {
        keys.forget(hash);
        events.publish(GovernanceEvents.key(hash));
    }

    void publishTeam(String teamId) {
        events.publish(GovernanceEvents.team(teamId));
    }

    /** The hash a key is stored under: the key's own when given as {@code sk-...}, else the hash given. */
    static String keyHash(String given) {
        String trimmed = given.trim();
        return trimmed.matches("[0-9a-f]{64}") ? trimmed : KeyHashes.hash(trimmed);
    }

    static OpenAiException keyNotFound() {
        return new OpenAiException(404, ErrorTypes.INVALID_REQUEST, "key_not_found", "key",
                "No virtual key matches the key given.");
    }

    static int positive(String param, String value, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw AdminRequest.invalidValue(param, "must be an integer from 1 to " + max);
    }

    static Response ok(Object view) {
        return Response.ok(AdminViews.json(view), MediaType.APPLICATION_JSON_TYPE).build();
    }
}
