package dev.bedrockgateway.api.admin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.governance.store.Team;
import io.smallrye.mutiny.Uni;

/**
 * LiteLLM's team API: {@code /team/new}, {@code /team/update}, {@code /team/info}, {@code /team/list},
 * {@code /team/delete}. A team's models, budget and limits hold for all its keys together.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class TeamAdminResource {

    private static final Set<String> TEAM_FIELDS = Set.of("team_id", "team_alias", "models", "max_budget",
            "budget_duration", "rpm_limit", "tpm_limit", "blocked", "metadata");

    private final Admin admin;

    public TeamAdminResource(Admin admin) {
        this.admin = admin;
    }

    @POST
    @Path("team/new")
    public Uni<Response> create(byte[] body) {
        AdminRequest request = AdminRequest.read(body, TEAM_FIELDS);
        String id = request.string("team_id");
        Instant now = Instant.now();
        Team team = apply(request, new Team(id == null ? UUID.randomUUID().toString() : id, null, List.of(), null,
                null, null, 0, null, null, false, Map.of(), now, now), now);
        return admin.store().chain(store -> store.insertTeam(team)).map(done -> Admin.ok(AdminViews.team(team)));
    }

    @POST
    @Path("team/update")
    public Uni<Response> update(byte[] body) {
        AdminRequest request = AdminRequest.read(body, TEAM_FIELDS);
        String id = request.requiredString("team_id");
        Instant now = Instant.now();
        return admin.store().chain(store -> store.findTeam(id)
                .map(found -> found.orElseThrow(() -> teamNotFound(id)))
                .chain(existing -> store.updateTeam(apply(request, existing, now))))
                .map(updated -> {
                    Team team = updated.orElseThrow(() -> teamNotFound(id));
                    admin.publishTeam(id);
                    return Admin.ok(AdminViews.team(team));
                });
    }

    @GET
    @Path("team/info")
    public Uni<Response> info(@QueryParam("team_id") String id) {
        if (id == null || id.isBlank()) {
            throw OpenAiException.invalidRequest("team_id", "Missing required parameter: 'team_id'.");
        }
        return admin.store().chain(store -> store.findTeam(id)
                .map(found -> found.orElseThrow(() -> teamNotFound(id)))
                .chain(team -> store.listKeys(id, null, 1, 1000).map(keys -> {
                    Map<String, Object> view = new LinkedHashMap<>();
                    view.put("team_id", id);
                    view.put("team_info", AdminViews.team(team));
                    List<Object> keyViews = new ArrayList<>();
                    keys.items().forEach(k -> keyViews.add(AdminViews.key(k)));
                    view.put("keys", keyViews);
                    return Admin.ok(view);
                })));
    }

    @GET
    @Path("team/list")
    public Uni<Response> list() {
        return admin.store().chain(store -> store.listTeams()).map(teams -> {
            List<Object> views = new ArrayList<>(teams.size());
            teams.forEach(t -> views.add(AdminViews.team(t)));
            return Admin.ok(views);
        });
    }

    @POST
    @Path("team/delete")
    public Uni<Response> delete(byte[] body) {
        AdminRequest request = AdminRequest.read(body, Set.of("team_ids"));
        List<String> ids = request.strings("team_ids");
        if (ids == null || ids.isEmpty()) {
            throw OpenAiException.invalidRequest("team_ids", "Missing required parameter: 'team_ids'.");
        }
        return admin.store().chain(store -> store.deleteTeams(ids)).map(deleted -> {
            if (deleted.isEmpty()) {
                throw teamNotFound(String.join(", ", ids));
            }
            deleted.forEach(admin::publishTeam);
            return Admin.ok(Map.of("deleted_teams", deleted));
        });
    }

    /** {@code t} with the fields the request gives; a field given as null clears it. */
    private Team apply(AdminRequest r, Team t, Instant now) {
        return new Team(t.teamId(), r.string("team_alias", t.teamAlias()),
                r.has("models") ? admin.checkModels(r.strings("models")) : t.models(),
                r.money("max_budget", t.maxBudget()), r.duration("budget_duration", t.budgetDuration()),
                r.periodEnd("budget_duration", now, t.budgetResetAt()), t.spend(),
                r.count("rpm_limit", t.rpmLimit()), r.count("tpm_limit", t.tpmLimit()),
                r.bool("blocked", t.blocked()), r.object("metadata", t.metadata()), t.createdAt(), now);
    }

    private static OpenAiException teamNotFound(String id) {
        return new OpenAiException(404, ErrorTypes.INVALID_REQUEST, "team_not_found", "team_id",
                "No team has the id '" + id + "'.");
    }
}
