package dev.bedrockgateway.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check that names the example values left in the manifests (pom.xml runs it after Quarkus wrote them). */
class ManifestPlaceholdersTest {

    static final String EXAMPLES = """
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: bedrock-gateway
              annotations:
                eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/bedrock-gateway-irsa
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: bedrock-gateway
              annotations:
                eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/bedrock-gateway-irsa
            spec:
              template:
                spec:
                  containers:
                    - name: bedrock-gateway
                      image: 111122223333.dkr.ecr.us-east-1.amazonaws.com/bedrock-gateway:0.1.0
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: bedrock-gateway
              annotations:
                alb.ingress.kubernetes.io/certificate-arn: arn:aws:acm:us-east-1:444455556666:certificate/00000000-0000-0000-0000-000000000000
            spec:
              rules:
                - host: gateway.example.com
            """;

    static final String REAL = EXAMPLES
            .replace("111122223333", "210987654321")
            .replace("00000000-0000-0000-0000-000000000000", "8c6e8f2a-52f1-4c47-9b1e-0d3f6c2a7b10")
            .replace("gateway.example.com", "gateway.notexample.com");

    @Test
    void eachExampleValueIsNamedOnceWithThePropertyThatReplacesIt() throws IOException {
        List<ManifestPlaceholders.Finding> findings = ManifestPlaceholders.find(EXAMPLES);
        assertEquals(4, findings.size(), findings.toString());

        ManifestPlaceholders.Finding role = findings.get(0);
        assertEquals("arn:aws:iam::111122223333:role/bedrock-gateway-irsa", role.value());
        assertEquals(List.of("ServiceAccount bedrock-gateway /metadata/annotations/eks.amazonaws.com/role-arn",
                "Deployment bedrock-gateway /metadata/annotations/eks.amazonaws.com/role-arn"), role.places());
        assertTrue(role.property().startsWith("-Dk8s.role-arn=") && role.property().contains("-Dk8s.identity="));
        assertTrue(role.message().contains("(and 1 more)"), role.message());

        assertEquals("111122223333.dkr.ecr.us-east-1.amazonaws.com/bedrock-gateway:0.1.0", findings.get(1).value());
        assertTrue(findings.get(1).property().startsWith("-Dk8s.image="));
        assertTrue(findings.get(2).value().endsWith("certificate/00000000-0000-0000-0000-000000000000"));
        assertTrue(findings.get(2).property().startsWith("-Dk8s.certificate-arn="));
        assertEquals("gateway.example.com", findings.get(3).value());
        assertTrue(findings.get(3).property().startsWith("-Dk8s.host="));
    }

    @Test
    void siteValuesAreNotExamples() throws IOException {
        assertEquals(List.of(), ManifestPlaceholders.find(REAL));
    }

    @Test
    void aPlainBuildWarnsAndTheDeployBuildRefuses(@TempDir Path dir) throws IOException {
        Path examples = Files.writeString(dir.resolve("examples.yml"), EXAMPLES);
        Path json = Files.writeString(dir.resolve("examples.json"), "{}");
        String out = stdout(() -> ManifestPlaceholders.main(new String[] {examples.toString(), "warn"}));
        assertEquals(5, out.lines().filter(l -> l.startsWith("[WARNING] ")).count(), out);
        assertTrue(out.contains("-Ddeploy"), out);

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> stdout(() -> ManifestPlaceholders.main(new String[] {examples.toString(), "refuse"})));
        assertTrue(refused.getMessage().contains("4 left"), refused.getMessage());
        assertTrue(Files.notExists(examples) && Files.notExists(json), "the refused manifests are not left to apply");

        Path real = Files.writeString(dir.resolve("real.yml"), REAL);
        String clean = stdout(() -> ManifestPlaceholders.main(new String[] {real.toString(), "refuse"}));
        assertTrue(clean.contains("no example values"), clean);
    }

    interface Run {
        void run() throws IOException;
    }

    private static String stdout(Run run) throws IOException {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            run.run();
        } finally {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
