package dev.bedrockgateway.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class archive that {@code Dockerfile.jvm} trains during the image build ({@code src/main/docker/aot-train.sh}
 * with a {@code .jsa} file: a dynamic CDS archive), made here from the packaged jar with the JDK that runs the tests.
 * It must hold the gateway's own classes and its libraries', not only the JDK's: that is what the aot-jar layout is
 * for, and what brings start-up under a second (docs/performance/). The gateway is then started with
 * {@code -Xshare:on}, which makes an archive the JVM cannot use a start-up failure instead of a warning.
 */
@DisabledIfSystemProperty(named = "gateway.artifact", matches = "native", disabledReason = "a class archive is for the JVM")
class ClassArchiveIT {

    static final String JAR = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath().toString();
    /** JDK 17's words for a class taken from the dynamic archive (the JDK's own base archive is "(top)"-less). */
    static final Pattern FROM_ARCHIVE = Pattern.compile("\\[class,load\\] (\\S+) source: shared objects file \\(top\\)");

    @Test
    void aTrainedArchiveHoldsTheGatewaysAndItsLibrariesClasses(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path archive = dir.resolve("app.jsa");
        Path trainingLog = dir.resolve("training.log");
        ProcessBuilder training = new ProcessBuilder("bash", "src/main/docker/aot-train.sh", archive.toString(), java,
                "-jar", JAR).redirectErrorStream(true).redirectOutput(trainingLog.toFile());
        int[] trainingPorts = twoFreePorts();
        training.environment().put("TRAIN_PORT", String.valueOf(trainingPorts[0]));
        training.environment().put("TRAIN_MANAGEMENT_PORT", String.valueOf(trainingPorts[1]));
        training.environment().put("TRAIN_ROUNDS", "2");
        Process trainer = training.start();
        try {
            assertTrue(trainer.waitFor(120, TimeUnit.SECONDS), "the training run ended");
            assertEquals(0, trainer.exitValue(), Files.readString(trainingLog));
        } finally {
            trainer.destroyForcibly();
        }
        assertTrue(Files.size(archive) > 0, "the archive was written");

        Process gateway = new ProcessBuilder(java, "-Xshare:on", "-XX:SharedArchiveFile=" + archive,
                "-Xlog:class+load=info", "-Dquarkus.http.port=0", "-Dquarkus.management.port=0",
                "-Dgateway.master-key=sk-archive", "-Dgateway.bedrock.endpoint-override=http://127.0.0.1:9",
                "-Daws.accessKeyId=AKIDGATEWAYTEST", "-Daws.secretAccessKey=gateway-test-secret", "-jar", JAR)
                .redirectErrorStream(true).start();
        try {
            BufferedReader log = new BufferedReader(new InputStreamReader(gateway.getInputStream(),
                    StandardCharsets.UTF_8));
            Set<String> archived = new HashSet<>();
            StringBuilder head = new StringBuilder();
            int[] ports = StartupLog.ports(log, line -> {
                Matcher m = FROM_ARCHIVE.matcher(line);
                if (m.find()) {
                    archived.add(m.group(1));
                } else if (head.length() < 4000 && !line.contains("[class,load]")) {
                    head.append(line).append('\n');
                }
            });
            CompletableFuture.runAsync(() -> log.lines().forEach(l -> { }));

            assertTrue(archived.contains("dev.bedrockgateway.config.GatewayConfig"), "the gateway's own classes\n" + head);
            assertTrue(archived.contains("software.amazon.awssdk.auth.credentials.AwsCredentialsProvider"),
                    "the AWS SDK's");
            assertTrue(archived.contains("io.vertx.core.http.impl.HttpServerImpl"), "Vert.x's");
            // How many classes the archive spares the start (and so the start-up time) is the benchmark's to measure
            // (bench/run --aot), not this test's.

            HttpResponse<String> models = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + ports[0] + "/v1/models"))
                    .header("Authorization", "Bearer sk-archive").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, models.statusCode(), models.body());
            assertTrue(models.body().contains("\"object\":\"list\""), models.body());
        } finally {
            gateway.destroyForcibly();
            gateway.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Two distinct free ports: both sockets are held open until both are known. */
    private static int[] twoFreePorts() throws IOException {
        try (ServerSocket first = new ServerSocket(0); ServerSocket second = new ServerSocket(0)) {
            return new int[] {first.getLocalPort(), second.getLocalPort()};
        }
    }
}
