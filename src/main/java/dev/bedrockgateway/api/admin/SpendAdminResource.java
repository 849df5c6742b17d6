package dev.bedrockgateway.api.admin;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;

/**
 * LiteLLM's {@code GET /spend/logs}: the spend rows of a key ({@code api_key}, the key or its hash), a team
 * ({@code team_id}) or a user ({@code user_id}), between {@code start_date} and {@code end_date} (LiteLLM's
 * {@code YYYY-MM-DD}, the end day included, or ISO-8601 instants), oldest first, at most {@code limit} (1000).
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class SpendAdminResource {

    private final Admin admin;

    public SpendAdminResource(Admin admin) {
        this.admin = admin;
    }

    @GET
    @Path("spend/logs")
    public Uni<Response> logs(@QueryParam("api_key") String apiKey, @QueryParam("team_id") String teamId,
            @QueryParam("user_id") String userId, @QueryParam("start_date") String startDate,
            @QueryParam("end_date") String endDate, @QueryParam("limit") @DefaultValue("1000") String limit) {
        Instant from = time("start_date", startDate, false);
        Instant to = time("end_date", endDate, true);
        int max = Admin.positive("limit", limit, 10_000);
        String keyHash = apiKey == null || apiKey.isBlank() ? null : Admin.keyHash(apiKey);
        return admin.store().chain(store -> store.spendLogs(keyHash, teamId, userId, from, to, max)).map(rows -> {
            List<Object> views = new ArrayList<>(rows.size());
            rows.forEach(r -> views.add(AdminViews.spend(r)));
            return Admin.ok(views);
        });
    }

    /** A day (its start, or the next day's start for an end date) or an instant; null when not given. */
    private static Instant time(String param, String value, boolean end) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            if (value.length() == 10) {
                LocalDate day = LocalDate.parse(value);
                return (end ? day.plusDays(1) : day).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw AdminRequest.invalidValue(param, "must be a date (YYYY-MM-DD) or an ISO-8601 instant");
        }
    }
}
