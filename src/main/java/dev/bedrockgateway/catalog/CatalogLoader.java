package dev.bedrockgateway.catalog;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.LinkedHashSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a catalog written in LiteLLM's proxy config format (https://docs.litellm.ai/docs/proxy/configs), so the
 * ConfigMap of a LiteLLM deployment works unchanged. Pure: the file text and the environment come in as
 * arguments. Anything the gateway cannot serve stops loading with a message naming the file, the entry and the
 * field; keys it does not use are collected as one warning each.
 */
public final class CatalogLoader {

    private static final String ENV_PREFIX = "os.environ/";
    private static final String BEDROCK_PREFIX = "bedrock/";
    /** LiteLLM route markers after {@code bedrock/}; the gateway reaches every chat model through Converse. */
    private static final List<String> BEDROCK_ROUTES = List.of("converse/", "invoke/");
    private static final Pattern ARN = Pattern.compile("arn:aws[a-z-]*:bedrock:([a-z0-9-]+):\\d{12}:[a-z-]+/.+");
    private static final Pattern MODEL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]*");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");

    private static final Set<String> CREDENTIAL_KEYS = Set.of("aws_access_key_id", "aws_secret_access_key",
            "aws_session_token", "aws_profile_name", "aws_role_name", "aws_session_name", "aws_web_identity_token",
            "aws_sts_endpoint", "api_key");

    private static final YAMLMapper YAML = new YAMLMapper();

    private final String source;
    private final UnaryOperator<String> env;
    private final String defaultRegion;
    private final Map<String, Set<String>> unused = new LinkedHashMap<>();

    private CatalogLoader(String source, UnaryOperator<String> env, String defaultRegion) {
        this.source = source;
        this.env = env;
        this.defaultRegion = defaultRegion;
    }

    /**
     * @param source file name for messages
     * @param yaml the file's text
     * @param env environment lookup for {@code os.environ/NAME} values
     * @param defaultRegion region of entries without {@code aws_region_name}
     * @param loadedAt epoch seconds, reported as the models' {@code created}
     */
    public static Catalog load(String source, String yaml, UnaryOperator<String> env, String defaultRegion,
            long loadedAt) {
        return new CatalogLoader(source, env, defaultRegion).parse(yaml, loadedAt);
    }

    private Catalog parse(String yaml, long loadedAt) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new CatalogException(source + ": not valid YAML" + where + ": " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw fail("(top level)", "expected a mapping with model_list");
        }
        noteUnused(root, "", "(top level)",
                Set.of("model_list", "litellm_settings", "general_settings", "router_settings"));
        router(root.get("router_settings"));

        JsonNode list = root.get("model_list");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw fail("model_list", "expected a non-empty list of models");
        }
        Map<String, List<Deployment>> groups = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            Deployment d = entry(list.get(i), i);
            groups.computeIfAbsent(d.modelName(), k -> new ArrayList<>()).add(d);
        }
        groups.replaceAll((k, v) -> List.copyOf(v));

        CatalogSettings settings = litellmSettings(root.get("litellm_settings"));
        Optional<String> masterKey = generalSettings(root.get("general_settings"));
        return new Catalog(source, groups, settings, masterKey, loadedAt, warnings());
    }

    private Deployment entry(JsonNode node, int index) {
        String position = "model_list[" + index + "]";
        if (node == null || !node.isObject()) {
            throw fail(position, "expected a mapping with model_name and litellm_params");
        }
        String name = requiredString(node, "model_name", position);
        String where = position + " (model_name \"" + name + "\")";
        noteUnused(node, "", where, Set.of("model_name", "litellm_params", "model_info"));

        JsonNode params = node.get("litellm_params");
        if (params == null || !params.isObject()) {
            throw fail(where, "litellm_params: expected a mapping with model");
        }
        String model = requiredString(params, "model", where + ": litellm_params");
        String modelId = bedrockModelId(model, where + ": litellm_params.model");

        Optional<String> region = optionalString(params, "aws_region_name", where + ": litellm_params");
        region.ifPresent(r -> {
            if (!REGION.matcher(r).matches()) {
                throw fail(where, "litellm_params.aws_region_name: \"" + r + "\" is not an AWS region name");
            }
        });
        String resolvedRegion = region.orElseGet(() -> arnRegion(modelId).orElse(defaultRegion));

        OptionalInt rpm = positiveInt(params, "rpm", where + ": litellm_params");
        OptionalInt tpm = positiveInt(params, "tpm", where + ": litellm_params");
        OptionalInt maxTokens = positiveInt(params, "max_tokens", where + ": litellm_params");
        if (rpm.isPresent()) {
            note("litellm_params.rpm", where, "is read but not enforced yet");
        }
        if (tpm.isPresent()) {
            note("litellm_params.tpm", where, "is read but not enforced yet");
        }
        for (Iterator<String> it = params.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (CREDENTIAL_KEYS.contains(key)) {
                note("litellm_params." + key, where,
                        "is ignored: credentials come only from the AWS default provider chain (IRSA, environment)");
            } else if (!Set.of("model", "aws_region_name", "rpm", "tpm", "max_tokens").contains(key)) {
                note("litellm_params." + key, where, "is not used by bedrock-gateway; ignored");
            }
        }

        ModelMode mode = mode(node.get("model_info"), modelId, where);
        return new Deployment(name, modelId, resolvedRegion, mode, maxTokens, rpm, tpm, index);
    }

    /** {@code bedrock/[converse/|invoke/]<id>}: a base model id, an inference profile id, or an ARN. */
    private String bedrockModelId(String model, String where) {
        if (!model.startsWith(BEDROCK_PREFIX)) {
            int slash = model.indexOf('/');
            String provider = slash > 0 ? model.substring(0, slash) : model;
            throw fail(where, "\"" + model + "\": provider \"" + provider
                    + "\" is not Amazon Bedrock; bedrock-gateway serves only bedrock/<model id> entries");
        }
        String id = model.substring(BEDROCK_PREFIX.length());
        for (String route : BEDROCK_ROUTES) {
            if (id.startsWith(route)) {
                id = id.substring(route.length());
                break;
            }
        }
        if (ARN.matcher(id).matches() || MODEL_ID.matcher(id).matches()) {
            return id;
        }
        throw fail(where, "\"" + model + "\": expected bedrock/<model id>, bedrock/<inference profile id> or "
                + "bedrock/<inference profile ARN>, optionally after converse/ or invoke/");
    }

    private static Optional<String> arnRegion(String modelId) {
        Matcher m = ARN.matcher(modelId);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private ModelMode mode(JsonNode info, String modelId, String where) {
        Optional<String> declared = Optional.empty();
        if (info != null) {
            if (!info.isObject()) {
                throw fail(where, "model_info: expected a mapping");
            }
            declared = optionalString(info, "mode", where + ": model_info");
            noteUnused(info, "model_info.", where, Set.of("mode"));
        }
        if (declared.isEmpty()) {
            return modelId.contains(".embed-") || modelId.contains("-embed") ? ModelMode.EMBEDDING : ModelMode.CHAT;
        }
        return switch (declared.get()) {
            case "chat" -> ModelMode.CHAT;
            case "completion" -> ModelMode.COMPLETION;
            case "embedding" -> ModelMode.EMBEDDING;
            default -> throw fail(where, "model_info.mode: \"" + declared.get()
                    + "\" is not served by bedrock-gateway (chat, completion or embedding)");
        };
    }

    private CatalogSettings litellmSettings(JsonNode node) {
        if (node == null || node.isNull()) {
            return CatalogSettings.DEFAULTS;
        }
        if (!node.isObject()) {
            throw fail("litellm_settings", "expected a mapping");
        }
        noteUnused(node, "litellm_settings.", "litellm_settings", Set.of("drop_params"));
        JsonNode drop = node.get("drop_params");
        if (drop == null || drop.isNull()) {
            return CatalogSettings.DEFAULTS;
        }
        JsonNode value = resolveEnv(drop, "litellm_settings.drop_params");
        if (value.isBoolean()) {
            return new CatalogSettings(value.booleanValue());
        }
        if (value.isTextual() && Set.of("true", "false").contains(value.textValue().toLowerCase())) {
            return new CatalogSettings(Boolean.parseBoolean(value.textValue()));
        }
        throw fail("litellm_settings.drop_params", "expected true or false");
    }

    private Optional<String> generalSettings(JsonNode node) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            throw fail("general_settings", "expected a mapping");
        }
        noteUnused(node, "general_settings.", "general_settings", Set.of("master_key"));
        return optionalString(node, "master_key", "general_settings");
    }

    private void router(JsonNode node) {
        if (node != null && node.isObject()) {
            noteUnused(node, "router_settings.", "router_settings", Set.of());
        }
    }

    private String requiredString(JsonNode node, String field, String where) {
        return optionalString(node, field, where)
                .orElseThrow(() -> fail(where, field + ": required, expected a non-empty string"));
    }

    private Optional<String> optionalString(JsonNode node, String field, String where) {
        JsonNode raw = node.get(field);
        if (raw == null || raw.isNull()) {
            return Optional.empty();
        }
        JsonNode value = resolveEnv(raw, where + "." + field);
        if (!value.isTextual() && !value.isNumber()) {
            throw fail(where, field + ": expected a string");
        }
        String text = value.asText().trim();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    private OptionalInt positiveInt(JsonNode node, String field, String where) {
        JsonNode raw = node.get(field);
        if (raw == null || raw.isNull()) {
            return OptionalInt.empty();
        }
        JsonNode value = resolveEnv(raw, where + "." + field);
        long parsed;
        if (value.isIntegralNumber()) {
            parsed = value.longValue();
        } else if (value.isTextual() && value.textValue().trim().matches("\\d{1,10}")) {
            parsed = Long.parseLong(value.textValue().trim());
        } else {
            throw fail(where, field + ": expected a positive whole number, got " + value);
        }
        if (parsed <= 0 || parsed > Integer.MAX_VALUE) {
            throw fail(where, field + ": expected a positive whole number, got " + parsed);
        }
        return OptionalInt.of((int) parsed);
    }

    /** LiteLLM's {@code os.environ/NAME} indirection; an unset variable is an error, never an empty value. */
    private JsonNode resolveEnv(JsonNode value, String where) {
        if (value.isTextual() && value.textValue().startsWith(ENV_PREFIX)) {
            String name = value.textValue().substring(ENV_PREFIX.length());
            String resolved = env.apply(name);
            if (resolved == null) {
                throw fail(where, "environment variable " + name + " is not set");
            }
            return YAML.getNodeFactory().textNode(resolved);
        }
        return value;
    }

    private void noteUnused(JsonNode node, String prefix, String where, Set<String> used) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!used.contains(key)) {
                note(prefix + key, where, "is not used by bedrock-gateway; ignored");
            }
        }
    }

    private void note(String key, String where, String what) {
        unused.computeIfAbsent(key + " " + what, k -> new LinkedHashSet<>()).add(where);
    }

    private List<String> warnings() {
        List<String> lines = new ArrayList<>();
        unused.forEach((keyAndWhat, places) -> lines.add(source + ": " + keyAndWhat + " (" + String.join(", ", places) + ")"));
        return lines;
    }

    private CatalogException fail(String where, String message) {
        return new CatalogException(source + ": " + where + ": " + message);
    }
}
