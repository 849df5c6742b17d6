package dev.bedrockgateway.api.admin;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.bedrockgateway.governance.store.SpendRow;
import dev.bedrockgateway.governance.store.Team;
import dev.bedrockgateway.governance.store.VirtualKey;

/**
 * The admin API's answers, in LiteLLM's field names (its {@code LiteLLM_VerificationToken}, {@code LiteLLM_TeamTable}
 * and {@code LiteLLM_SpendLogs}), nulls included as LiteLLM writes them; times in ISO-8601 UTC.
 */
final class AdminViews {

    private AdminViews() {
    }

    static byte[] json(Object value) {
        try {
            return AdminRequest.MAPPER.writeValueAsBytes(value); // plain values only: times are strings already
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Admin answers are maps of plain values", e);
        }
    }

    static Map<String, Object> key(VirtualKey k) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("token", k.tokenHash());
        view.put("key_name", k.keyName());
        view.put("key_alias", k.keyAlias());
        view.put("spend", k.spend());
        view.put("max_budget", k.maxBudget());
        view.put("budget_duration", k.budgetDuration());
        view.put("budget_reset_at", time(k.budgetResetAt()));
        view.put("expires", time(k.expires()));
        view.put("models", k.models());
        view.put("rpm_limit", k.rpmLimit());
        view.put("tpm_limit", k.tpmLimit());
        view.put("max_parallel_requests", k.maxParallelRequests());
        view.put("user_id", k.userId());
        view.put("team_id", k.teamId());
        view.put("blocked", k.blocked());
        view.put("metadata", k.metadata());
        view.put("created_at", time(k.createdAt()));
        view.put("updated_at", time(k.updatedAt()));
        return view;
    }

    static Map<String, Object> team(Team t) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("team_id", t.teamId());
        view.put("team_alias", t.teamAlias());
        view.put("models", t.models());
        view.put("spend", t.spend());
        view.put("max_budget", t.maxBudget());
        view.put("budget_duration", t.budgetDuration());
        view.put("budget_reset_at", time(t.budgetResetAt()));
        view.put("rpm_limit", t.rpmLimit());
        view.put("tpm_limit", t.tpmLimit());
        view.put("blocked", t.blocked());
        view.put("metadata", t.metadata());
        view.put("created_at", time(t.createdAt()));
        view.put("updated_at", time(t.updatedAt()));
        return view;
    }

    /**
     * A spend log row: LiteLLM's {@code model} is the model actually called (here the Bedrock id) and
     * {@code model_group} the name the client asked for.
     */
    static Map<String, Object> spend(SpendRow r) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("request_id", r.requestId());
        view.put("call_type", r.callType());
        view.put("api_key", r.apiKey());
        view.put("spend", r.spend());
        view.put("total_tokens", r.promptTokens() + r.completionTokens());
        view.put("prompt_tokens", r.promptTokens());
        view.put("completion_tokens", r.completionTokens());
        view.put("cache_read_input_tokens", r.cacheReadTokens());
        view.put("cache_creation_input_tokens", r.cacheWriteTokens());
        view.put("startTime", time(r.startTime()));
        view.put("endTime", time(r.endTime()));
        view.put("model", r.bedrockModel());
        view.put("model_group", r.model());
        view.put("user", r.userId());
        view.put("team_id", r.teamId());
        view.put("status", r.status());
        view.put("http_status", r.httpStatus());
        return view;
    }

    private static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
