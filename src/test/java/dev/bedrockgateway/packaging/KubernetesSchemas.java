package dev.bedrockgateway.packaging;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;

/**
 * Validates Kubernetes manifests offline against the Kubernetes API as the official Kubernetes Java client models it
 * (its models are generated from the API's OpenAPI description, version in pom.xml): each object is read as its
 * kind's model, which refuses a field the API does not define, a missing required field and a value of the wrong type
 * (a quantity or an int-or-string included).
 */
final class KubernetesSchemas {

    /** apiVersion + kind → the model of that API object. */
    private static final Map<String, Class<?>> MODELS = Map.of(
            "v1/ServiceAccount", V1ServiceAccount.class,
            "v1/Service", V1Service.class,
            "v1/Secret", V1Secret.class,
            "apps/v1/Deployment", V1Deployment.class,
            "networking.k8s.io/v1/Ingress", V1Ingress.class,
            "policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class,
            "autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class);

    /** Custom resources, whose definitions are not part of the Kubernetes API: only their shape is checked. */
    private static final List<String> CUSTOM = List.of("monitoring.coreos.com/v1/ServiceMonitor",
            "monitoring.coreos.com/v1/PodMonitor");

    private static final Gson GSON = new JSON().getGson();
    private static final ObjectMapper JSON_MAPPER = new ObjectMapper();

    private KubernetesSchemas() {
    }

    /**
     * Validates every object of a multi-document YAML text, adding each one's kind to {@code checked}.
     *
     * @throws IllegalArgumentException naming the object and what is wrong with it
     */
    static void validate(String yaml, List<String> checked) throws IOException {
        for (JsonNode doc : Manifests.read(yaml)) {
            String type = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
            String name = type + " " + doc.at("/metadata/name").asText();
            if (doc.at("/metadata/name").asText().isBlank()) {
                throw new IllegalArgumentException(name + ": no metadata.name");
            }
            Class<?> model = MODELS.get(type);
            if (model == null) {
                if (!CUSTOM.contains(type) || !doc.path("spec").isObject()) {
                    throw new IllegalArgumentException(name + ": not a Kubernetes API object this check knows");
                }
            } else {
                JsonElement json = JsonParser.parseString(JSON_MAPPER.writeValueAsString(doc));
                try {
                    GSON.fromJson(json, model);
                } catch (JsonParseException | IllegalArgumentException | IllegalStateException e) {
                    throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
                }
            }
            checked.add(doc.path("kind").asText());
        }
    }
}
