package dev.bedrockgateway.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Names every example value left in the manifests the build generated, with the build property that replaces it.
 * pom.xml runs it right after Quarkus wrote target/kubernetes/kubernetes.yml: a plain {@code ./mvnw package} prints a
 * warning per value and succeeds (people need the jar); the deploy build ({@code -Ddeploy}) fails while one is left,
 * and removes the manifests it refused.
 *
 * <p>
 * It reads what was written, not the properties, so a value set any way (a -D flag, an environment variable, an
 * edited application.properties) is judged by what reaches the cluster. Examples are recognised by what AWS and the
 * IETF reserve for them: the AWS account 111122223333 of AWS's documentation, an all-zero certificate id, and the
 * example.com/net/org domains (RFC 2606).
 * </p>
 */
public final class ManifestPlaceholders {

    private static final Pattern EXAMPLE = Pattern.compile(
            "111122223333|00000000-0000-0000-0000-000000000000|(^|[./])example\\.(com|net|org)($|[/:])");

    /** One example value, where it was found, and the build property that replaces it. */
    public record Finding(String value, List<String> places, String property) {

        String message() {
            String where = places.get(0) + (places.size() > 1 ? " (and " + (places.size() - 1) + " more)" : "");
            return "example value " + value + " at " + where + ": set " + property;
        }
    }

    private ManifestPlaceholders() {
    }

    /** The example values in a multi-document Kubernetes YAML text, each once, in the order they occur. */
    public static List<Finding> find(String yaml) throws IOException {
        Map<String, List<String>> places = new LinkedHashMap<>();
        Map<String, String> properties = new LinkedHashMap<>();
        for (JsonNode doc : Manifests.read(yaml)) {
            String resource = doc.path("kind").asText() + " " + doc.at("/metadata/name").asText();
            walk(doc, "", (path, value) -> {
                if (EXAMPLE.matcher(value).find()) {
                    places.computeIfAbsent(value, v -> new ArrayList<>()).add(resource + " " + path);
                    properties.putIfAbsent(value, property(path));
                }
            });
        }
        List<Finding> findings = new ArrayList<>();
        places.forEach((value, where) -> findings.add(new Finding(value, where, properties.get(value))));
        return findings;
    }

    /** The build property that writes the value at this path (application.properties, Kubernetes section). */
    static String property(String path) {
        if (path.endsWith("/eks.amazonaws.com/role-arn")) {
            return "-Dk8s.role-arn=arn:aws:iam::<account>:role/<role> (IRSA), or -Dk8s.identity=pod-identity "
                    + "(EKS Pod Identity)";
        }
        if (path.endsWith("/alb.ingress.kubernetes.io/certificate-arn")) {
            return "-Dk8s.certificate-arn=<the ACM certificate's ARN>";
        }
        if (path.endsWith("/host")) {
            return "-Dk8s.host=<the gateway's DNS name>";
        }
        if (path.endsWith("/image")) {
            return "-Dk8s.image=<registry>/bedrock-gateway:<a tag of its own>";
        }
        return "the build property that writes " + path;
    }

    private interface Visitor {
        void text(String path, String value);
    }

    private static void walk(JsonNode node, String path, Visitor visitor) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                walk(field.getValue(), path + "/" + field.getKey(), visitor);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "/" + i, visitor);
            }
        } else if (node.isTextual()) {
            visitor.text(path, node.asText());
        }
    }

    /**
     * {@code ManifestPlaceholders <manifest> warn|refuse}: prints a warning per example value; with {@code refuse},
     * fails (an exception, which fails the Maven build) when there is one.
     */
    public static void main(String[] args) throws IOException {
        Path manifest = Path.of(args[0]);
        boolean refuse = args.length > 1 && args[1].equals("refuse");
        List<Finding> findings = find(Files.readString(manifest));
        for (Finding finding : findings) {
            System.out.println("[WARNING] " + finding.message());
        }
        if (findings.isEmpty()) {
            System.out.println("[INFO] " + manifest + ": no example values, ready to apply");
        } else if (refuse) {
            // Nothing a cluster could be given by mistake: the YAML and the JSON copy Quarkus writes beside it go.
            Files.deleteIfExists(manifest);
            Files.deleteIfExists(manifest.resolveSibling(manifest.getFileName().toString().replace(".yml", ".json")));
            throw new IllegalStateException("The deploy build (-Ddeploy) refuses manifests with example values: "
                    + findings.size() + " left (the warnings above name each and the property that replaces it); "
                    + manifest + " was removed");
        } else {
            System.out.println("[WARNING] " + manifest + " is not ready to apply: " + findings.size()
                    + " example value(s) above. The deploy build (./mvnw package -Ddeploy ...) refuses them "
                    + "(docs/operations.md, step 5)");
        }
    }
}
