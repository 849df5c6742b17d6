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
        List<JsonNode> docs = Manifests.read(Files.readString(Path.of("target/kubernetes/kubernetes.yml")));
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
        if ("pod-identity".equals(System.getProperty("k8s.identity"))) {
            // EKS Pod Identity binds the role outside Kubernetes: an IRSA annotation would take precedence over it.
            assertFalse(byKind.values().toString().contains("eks.amazonaws.com/role-arn"), "no IRSA annotation");
            return;
        }
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
        // The drain delay behind the ALB is the Deployment's (a plain java -jar has none), within the grace period
        // with the 60 s drain timeout.
        assertEquals("15S", find(container.path("env"), "name", "QUARKUS_SHUTDOWN_DELAY").path("value").asText());
        assertTrue(pod.path("terminationGracePeriodSeconds").asInt() >= 15 + 60);
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

    /** The optional ServiceMonitor scrapes the pods' management port through its own Service, not the Ingress's. */
    @Test
    void theServiceMonitorScrapesTheManagementPortOfThesePods() throws IOException {
        List<JsonNode> docs = Manifests.read(Files.readString(Path.of("deploy/kubernetes/service-monitor.yaml")));
        JsonNode service = docs.stream().filter(d -> d.path("kind").asText().equals("Service")).findFirst().get();
        JsonNode monitor = docs.stream().filter(d -> d.path("kind").asText().equals("ServiceMonitor")).findFirst()
                .get();
        JsonNode labels = byKind.get("Deployment").at("/spec/template/metadata/labels");
        service.at("/spec/selector").fields().forEachRemaining(label ->
                assertEquals(label.getValue().asText(), labels.path(label.getKey()).asText(), label.getKey()));
        JsonNode port = service.at("/spec/ports/0");
        JsonNode containerPort = find(container.path("ports"), "name", port.path("targetPort").asText());
        assertNotNull(containerPort, "the metrics Service targets a named container port");
        assertEquals(byKind.get("Deployment").at("/metadata/annotations").path("prometheus.io/port").asText(),
                containerPort.path("containerPort").asText(), "the port the metrics are on");
        JsonNode selector = monitor.at("/spec/selector/matchLabels");
        selector.fields().forEachRemaining(label -> assertEquals(label.getValue().asText(),
                service.at("/metadata/labels").path(label.getKey()).asText(), label.getKey()));
        boolean selectsGenerated = true;
        for (var label : (Iterable<Map.Entry<String, JsonNode>>) selector::fields) {
            selectsGenerated &= label.getValue().asText().equals(
                    byKind.get("Service").at("/metadata/labels").path(label.getKey()).asText());
        }
        assertFalse(selectsGenerated, "the generated Service (no metrics port) is not selected");
        assertEquals(port.path("name").asText(), monitor.at("/spec/endpoints/0/port").asText());
        assertEquals(byKind.get("Deployment").at("/metadata/annotations").path("prometheus.io/path").asText(),
                monitor.at("/spec/endpoints/0/path").asText());
    }

    /**
     * Offline schema validation: every generated manifest and every file in deploy/kubernetes/ parses as the
     * Kubernetes API object its kind names (an unknown or misspelt field, a missing required field or a value of the
     * wrong type fails), as the official Kubernetes Java client models the API's OpenAPI description (pom.xml).
     */
    @Test
    void everyManifestIsAValidKubernetesObject() throws IOException {
        List<String> checked = new ArrayList<>();
        KubernetesSchemas.validate(Files.readString(Path.of("target/kubernetes/kubernetes.yml")), checked);
        try (var files = Files.list(Path.of("deploy/kubernetes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                KubernetesSchemas.validate(Files.readString(file), checked);
            }
        }
        assertTrue(checked.containsAll(List.of("ServiceAccount", "Service", "Deployment", "Ingress",
                "PodDisruptionBudget", "HorizontalPodAutoscaler")), checked.toString());
    }

    /** The validation catches what it claims to: the real Deployment with one misspelt field, one wrong type. */
    @Test
    void theSchemaValidationRejectsAnUnknownFieldAndAWrongType() throws IOException {
        String yaml = Files.readString(Path.of("target/kubernetes/kubernetes.yml"));
        String misspelt = yaml.replace("terminationGracePeriodSeconds:", "terminationGracePeriodSecond:");
        IllegalArgumentException unknown = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> KubernetesSchemas.validate(misspelt, new ArrayList<>()));
        assertTrue(unknown.getMessage().contains("terminationGracePeriodSecond"), unknown.getMessage());
        String wrongType = yaml.replace("replicas: 2", "replicas: two");
        IllegalArgumentException type = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> KubernetesSchemas.validate(wrongType, new ArrayList<>()));
        assertTrue(type.getMessage().contains("Deployment"), type.getMessage());
    }

    /**
     * The images and the pod agree on the user: every Dockerfile's USER owns the files it copies and is the pod's
     * runAsUser (a pod running as another user than the image's reads files it does not own, and writes nowhere).
     */
    @Test
    void theImagesUserIsThePodsUser() throws IOException {
        String runAsUser = pod.at("/securityContext/runAsUser").asText();
        assertFalse(runAsUser.isBlank());
        assertEquals(runAsUser, pod.at("/securityContext/fsGroup").asText(), "the catalog volume's group");
        List<String> dockerfiles = new ArrayList<>();
        try (var files = Files.list(Path.of("src/main/docker"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("Dockerfile")).sorted().toList()) {
                dockerfiles.add(file.getFileName().toString());
                List<String> lines = Files.readAllLines(file);
                String user = null;
                for (String line : lines) {
                    if (line.startsWith("USER ")) {
                        user = line.substring(5).trim();
                    }
                    java.util.regex.Matcher chown = java.util.regex.Pattern.compile("--chown=(\\w+)").matcher(line);
                    if (chown.find()) {
                        assertEquals(runAsUser, chown.group(1), file + ": " + line);
                    }
                }
                assertEquals(runAsUser, user, file + ": the user the image ends with");
            }
        }
        assertTrue(dockerfiles.containsAll(List.of("Dockerfile.jvm", "Dockerfile.jvm-aot", "Dockerfile.native")),
                dockerfiles.toString());
    }

    /** Two replicas in one zone go down with it: the pods spread over zones, and over nodes. */
    @Test
    void thePodsSpreadOverZonesAndNodes() {
        JsonNode labels = byKind.get("Deployment").at("/spec/template/metadata/labels");
        List<String> keys = new ArrayList<>();
        for (JsonNode constraint : pod.path("topologySpreadConstraints")) {
            keys.add(constraint.path("topologyKey").asText());
            assertEquals(1, constraint.path("maxSkew").asInt());
            assertEquals("ScheduleAnyway", constraint.path("whenUnsatisfiable").asText(),
                    "a single-zone cluster must still schedule the pods");
            constraint.at("/labelSelector/matchLabels").fields().forEachRemaining(label ->
                    assertEquals(label.getValue().asText(), labels.path(label.getKey()).asText(),
                            "the constraint counts this Deployment's pods"));
        }
        assertEquals(List.of("topology.kubernetes.io/zone", "kubernetes.io/hostname"), keys);
    }

    /**
     * The image is the build property's, tagged, and pulled only when missing; the example values the build left
     * (none of -Dk8s.image, -Dk8s.role-arn, -Dk8s.host, -Dk8s.certificate-arn given) are each named, with the
     * property, by the check pom.xml runs after the build.
     */
    @Test
    void theImageAndTheExampleValuesAreWhatTheBuildWasGiven() throws IOException {
        String image = container.path("image").asText();
        assertEquals("IfNotPresent", container.path("imagePullPolicy").asText());
        assertTrue(image.matches(".+/bedrock-gateway:[\\w.-]+") && !image.endsWith(":latest"), image);
        List<ManifestPlaceholders.Finding> findings = ManifestPlaceholders.find(
                Files.readString(Path.of("target/kubernetes/kubernetes.yml")));
        Map<String, String> written = Map.of(
                "k8s.image", image,
                "k8s.role-arn", byKind.get("ServiceAccount").at("/metadata/annotations")
                        .path("eks.amazonaws.com/role-arn").asText(),
                "k8s.host", byKind.get("Ingress").at("/spec/rules/0/host").asText(),
                "k8s.certificate-arn", byKind.get("Ingress").at("/metadata/annotations")
                        .path("alb.ingress.kubernetes.io/certificate-arn").asText());
        for (Map.Entry<String, String> property : written.entrySet()) {
            boolean podIdentity = "pod-identity".equals(System.getProperty("k8s.identity"));
            boolean given = System.getProperty(property.getKey()) != null
                    || property.getKey().equals("k8s.role-arn") && podIdentity;
            ManifestPlaceholders.Finding finding = findings.stream()
                    .filter(f -> f.value().equals(property.getValue())).findFirst().orElse(null);
            if (given) {
                assertNull(finding, property.getKey() + " was given: " + finding);
            } else {
                assertNotNull(finding, property.getKey() + "'s example value is named: " + property.getValue());
                assertTrue(finding.property().startsWith("-D" + property.getKey() + "="), finding.property());
            }
        }
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
