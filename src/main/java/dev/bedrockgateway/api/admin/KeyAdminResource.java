package dev.bedrockgateway.api.admin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.governance.KeyHashes;
import dev.bedrockgateway.governance.store.GovernanceEvents;
import dev.bedrockgateway.governance.store.GovernanceStore;
import dev.bedrockgateway.governance.store.VirtualKey;
import io.smallrye.mutiny.Uni;

/**
 * LiteLLM's key management API: {@code /key/generate}, {@code /key/update}, {@code /key/info}, {@code /key/list},
 * {@code /key/delete}, {@code /key/block}, {@code /key/unblock}, {@code /key/regenerate}. A key is named by itself
 * ({@code sk-...}) or by its hash (LiteLLM's {@code token}). Every change is published to all replicas, which stop
 * serving the old state of the key at once (with Redis; without it, within {@code gateway.governance.key-cache-ttl}).
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class KeyAdminResource {

    /** The limits and attributes a key is generated or updated with. */
    private static final Set<String> KEY_FIELDS = Set.of("key_alias", "duration", "models", "max_budget",
            "budget_duration", "rpm_limit", "tpm_limit", "max_parallel_requests", "team_id", "user_id", "metadata",
            "blocked");

    private final Admin admin;

    public KeyAdminResource(Admin admin) {
        this.admin = admin;
    }

    @POST
    @Path("key/generate")
    public Uni<Response> generate(byte[] body) {
        AdminRequest request = AdminRequest.read(body, with(KEY_FIELDS, "key"));
        String key = request.string("key");
        if (key == null) {
            key = KeyHashes.generate();
        } else if (!key.startsWith("sk-") || key.length() < 20) {
            throw AdminRequest.invalidValue("key", "a key given must start with 'sk-' and be at least 20 characters");
        }
        String secret = key;
        Instant now = Instant.now();
        VirtualKey fresh = apply(request, new VirtualKey(KeyHashes.hash(secret), KeyHashes.displayName(secret), null,
                null, null, List.of(), null, null, null, 0, null, null, null, null, false, Map.of(), now, now), now);
        return admin.store().chain(store -> admin.checkTeam(store, fresh.teamId()).chain(() -> store.insertKey(fresh)))
                .map(done -> {
                    Map<String, Object> view = new LinkedHashMap<>();
                    view.put("key", secret);
                    view.putAll(AdminViews.key(fresh));
                    return Admin.ok(view);
                });
    }

    @POST
    @Path("key/update")
    public Uni<Response> update(byte[] body) {
        AdminRequest request = AdminRequest.read(body, with(KEY_FIELDS, "key"));
        String hash = Admin.keyHash(request.requiredString("key"));
        Instant now = Instant.now();
        return admin.store().chain(store -> admin.existingKey(store, hash)
                .chain(existing -> {
                    VirtualKey changed = apply(request, existing, now);
                    return admin.checkTeam(store, request.has("team_id") ? changed.teamId() : null)
                            .chain(() -> store.updateKey(changed));
                }))
                .map(updated -> admin.keyChanged(hash, updated.orElseThrow(Admin::keyNotFound)));
    }

    @GET
    @Path("key/info")
    public Uni<Response> info(@QueryParam("key") String key) {
        if (key == null || key.isBlank()) {
            throw OpenAiException.invalidRequest("key", "Missing required parameter: 'key'.");
        }
        String hash = Admin.keyHash(key);
        return admin.store().chain(store -> admin.existingKey(store, hash)).map(found -> {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("key", hash); // the hash, not the key: an answer that may be logged carries no secret
            view.put("info", AdminViews.key(found));
            return Admin.ok(view);
        });
    }

    @GET
    @Path("key/list")
    public Uni<Response> list(@QueryParam("page") @DefaultValue("1") String page,
            @QueryParam("size") @DefaultValue("10") String size, @QueryParam("team_id") String teamId,
            @QueryParam("user_id") String userId, @QueryParam("return_full_object") String fullObject) {
        int pageNumber = Admin.positive("page", page, Integer.MAX_VALUE);
        int pageSize = Admin.positive("size", size, 100);
        boolean full = "true".equalsIgnoreCase(fullObject);
        return admin.store().chain(store -> store.listKeys(teamId, userId, pageNumber, pageSize)).map(listing -> {
            List<Object> keys = new ArrayList<>(listing.items().size());
            listing.items().forEach(k -> keys.add(full ? AdminViews.key(k) : k.tokenHash()));
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("keys", keys);
            view.put("total_count", listing.total());
            view.put("current_page", listing.page());
            view.put("total_pages", (listing.total() + listing.size() - 1) / listing.size());
            return Admin.ok(view);
        });
    }

    @POST
    @Path("key/delete")
    public Uni<Response> delete(byte[] body) {
        AdminRequest request = AdminRequest.read(body, Set.of("keys", "key_aliases"));
        List<String> keys = request.strings("keys");
        List<String> aliases = request.strings("key_aliases");
        if ((keys == null || keys.isEmpty()) && (aliases == null || aliases.isEmpty())) {
            throw OpenAiException.invalidRequest("keys", "Missing required parameter: 'keys' (or 'key_aliases').");
        }
        return admin.store().chain(store -> named(store, keys, aliases).chain(named -> store
                .deleteKeys(List.copyOf(named.keySet()))
                .map(deleted -> {
                    if (deleted.isEmpty()) {
                        throw Admin.keyNotFound();
                    }
                    deleted.forEach(admin::publishKey);
                    List<String> answered = named.entrySet().stream().filter(e -> deleted.contains(e.getKey()))
                            .map(Map.Entry::getValue).toList();
                    return Admin.ok(Map.of("deleted_keys", answered));
                })));
    }

    @POST
    @Path("key/block")
    public Uni<Response> block(byte[] body) {
        return setBlocked(body, true);
    }

    @POST
    @Path("key/unblock")
    public Uni<Response> unblock(byte[] body) {
        return setBlocked(body, false);
    }

    @POST
    @Path("key/regenerate")
    public Uni<Response> regenerate(byte[] body) {
        AdminRequest request = AdminRequest.read(body, Set.of("key"));
        return regenerate(request.requiredString("key"));
    }

    @POST
    @Path("key/{key}/regenerate")
    public Uni<Response> regenerateByPath(@PathParam("key") String key, byte[] body) {
        AdminRequest.read(body, Set.of("key"));
        return regenerate(key);
    }

    /** A new secret for the same key (limits, spend and history kept); the old secret stops working everywhere. */
    private Uni<Response> regenerate(String given) {
        String oldHash = Admin.keyHash(given);
        String secret = KeyHashes.generate();
        String newHash = KeyHashes.hash(secret);
        return admin.store().chain(store -> store.rehashKey(oldHash, newHash, KeyHashes.displayName(secret),
                Instant.now())).map(updated -> {
                    VirtualKey key = updated.orElseThrow(Admin::keyNotFound);
                    admin.publishKey(oldHash);
                    Map<String, Object> view = new LinkedHashMap<>();
                    view.put("key", secret);
                    view.putAll(AdminViews.key(key));
                    return Admin.ok(view);
                });
    }

    private Uni<Response> setBlocked(byte[] body, boolean blocked) {
        AdminRequest request = AdminRequest.read(body, Set.of("key"));
        String hash = Admin.keyHash(request.requiredString("key"));
        return admin.store().chain(store -> admin.existingKey(store, hash).chain(existing -> store.updateKey(
                withBlocked(existing, blocked, Instant.now()))))
                .map(updated -> admin.keyChanged(hash, updated.orElseThrow(Admin::keyNotFound)));
    }

    /** The hashes of the keys named, each with the name it was given by (the key, its hash or its alias), in order. */
    private Uni<Map<String, String>> named(GovernanceStore store, List<String> keys, List<String> aliases) {
        Map<String, String> named = new LinkedHashMap<>();
        if (keys != null) {
            keys.forEach(k -> named.put(Admin.keyHash(k), k));
        }
        if (aliases == null || aliases.isEmpty()) {
            return Uni.createFrom().item(named);
        }
        List<Uni<Optional<VirtualKey>>> lookups = aliases.stream().map(store::findKeyByAlias).toList();
        return Uni.join().all(lookups).andFailFast().map(found -> {
            for (int i = 0; i < found.size(); i++) {
                String alias = aliases.get(i);
                found.get(i).ifPresent(k -> named.putIfAbsent(k.tokenHash(), alias));
            }
            return named;
        });
    }

    private static Set<String> with(Set<String> fields, String extra) {
        Set<String> all = new HashSet<>(fields);
        all.add(extra);
        return all;
    }

    private static VirtualKey withBlocked(VirtualKey k, boolean blocked, Instant now) {
        return new VirtualKey(k.tokenHash(), k.keyName(), k.keyAlias(), k.teamId(), k.userId(), k.models(),
                k.maxBudget(), k.budgetDuration(), k.budgetResetAt(), k.spend(), k.rpmLimit(), k.tpmLimit(),
                k.maxParallelRequests(), k.expires(), blocked, k.metadata(), k.createdAt(), now);
    }

    /** {@code k} with the fields the request gives; a field given as null clears it. */
    private VirtualKey apply(AdminRequest r, VirtualKey k, Instant now) {
        return new VirtualKey(k.tokenHash(), k.keyName(), r.string("key_alias", k.keyAlias()),
                r.string("team_id", k.teamId()), r.string("user_id", k.userId()),
                r.has("models") ? admin.checkModels(r.strings("models")) : k.models(),
                r.money("max_budget", k.maxBudget()), r.duration("budget_duration", k.budgetDuration()),
                r.periodEnd("budget_duration", now, k.budgetResetAt()), k.spend(),
                r.count("rpm_limit", k.rpmLimit()), r.count("tpm_limit", k.tpmLimit()),
                r.count("max_parallel_requests", k.maxParallelRequests()), r.periodEnd("duration", now, k.expires()),
                r.bool("blocked", k.blocked()), r.object("metadata", k.metadata()), k.createdAt(), now);
    }
}
