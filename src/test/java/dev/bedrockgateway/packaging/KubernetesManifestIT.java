package dev.bedrockgateway.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The manifests {@code ./mvnw package} generated (target/kubernetes/kubernetes.yml) are wired together: a property
 * change that breaks a reference between them fails the build.
 */
class KubernetesManifestIT {

    static Map<String, JsonNode> byKind;
    static JsonNode pod;
    static JsonNode container;

    @BeforeAll
    static void load() throws IOException {
        String yaml = Files.readString(Path.of("target/kubernetes/kubernetes.yml"));
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class).readValues(yaml)) {
            it.forEachRemaining(docs::add);
        }
        byKind = docs.stream().collect(Collectors.toMap(d -> d.path("kind").asText(), Function.identity()));
        pod = byKind.get("Deployment").at("/spec/template/spec");
        container = pod.at("/containers/0");
    }

    @Test
    void theExpectedResourcesAreGenerated() {
        assertEquals(java.util.Set.of("Deployment", "Service", "ServiceAccount", "Ingress"), byKind.keySet());
        assertEquals("ClusterIP", byKind.get("Service").at("/spec/type").asText());
    }

    @Test
    void theDeploymentRunsAsTheIrsaServiceAccount() throws IOException {
        JsonNode account = byKind.get("ServiceAccount");
        assertEquals(account.at("/metadata/name").asText(), pod.path("serviceAccountName").asText());
        String roleArn = account.at("/metadata/annotations").path("eks.amazonaws.com/role-arn").asText();
        assertTrue(roleArn.matches("arn:aws:iam::\\d{12}:role/.+"), roleArn);
        assertEquals(buildProperty("k8s.role-arn"), roleArn, "the role ARN is the build property's value");
        assertEquals(roleArn, byKind.get("Deployment").at("/spec/template/metadata/annotations")
                .path("eks.amazonaws.com/role-arn").asText(), "a changed role rolls the pods (IRSA reads it at start)");
        String all = byKind.values().toString();
        assertFalse(all.contains("AWS_ACCESS_KEY_ID") || all.contains("AWS_SECRET_ACCESS_KEY"), "no AWS keys");
    }

    @Test
    void theIngressReachesTheServiceAndHealthChecksTheManagementPort() {
        JsonNode ingress = byKind.get("Ingress");
        JsonNode service = byKind.get("Service");
        assertEquals("alb", ingress.at("/spec/ingressClassName").asText());
        JsonNode backend = ingress.at("/spec/rules/0/http/paths/0/backend/service");
        assertEquals(service.at("/metadata/name").asText(), backend.path("name").asText());
        String portName = backend.at("/port/name").asText();
        JsonNode servicePort = find(service.at("/spec/ports"), "name", portName);
        assertNotNull(servicePort, "the Ingress names a port the Service has");
        assertNotNull(find(container.path("ports"), "containerPort", servicePort.path("targetPort").asText()),
                "the Service targets a container port");
        JsonNode annotations = ingress.at("/metadata/annotations");
        assertEquals("ip", annotations.path("alb.ingress.kubernetes.io/target-type").asText());
        assertTrue(annotations.path("alb.ingress.kubernetes.io/certificate-arn").asText().startsWith("arn:aws:acm:"));
        assertEquals("443", annotations.path("alb.ingress.kubernetes.io/ssl-redirect").asText());
        int management = find(container.path("ports"), "name", "management").path("containerPort").asInt();
        assertEquals(String.valueOf(management), annotations.path("alb.ingress.kubernetes.io/healthcheck-port").asText());
        assertEquals(container.at("/readinessProbe/httpGet/path").asText(),
                annotations.path("alb.ingress.kubernetes.io/healthcheck-path").asText());
        int idle = Integer.parseInt(annotations.path("alb.ingress.kubernetes.io/load-balancer-attributes").asText()
                .replace("idle_timeout.timeout_seconds=", ""));
        assertTrue(idle >= 300, "streams need a long ALB idle timeout");
        assertFalse(ingress.at("/spec/rules/0/host").asText().isBlank());
    }

    @Test
    void probesUseTheManagementPortAndHealthEndpoints() {
        int management = find(container.path("ports"), "name", "management").path("containerPort").asInt();
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertEquals(management, container.at("/" + probe + "/httpGet/port").asInt(), probe);
        }
        assertEquals("/q/health/live", container.at("/livenessProbe/httpGet/path").asText());
        assertEquals("/q/health/ready", container.at("/readinessProbe/httpGet/path").asText());
        assertEquals("/q/health/started", container.at("/startupProbe/httpGet/path").asText());
    }

    @Test
    void secretsAndTheCatalogComeFromKubernetesObjects() {
        JsonNode key = find(container.path("env"), "name", "GATEWAY_MASTER_KEY");
        assertFalse(key.has("value"), "the master key is never a literal");
        assertEquals("bedrock-gateway", key.at("/valueFrom/secretKeyRef/name").asText());
        assertEquals("master-key", key.at("/valueFrom/secretKeyRef/key").asText());

        String configFile = find(container.path("env"), "name", "GATEWAY_CONFIG_FILE").path("value").asText();
        JsonNode mount = null;
        for (JsonNode m : container.path("volumeMounts")) {
            if (configFile.startsWith(m.path("mountPath").asText() + "/")) {
                mount = m;
            }
        }
        assertNotNull(mount, "GATEWAY_CONFIG_FILE lies inside a mount");
        JsonNode volume = find(pod.path("volumes"), "name", mount.path("name").asText());
        assertEquals("bedrock-gateway-catalog", volume.at("/configMap/name").asText());
        assertTrue(mount.path("readOnly").asBoolean());
        assertFalse(find(container.path("env"), "name", "AWS_REGION").path("value").asText().isBlank());
    }

    /**
     * The stores' URLs hold passwords, so they come from a Secret; optional, so that the manifests apply and the pods
     * start without it (master keys, per-replica counters). The extension's env mapping cannot say optional: the
     * entries come from src/main/kubernetes/kubernetes.yml, and this also checks that the merge kept them.
     */
    @Test
    void theStoreUrlsComeFromAnOptionalSecret() {
        for (Map.Entry<String, String> entry : Map.of(
                "GATEWAY_DATABASE_URL", "database-url",
                "GATEWAY_REDIS_URL", "redis-url").entrySet()) {
            String name = entry.getKey();
            assertEquals(1, count(container.path("env"), "name", name), name + " is set once");
            JsonNode env = find(container.path("env"), "name", name);
            assertFalse(env.has("value"), name + " is never a literal");
            JsonNode ref = env.at("/valueFrom/secretKeyRef");
            assertEquals("bedrock-gateway-stores", ref.path("name").asText(), name);
            assertEquals(entry.getValue(), ref.path("key").asText(), name);
            assertTrue(ref.path("optional").isBoolean() && ref.path("optional").booleanValue(),
                    name + ": the pods must start without the Secret");
        }
        assertNotNull(find(container.path("env"), "name", "GATEWAY_MASTER_KEY"),
                "the merge keeps the env entries the extension generates");
        assertNull(find(container.path("env"), "name", "DATABASE_URL"), "one name per store, the gateway's own");
    }

    /**
     * The CA bundle of TLS to the stores ({@code sslrootcert=/etc/bedrock-gateway-tls/global-bundle.pem}) comes from
     * a ConfigMap that may not exist: the pods must start without it.
     */
    @Test
    void theStoresCaBundleIsAnOptionalReadOnlyConfigMap() {
        JsonNode mount = find(container.path("volumeMounts"), "mountPath", "/etc/bedrock-gateway-tls");
        assertNotNull(mount, "mounted at /etc/bedrock-gateway-tls");
        assertTrue(mount.path("readOnly").asBoolean());
        JsonNode volume = find(pod.path("volumes"), "name", mount.path("name").asText());
        assertEquals("bedrock-gateway-tls", volume.at("/configMap/name").asText());
        assertTrue(volume.at("/configMap/optional").asBoolean(), "the pods must start without the ConfigMap");
    }

    @Test
    void theContainerIsHardenedAndSized() {
        assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean());
        assertTrue(container.at("/securityContext/readOnlyRootFilesystem").asBoolean());
        assertFalse(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true));
        assertEquals("ALL", container.at("/securityContext/capabilities/drop/0").asText());
        for (String kind : List.of("requests", "limits")) {
            assertFalse(container.at("/resources/" + kind + "/cpu").asText().isBlank(), kind);
            assertFalse(container.at("/resources/" + kind + "/memory").asText().isBlank(), kind);
        }
        JsonNode tmp = find(container.path("volumeMounts"), "mountPath", "/tmp");
        assertNotNull(find(pod.path("volumes"), "name", tmp.path("name").asText()).get("emptyDir"),
                "a writable /tmp under the read-only root");
    }

    @Test
    void rolloutsNeverDropBelowTheDesiredReplicasAndLetStreamsFinish() {
        JsonNode spec = byKind.get("Deployment").path("spec");
        assertEquals("RollingUpdate", spec.at("/strategy/type").asText());
        assertEquals("0", spec.at("/strategy/rollingUpdate/maxUnavailable").asText());
        assertTrue(spec.path("replicas").asInt() >= 2);
        assertTrue(pod.path("terminationGracePeriodSeconds").asInt() >= 60);
        assertFalse(spec.at("/selector/matchLabels").has("app.kubernetes.io/version"),
                "the selector must survive a version change");
    }

    /** The value the build used: -Dname=... when the build was given one, else application.properties. */
    static String buildProperty(String name) throws IOException {
        String override = System.getProperty(name);
        if (override != null) {
            return override;
        }
        java.util.Properties properties = new java.util.Properties();
        try (var in = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        return properties.getProperty(name);
    }

    /** The optional extras in deploy/kubernetes/ must target what the build generates. */
    @Test
    void theOptionalExtrasTargetTheGeneratedDeployment() throws IOException {
        YAMLMapper yaml = new YAMLMapper();
        JsonNode deployment = byKind.get("Deployment");
        JsonNode labels = deployment.at("/spec/template/metadata/labels");
        JsonNode pdb = yaml.readTree(Path.of("deploy/kubernetes/pod-disruption-budget.yaml").toFile());
        pdb.at("/spec/selector/matchLabels").fields().forEachRemaining(label ->
                assertEquals(label.getValue().asText(), labels.path(label.getKey()).asText(), label.getKey()));
        assertTrue(pdb.at("/spec/minAvailable").asInt() < deployment.at("/spec/replicas").asInt(),
                "the budget leaves room to drain one pod");
        JsonNode hpa = yaml.readTree(Path.of("deploy/kubernetes/horizontal-pod-autoscaler.yaml").toFile());
        assertEquals("Deployment", hpa.at("/spec/scaleTargetRef/kind").asText());
        assertEquals(deployment.at("/metadata/name").asText(), hpa.at("/spec/scaleTargetRef/name").asText());
        assertEquals(deployment.at("/spec/replicas").asInt(), hpa.at("/spec/minReplicas").asInt());
        assertFalse(container.at("/resources/requests/cpu").asText().isBlank(), "CPU utilisation needs a request");
    }

    private static long count(JsonNode array, String field, String value) {
        long n = 0;
        for (JsonNode item : array) {
            if (item.path(field).asText().equals(value)) {
                n++;
            }
        }
        return n;
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode item : array) {
            if (item.path(field).asText().equals(value)) {
                return item;
            }
        }
        return null;
    }
}
