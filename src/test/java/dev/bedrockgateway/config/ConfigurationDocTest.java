package dev.bedrockgateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md's table of {@code GATEWAY_*} settings is generated from {@link GatewayConfig}'s source: one row
 * per property, its environment variable, its default and its Javadoc. The test fails when the table and the code
 * differ; {@code ./mvnw test -Dtest=ConfigurationDocTest -Ddocs.update=true} rewrites the table.
 */
class ConfigurationDocTest {

    static final Path SOURCE = Path.of("src/main/java/dev/bedrockgateway/config/GatewayConfig.java");
    static final Path DOC = Path.of("docs/configuration.md");
    static final String BEGIN = "<!-- BEGIN GENERATED: GatewayConfig (do not edit; ConfigurationDocTest regenerates it) -->";
    static final String END = "<!-- END GENERATED: GatewayConfig -->";

    private static final Pattern INTERFACE = Pattern.compile("^\\s*(?:public\\s+)?interface\\s+(\\w+)\\s*\\{");
    private static final Pattern METHOD = Pattern.compile("^\\s*([\\w<>.,\\s]+?)\\s+(\\w+)\\(\\);");
    private static final Pattern DEFAULT = Pattern.compile("^\\s*@WithDefault\\(\"(.*)\"\\)");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(\\w+):([^}]*)}");

    /** One property: where it is declared, its default (null when it has none) and its Javadoc. */
    record Property(String owner, String method, String type, String defaultValue, String javadoc) {
    }

    @Test
    void theConfigurationTableIsGeneratedFromGatewayConfig() throws IOException {
        String generated = table(properties(Files.readString(SOURCE, StandardCharsets.UTF_8)));
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        assertTrue(begin >= 0 && end > begin, DOC + " has the markers " + BEGIN + " and " + END);
        String current = doc.substring(begin + BEGIN.length(), end).strip();
        if (Boolean.getBoolean("docs.update") && !current.equals(generated)) {
            Files.writeString(DOC, doc.substring(0, begin + BEGIN.length()) + "\n" + generated + "\n"
                    + doc.substring(end), StandardCharsets.UTF_8);
            current = generated;
        }
        assertEquals(generated, current, DOC + " is out of date with GatewayConfig: run ./mvnw test"
                + " -Dtest=ConfigurationDocTest -Ddocs.update=true");
    }

    /** A regression of the generator itself: every leaf property of the interface gets exactly one row. */
    @Test
    void everyLeafPropertyHasARow() throws IOException {
        List<Property> properties = properties(Files.readString(SOURCE, StandardCharsets.UTF_8));
        String table = table(properties);
        for (String variable : List.of("GATEWAY_CONFIG_FILE", "GATEWAY_MASTER_KEY", "GATEWAY_BEDROCK_REQUEST_TIMEOUT",
                "GATEWAY_ROUTING_MAX_PARALLEL_REQUESTS", "GATEWAY_LIMITS_MAX_URI_BYTES", "GATEWAY_SIMULATOR_LATENCY")) {
            assertTrue(table.contains("| `" + variable + "` |"), variable);
        }
        assertTrue(properties.stream().noneMatch(p -> p.javadoc().isBlank()),
                "every property has Javadoc: " + properties.stream().filter(p -> p.javadoc().isBlank()).toList());
    }

    @Test
    void aCodeTagKeepsTheBracesInsideIt() {
        assertEquals("`GET /v1/responses/{id}` and `x`", markdown("{@code GET /v1/responses/{id}} and {@code x}"));
    }

    /** The properties in declaration order, with the groups (methods returning a nested interface) resolved. */
    static List<Property> properties(String source) {
        Map<String, List<Property>> byInterface = new LinkedHashMap<>();
        Deque<String> interfaces = new ArrayDeque<>();
        Deque<Integer> depths = new ArrayDeque<>();
        int depth = 0;
        StringBuilder javadoc = null;
        String lastJavadoc = "";
        String defaultValue = null;
        String rootInterface = null;
        for (String line : source.split("\n")) {
            String trimmed = line.trim();
            if (javadoc != null) {
                javadoc.append(' ').append(trimmed.replace("*/", "").replaceFirst("^\\*", "").trim());
                if (trimmed.endsWith("*/")) {
                    lastJavadoc = javadoc.toString().trim();
                    javadoc = null;
                }
                continue;
            }
            if (trimmed.startsWith("/**")) {
                javadoc = new StringBuilder(trimmed.substring(3).replace("*/", ""));
                if (trimmed.endsWith("*/")) {
                    lastJavadoc = javadoc.toString().trim();
                    javadoc = null;
                }
                continue;
            }
            Matcher d = DEFAULT.matcher(line);
            if (d.find()) {
                defaultValue = d.group(1);
                continue;
            }
            if (trimmed.isEmpty() || trimmed.startsWith("@") || trimmed.startsWith("//")) {
                continue;
            }
            Matcher i = INTERFACE.matcher(line);
            Matcher m = METHOD.matcher(line);
            if (i.find()) {
                interfaces.push(i.group(1));
                depths.push(depth);
                if (rootInterface == null) {
                    rootInterface = i.group(1);
                }
                byInterface.put(i.group(1), new ArrayList<>());
            } else if (!interfaces.isEmpty() && depth == depths.peek() + 1 && m.find()) {
                byInterface.get(interfaces.peek()).add(new Property(interfaces.peek(), m.group(2),
                        m.group(1).trim(), defaultValue, lastJavadoc));
            }
            // Javadoc and a default belong to the declaration right after them.
            lastJavadoc = "";
            defaultValue = null;
            for (char c : line.toCharArray()) {
                if (c == '{') {
                    depth++;
                } else if (c == '}') {
                    depth--;
                    if (!depths.isEmpty() && depth == depths.peek()) {
                        interfaces.pop();
                        depths.pop();
                    }
                }
            }
        }
        List<Property> leaves = new ArrayList<>();
        collect(byInterface, rootInterface, "gateway", leaves);
        return leaves;
    }

    private static void collect(Map<String, List<Property>> byInterface, String owner, String prefix,
            List<Property> out) {
        for (Property p : byInterface.get(owner)) {
            String name = prefix + "." + kebab(p.method());
            if (byInterface.containsKey(p.type())) {
                collect(byInterface, p.type(), name, out);
            } else {
                out.add(new Property(name, p.method(), p.type(), p.defaultValue(), p.javadoc()));
            }
        }
    }

    static String table(List<Property> properties) {
        StringBuilder out = new StringBuilder("| Variable | Default | Meaning |\n|---|---|---|\n");
        for (Property p : properties) {
            out.append("| `").append(p.owner().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'))
                    .append("` | ").append(defaultOf(p)).append(" | ").append(markdown(p.javadoc())).append(" |\n");
        }
        return out.toString().strip();
    }

    private static String defaultOf(Property p) {
        if (p.defaultValue() == null) {
            return "—";
        }
        Matcher placeholder = PLACEHOLDER.matcher(p.defaultValue());
        if (placeholder.matches()) {
            return "`$" + placeholder.group(1) + "`, else `" + placeholder.group(2) + "`";
        }
        return "`" + p.defaultValue() + "`";
    }

    /**
     * Javadoc as Markdown: {@code x} in backticks (with its own balanced braces, as Javadoc reads them), links as their
     * text, paragraphs run together, pipes escaped.
     */
    static String markdown(String javadoc) {
        return javadoc.replaceAll("\\{@code ((?:[^{}]|\\{[^{}]*})*)}", "`$1`")
                .replaceAll("\\{@link(?:plain)? (?:[\\w.]*#)?([^} ]*)(?: ([^}]*))?}", "$1")
                .replace("<p>", "").replace("</p>", "")
                .replaceAll("\\s+", " ").replace("|", "\\|").trim();
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
