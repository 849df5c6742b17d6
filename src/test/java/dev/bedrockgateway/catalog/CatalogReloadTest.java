package dev.bedrockgateway.catalog;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** A changed catalog file (as a mounted ConfigMap changes) is served without a restart; a broken one is not. */
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

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            write(catalog("first"));
            return Map.of("gateway.config-file", FILE.toString(), "gateway.config-reload-interval", "0.2S");
        }
    }

    static List<String> models() {
        return given().header("Authorization", "Bearer sk-test-key-1").get("/v1/models").then().statusCode(200)
                .extract().jsonPath().getList("data.id", String.class);
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
    void validChangesAreServedAndInvalidOnesRejected() throws Exception {
        assertEquals(List.of("first"), models());

        write(catalog("first", "second"));
        assertEquals(List.of("first", "second"), awaitModels(List.of("first", "second")));

        write("model_list:\n  - model_name: broken\n    litellm_params:\n      model: openai/gpt-4\n");
        Thread.sleep(1000);
        assertEquals(List.of("first", "second"), models(), "an invalid file keeps the catalog in force");

        write(catalog("third"));
        assertEquals(List.of("third"), awaitModels(List.of("third")));
    }
}
