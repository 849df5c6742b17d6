package dev.bedrockgateway.api.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.bedrockgateway.governance.GovernanceProfile;
import dev.bedrockgateway.governance.KeyHashes;
import dev.bedrockgateway.testing.BedrockStandIn;
import dev.bedrockgateway.testing.GovernanceStores;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** LiteLLM's admin API on real PostgreSQL: its paths and fields, and OpenAI-style errors for every refusal. */
@QuarkusTest
@TestProfile(GovernanceProfile.class)
@WithTestResource(BedrockStandIn.class)
@WithTestResource(GovernanceStores.class)
class AdminApiTest {

    private static RequestSpecification master() {
        return given().header("Authorization", "Bearer sk-test-key-1").contentType(ContentType.JSON);
    }

    private static JsonPath ok(Response response) {
        assertEquals(200, response.statusCode(), response.asString());
        return response.jsonPath();
    }

    private static void refused(Response response, int status, String code, String param) {
        assertEquals(status, response.statusCode(), response.asString());
        response.then().body("error.message", not(nullValue())).body("error.type", not(nullValue()));
        if (code != null) {
            response.then().body("error.code", equalTo(code));
        }
        if (param != null) {
            response.then().body("error.param", equalTo(param));
        }
    }

    @Test
    void aKeyIsGeneratedOnceAndStoredOnlyAsItsHash() {
        String alias = "alias-" + System.nanoTime();
        JsonPath generated = ok(master().body("{\"key_alias\":\"" + alias + "\",\"models\":[\"priced\"],"
                + "\"max_budget\":10,\"budget_duration\":\"30d\",\"rpm_limit\":100,\"tpm_limit\":1000,"
                + "\"max_parallel_requests\":4,\"duration\":\"7d\",\"user_id\":\"u1\","
                + "\"metadata\":{\"owner\":\"data-team\"}}").post("/key/generate"));
        String key = generated.getString("key");
        assertTrue(key.matches("sk-[A-Za-z0-9_-]{32}"), key);
        assertEquals(KeyHashes.hash(key), generated.getString("token"));
        assertEquals("sk-..." + key.substring(key.length() - 4), generated.getString("key_name"));
        assertEquals(List.of("priced"), generated.getList("models"));
        assertEquals(10.0, generated.getDouble("max_budget"));
        assertEquals("30d", generated.getString("budget_duration"));
        assertEquals(4, generated.getInt("max_parallel_requests"));
        assertEquals("data-team", generated.getString("metadata.owner"));
        Instant expires = Instant.parse(generated.getString("expires"));
        assertTrue(expires.isAfter(Instant.now().plusSeconds(6 * 86400)), expires.toString());
        assertTrue(Instant.parse(generated.getString("budget_reset_at")).isAfter(Instant.now().plusSeconds(29 * 86400)));

        // Info by the key or by its hash; the key itself is never answered again.
        JsonPath info = ok(master().queryParam("key", key).get("/key/info"));
        assertEquals(alias, info.getString("info.key_alias"));
        assertFalse(info.prettify().contains(key.substring(3)), "the key is not in /key/info");
        assertEquals(KeyHashes.hash(key), info.getString("key"));
        ok(master().queryParam("key", KeyHashes.hash(key)).get("/key/info"));

        JsonPath updated = ok(master().body("{\"key\":\"" + key + "\",\"rpm_limit\":5,\"models\":[]}")
                .post("/key/update"));
        assertEquals(5, updated.getInt("rpm_limit"));
        assertEquals(List.of(), updated.getList("models"));
        assertEquals(1000, updated.getInt("tpm_limit"), "fields not given are kept");

        JsonPath listed = ok(master().queryParam("user_id", "u1").queryParam("size", "100").get("/key/list"));
        assertTrue(listed.getList("keys").contains(KeyHashes.hash(key)), listed.prettify());
        assertTrue(listed.getInt("total_count") >= 1);
        listed = ok(master().queryParam("user_id", "u1").queryParam("return_full_object", "true").get("/key/list"));
        assertTrue(listed.getList("keys.token").contains(KeyHashes.hash(key)));

        JsonPath deleted = ok(master().body("{\"keys\":[\"" + key + "\"]}").post("/key/delete"));
        assertEquals(List.of(key), deleted.getList("deleted_keys"));
        refused(master().queryParam("key", key).get("/key/info"), 404, "key_not_found", "key");
    }

    @Test
    void keysAreDeletedByAliasAndAnsweredByTheNameTheyWereGiven() {
        String alias = "by-alias-" + System.nanoTime();
        String aliased = ok(master().body("{\"key_alias\":\"" + alias + "\"}").post("/key/generate")).getString("key");
        String other = ok(master().body("{}").post("/key/generate")).getString("key");
        JsonPath deleted = ok(master().body("{\"keys\":[\"" + KeyHashes.hash(other) + "\"],\"key_aliases\":[\"" + alias
                + "\",\"no-such-alias\"]}").post("/key/delete"));
        assertEquals(List.of(KeyHashes.hash(other), alias), deleted.getList("deleted_keys"));
        refused(master().queryParam("key", aliased).get("/key/info"), 404, "key_not_found", "key");
        refused(master().body("{\"key_aliases\":[\"no-such-alias\"]}").post("/key/delete"), 404, "key_not_found",
                "key");
    }

    @Test
    void teamsAreCreatedUpdatedListedAndDeleted() {
        JsonPath team = ok(master().body("{\"team_alias\":\"search\",\"models\":[\"priced\",\"other\"],"
                + "\"max_budget\":50,\"budget_duration\":\"1mo\",\"rpm_limit\":10}").post("/team/new"));
        String id = team.getString("team_id");
        assertEquals("search", team.getString("team_alias"));
        String key = ok(master().body("{\"team_id\":\"" + id + "\"}").post("/key/generate")).getString("key");

        assertEquals(20, ok(master().body("{\"team_id\":\"" + id + "\",\"rpm_limit\":20}").post("/team/update"))
                .getInt("rpm_limit"));
        JsonPath info = ok(master().queryParam("team_id", id).get("/team/info"));
        assertEquals("search", info.getString("team_info.team_alias"));
        assertEquals(List.of(KeyHashes.hash(key)), info.getList("keys.token"));
        given().header("Authorization", "Bearer sk-test-key-1").get("/team/list").then().statusCode(200)
                .body("team_id", hasItem(id));
        assertEquals(List.of(id), ok(master().body("{\"team_ids\":[\"" + id + "\"]}").post("/team/delete"))
                .getList("deleted_teams"));
        refused(master().queryParam("team_id", id).get("/team/info"), 404, "team_not_found", "team_id");
    }

    @Test
    void badInputIsA4xxInOpenAisShape() {
        refused(master().body("{\"max_bugdet\":10}").post("/key/generate"), 400, "unknown_parameter", "max_bugdet");
        refused(master().body("{\"max_budget\":\"ten\"}").post("/key/generate"), 400, "invalid_type", "max_budget");
        refused(master().body("{\"max_budget\":-1}").post("/key/generate"), 400, "invalid_value", "max_budget");
        refused(master().body("{\"rpm_limit\":1.5}").post("/key/generate"), 400, "invalid_type", "rpm_limit");
        refused(master().body("{\"models\":\"priced\"}").post("/key/generate"), 400, "invalid_type", "models");
        refused(master().body("{\"models\":[\"gpt-9\"]}").post("/key/generate"), 400, "invalid_value", "models");
        refused(master().body("{\"budget_duration\":\"monthly\"}").post("/key/generate"), 400, "invalid_value",
                "budget_duration");
        refused(master().body("{\"team_id\":\"no-such-team\"}").post("/key/generate"), 400, "invalid_value",
                "team_id");
        refused(master().body("[1,2]").post("/key/generate"), 400, "invalid_type", null);
        refused(master().body("{not json").post("/key/generate"), 400, "invalid_json", null);
        refused(master().body("{\"key\":\"sk-not-one-of-ours-at-all-000\"}").post("/key/block"), 404,
                "key_not_found", "key");
        refused(master().body("{\"keys\":[\"sk-not-one-of-ours-at-all-000\"]}").post("/key/delete"), 404,
                "key_not_found", "key");
        refused(master().body("{}").post("/key/update"), 400, null, "key");
        refused(master().queryParam("size", "0").get("/key/list"), 400, "invalid_value", "size");
        refused(master().queryParam("start_date", "yesterday").get("/spend/logs"), 400, "invalid_value",
                "start_date");
        String alias = "dup-" + System.nanoTime();
        ok(master().body("{\"key_alias\":\"" + alias + "\"}").post("/key/generate"));
        refused(master().body("{\"key_alias\":\"" + alias + "\"}").post("/key/generate"), 409, "already_exists",
                null);
    }

    @Test
    void aKeyRegeneratedByItsPathIsNeverInTheAccessLog() throws Exception {
        String key = ok(master().body("{}").post("/key/generate")).getString("key");
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                lines.add(String.valueOf(record.getMessage()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger access = java.util.logging.Logger.getLogger("bedrock-gateway.access");
        access.addHandler(capture);
        try {
            String renewed = ok(master().body("").post("/key/" + key + "/regenerate")).getString("key");
            assertTrue(renewed.startsWith("sk-") && !renewed.equals(key));
            for (int i = 0; i < 100 && lines.stream().noneMatch(l -> l.contains("regenerate")); i++) {
                Thread.sleep(10);
            }
        } finally {
            access.removeHandler(capture);
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains("path=/key/{key}/regenerate")), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> l.contains(key.substring(3))), lines.toString());
    }

    @Test
    void onlyAMasterKeyMayUseTheAdminApi() {
        String key = ok(master().body("{}").post("/key/generate")).getString("key");
        refused(given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body("{}")
                .post("/key/generate"), 403, null, null);
        refused(given().header("Authorization", "Bearer " + key).get("/spend/logs"), 403, null, null);
        refused(given().contentType(ContentType.JSON).body("{}").post("/key/generate"), 401, null, null);
        refused(given().header("Authorization", "Bearer sk-wrong").get("/key/list"), 401, "invalid_api_key", null);
    }
}
