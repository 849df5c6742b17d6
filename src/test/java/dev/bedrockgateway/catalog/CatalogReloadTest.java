package dev.bedrockgateway.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.bedrockgateway.testing.OpenAiSchemas;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * A changed catalog file (as a mounted ConfigMap changes) is served without a restart; a broken one is not. The
 * profile starts as dev mode does ({@code gateway.catalog.serve-errors}) with a file that has errors: the gateway starts
 * anyway and answers every API request with all of them, in the error shape of the request's API, until it is fixed.
 */
@QuarkusTest
@TestProfile(CatalogReloadTest.Profile.class)
class CatalogReloadTest {

    static final Path FILE = Path.of("target/catalog-reload-test.yaml");

    static String catalog(String... names) {
        StringBuilder yaml = new StringBuilder("model_list:\n");
        for (String name : names) {
            yaml.append("  - model_name: ").append(name)
                    .append("\n    litellm_params:\n      model: bedrock/anthropic.claude-3-haiku-20240307-v1:0\n");
        }
        return yaml.toString();
    }

    static void write(String text) {
        try {
            Files.writeString(FILE, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final Path BROKEN = Path.of("src/test/resources/catalogs/three-errors.yaml");
    static final List<String> ERRORS = List.of(
            FILE + ": model_list[0] (model_name \"first\"): litellm_params.model: \"openai/gpt-4o\": provider "
                    + "\"openai\" is not Amazon Bedrock; bedrock-gateway serves only bedrock/<model id> entries",
            FILE + ": model_list[1] (model_name \"second\"): litellm_params: rpm: expected a positive whole number, "
                    + "got -3",
            FILE + ": router_settings.routing_strategy: \"fastest\" is not supported by bedrock-gateway (least-busy "
                    + "or simple-shuffle)");

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                write(Files.readString(BROKEN));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("gateway.config-file", FILE.toString(), "gateway.config-reload-interval", "0.2S",
                    "gateway.catalog.serve-errors", "true");
        }
    }

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    /** The models served, or the status when it is not 200. */
    static List<String> models() {
        var response = given().header("Authorization", "Bearer sk-test-key-1").get("/v1/models");
        return response.statusCode() == 200 ? response.jsonPath().getList("data.id", String.class)
                : List.of("HTTP " + response.statusCode());
    }

    static List<String> awaitModels(List<String> expected) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        List<String> seen = models();
        while (!seen.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            seen = models();
        }
        return seen;
    }

    @Test
    void aCatalogWithErrorsIsAnsweredUntilFixedThenValidChangesAreServedAndInvalidOnesRejected() throws Exception {
        String expected = "The model catalog has 3 errors; the gateway serves as soon as the file is fixed:\n"
                + String.join("\n", ERRORS);
        String openAi = given().header("Authorization", "Bearer sk-test-key-1").get("/v1/models").then()
                .statusCode(503).contentType(ContentType.JSON)
                .body("error.message", equalTo(expected))
                .body("error.type", equalTo("server_error"))
                .body("error.code", equalTo("catalog_invalid"))
                .body("error", hasKey("param"))
                .body("error.param", nullValue())
                .extract().asString();
        OpenAiSchemas.assertValid("ErrorResponse", openAi);
        given().contentType(ContentType.JSON).body("{\"model\":\"first\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}]}").post("/v1/chat/completions").then()
                .statusCode(503).body("error.message", equalTo(expected));
        // Anthropic's shape and its status for "cannot serve now" (AnthropicErrors).
        given().contentType(ContentType.JSON).body("{\"model\":\"first\",\"max_tokens\":10,\"messages\":"
                + "[{\"role\":\"user\",\"content\":\"hi\"}]}").post("/v1/messages").then()
                .statusCode(529).body("type", equalTo("error"))
                .body("error.type", equalTo("overloaded_error"))
                .body("error.message", equalTo(expected));
        given().get(ready).then().statusCode(503)
                .body("checks.find { it.name == 'catalog' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'catalog' }.data.errors", equalTo(String.join("\n", ERRORS)));

        write(catalog("first"));
        assertEquals(List.of("first"), awaitModels(List.of("first")), "the fixed file is served");
        given().get(ready).then().body("checks.find { it.name == 'catalog' }.status", equalTo("UP"));

        write(catalog("first", "second"));
        assertEquals(List.of("first", "second"), awaitModels(List.of("first", "second")));

        write("model_list:\n  - model_name: broken\n    litellm_params:\n      model: openai/gpt-4\n");
        Thread.sleep(1000);
        assertEquals(List.of("first", "second"), models(), "an invalid file keeps the catalog in force");

        write(catalog("third"));
        assertEquals(List.of("third"), awaitModels(List.of("third")));
    }
}
