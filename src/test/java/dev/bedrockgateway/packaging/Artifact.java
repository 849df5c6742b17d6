package dev.bedrockgateway.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The packaged gateway the integration tests start: the jar ({@code java -jar target/quarkus-app/quarkus-run.jar}),
 * or, in the native build ({@code ./mvnw verify -Dnative}, docs/native.md), the native executable, which takes the same
 * {@code -D} system properties on its command line. The pom's native profile sets {@code gateway.artifact=native}.
 */
final class Artifact {

    static final boolean NATIVE = "native".equals(System.getProperty("gateway.artifact"));

    /** The native executable, where failsafe says Quarkus wrote it. */
    static final Path EXECUTABLE = Path.of(System.getProperty("native.image.path", "target/bedrock-gateway-runner"))
            .toAbsolutePath();

    static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();

    private Artifact() {
    }

    /**
     * The native executable's bytes as text (ISO-8859-1, one char per byte), to search for the class names it holds:
     * it keeps the name of every class in it, for reflection and stack traces.
     */
    static String executableText() throws IOException {
        return new String(Files.readAllBytes(EXECUTABLE), StandardCharsets.ISO_8859_1);
    }

    /** The command that starts the packaged gateway with these {@code -D} options. */
    static List<String> command(String... systemProperties) {
        List<String> command = new ArrayList<>();
        if (NATIVE) {
            if (!Files.isExecutable(EXECUTABLE)) {
                throw new IllegalStateException("no native executable at " + EXECUTABLE);
            }
            command.add(EXECUTABLE.toString());
            command.addAll(List.of(systemProperties));
        } else {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(List.of(systemProperties));
            command.add("-jar");
            command.add(JAR.toString());
        }
        return command;
    }
}
