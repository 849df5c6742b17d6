package dev.bedrockgateway.catalog;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.LinkedHashSet;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a catalog written in LiteLLM's proxy config format (https://docs.litellm.ai/docs/proxy/configs), so the
 * ConfigMap of a LiteLLM deployment works unchanged. Pure: the file text and the environment come in as
 * arguments. Anything the gateway cannot serve stops loading: every such error of the file is reported at once
 * ({@link CatalogException#errors()}), each naming the file, the entry and the field, so that one round of fixing
 * does; keys it does not use are collected as one warning each.
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

    /**
     * Cost keys LiteLLM reads from {@code model_info} and, for older files, from {@code litellm_params}
     * (https://docs.litellm.ai/docs/proxy/custom_pricing); where both set one, {@code model_info} wins.
     */
    private static final List<String> COST_KEYS = List.of(Price.INPUT, Price.OUTPUT, Price.CACHE_READ,
            Price.CACHE_WRITE);
    private static final String MAX_OUTPUT_TOKENS = "max_output_tokens";
    private static final Set<String> PARAMS_USED = Set.of("model", "aws_region_name", "rpm", "tpm", "max_tokens",
            "max_parallel_requests", Price.INPUT, Price.OUTPUT, Price.CACHE_READ, Price.CACHE_WRITE,
            MAX_OUTPUT_TOKENS);
    private static final Set<String> MODEL_INFO_USED = Set.of("mode", Price.INPUT, Price.OUTPUT, Price.CACHE_READ,
            Price.CACHE_WRITE, MAX_OUTPUT_TOKENS);
    private static final int DEFAULT_REDIS_PORT = 6379;
    private static final Pattern REDIS_URL = Pattern.compile("rediss?://.+");

    private static final YAMLMapper YAML = new YAMLMapper();

    private final String source;
    private final UnaryOperator<String> env;
    private final String defaultRegion;
    private final Map<String, Set<String>> unused = new LinkedHashMap<>();
    private final List<String> errors = new ArrayList<>();

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

        JsonNode list = root.get("model_list");
        Map<String, List<Deployment>> groups = new LinkedHashMap<>();
        // Every model_name read, those of entries with errors too: fallbacks are checked against them.
        Set<String> names = new LinkedHashSet<>();
        if (list == null || !list.isArray() || list.isEmpty()) {
            record(fail("model_list", "expected a non-empty list of models"));
        } else {
            for (int i = 0; i < list.size(); i++) {
                Deployment d = entry(list.get(i), i, names);
                if (d != null) {
                    groups.computeIfAbsent(d.modelName(), k -> new ArrayList<>()).add(d);
                }
            }
        }
        groups.replaceAll((k, v) -> List.copyOf(v));

        JsonNode router = mapping(root.get("router_settings"), "router_settings");
        CatalogSettings settings = settings(mapping(root.get("litellm_settings"), "litellm_settings"), router, names);
        JsonNode general = mapping(root.get("general_settings"), "general_settings");
        noteUnused(general, "general_settings.", "general_settings", Set.of("master_key", "database_url"));
        Optional<String> masterKey = check(() -> optionalString(general, "master_key", "general_settings"),
                Optional.empty());
        Optional<String> databaseUrl = check(() -> optionalString(general, "database_url", "general_settings"),
                Optional.empty());
        Optional<String> redisUrl = check(() -> redisUrl(router), Optional.empty());
        if (!errors.isEmpty()) {
            throw new CatalogException(errors);
        }
        return new Catalog(source, groups, settings, masterKey, databaseUrl, redisUrl, loadedAt, warnings());
    }

    /** The entry's deployment, or null when it has errors (recorded, every one of them). */
    private Deployment entry(JsonNode node, int index, Set<String> names) {
        String position = "model_list[" + index + "]";
        if (node == null || !node.isObject()) {
            record(fail(position, "expected a mapping with model_name and litellm_params"));
            return null;
        }
        int errorsBefore = errors.size();
        String name = check(() -> requiredString(node, "model_name", position), null);
        if (name != null) {
            names.add(name);
        }
        String where = name == null ? position : position + " (model_name \"" + name + "\")";
        noteUnused(node, "", where, Set.of("model_name", "litellm_params", "model_info"));

        JsonNode given = node.get("litellm_params");
        boolean paramsGiven = given != null && given.isObject();
        if (!paramsGiven) {
            record(fail(where, "litellm_params: expected a mapping with model"));
        }
        // Without a mapping, the entry's other fields are still checked.
        JsonNode params = paramsGiven ? given : YAML.getNodeFactory().objectNode();
        String modelId = !paramsGiven ? null : check(() -> bedrockModelId(
                requiredString(params, "model", where + ": litellm_params"), where + ": litellm_params.model"), null);

        Optional<String> region = check(() -> region(params, where), Optional.empty());
        OptionalInt rpm = check(() -> positiveInt(params, "rpm", where + ": litellm_params"), OptionalInt.empty());
        OptionalInt tpm = check(() -> positiveInt(params, "tpm", where + ": litellm_params"), OptionalInt.empty());
        OptionalInt maxTokens = check(() -> positiveInt(params, "max_tokens", where + ": litellm_params"),
                OptionalInt.empty());
        OptionalInt maxParallel = check(() -> positiveInt(params, "max_parallel_requests", where + ": litellm_params"),
                OptionalInt.empty());
        for (Iterator<String> it = params.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (CREDENTIAL_KEYS.contains(key)) {
                note("litellm_params." + key, where,
                        "is ignored: credentials come only from the AWS default provider chain (IRSA, environment)");
            } else if (!PARAMS_USED.contains(key)) {
                note("litellm_params." + key, where, "is not used by bedrock-gateway; ignored");
            }
        }

        JsonNode info = mapping(node.get("model_info"), where + ": model_info");
        noteUnused(info, "model_info.", where, MODEL_INFO_USED);
        ModelMode mode = check(() -> mode(info, modelId, where), ModelMode.CHAT);
        Optional<Price> price = price(info, params, where);
        OptionalInt maxOutput = either(
                check(() -> positiveInt(info, MAX_OUTPUT_TOKENS, where + ": model_info"), OptionalInt.empty()),
                check(() -> positiveInt(params, MAX_OUTPUT_TOKENS, where + ": litellm_params"), OptionalInt.empty()));
        if (errors.size() > errorsBefore) {
            return null;
        }
        String resolvedRegion = region.orElseGet(() -> arnRegion(modelId).orElse(defaultRegion));
        return new Deployment(name, modelId, resolvedRegion, mode, maxTokens, rpm, tpm, maxParallel, price,
                maxOutput, index);
    }

    private Optional<String> region(JsonNode params, String where) {
        Optional<String> region = optionalString(params, "aws_region_name", where + ": litellm_params");
        if (region.isPresent() && !REGION.matcher(region.get()).matches()) {
            throw fail(where, "litellm_params.aws_region_name: \"" + region.get()
                    + "\" is not an AWS region name (like us-east-1)");
        }
        return region;
    }

    /** The entry's own prices, when it sets any cost key; {@link Price#of} says what an unset one means. */
    private Optional<Price> price(JsonNode info, JsonNode params, String where) {
        OptionalDouble[] rates = new OptionalDouble[COST_KEYS.size()];
        boolean any = false;
        for (int i = 0; i < rates.length; i++) {
            String key = COST_KEYS.get(i);
            OptionalDouble fromInfo = check(() -> cost(info, key, where + ": model_info"), OptionalDouble.empty());
            OptionalDouble fromParams = check(() -> cost(params, key, where + ": litellm_params"),
                    OptionalDouble.empty());
            rates[i] = fromInfo.isPresent() ? fromInfo : fromParams;
            any |= rates[i].isPresent();
        }
        return any ? Optional.of(Price.of(rates[0], rates[1], rates[2], rates[3])) : Optional.empty();
    }

    /** USD per token: a number (or numeric string) of 0 or more. */
    private OptionalDouble cost(JsonNode node, String field, String where) {
        JsonNode raw = node.get(field);
        if (raw == null || raw.isNull()) {
            return OptionalDouble.empty();
        }
        JsonNode value = resolveEnv(raw, where + "." + field);
        double parsed = Double.NaN;
        if (value.isNumber()) {
            parsed = value.doubleValue();
        } else if (value.isTextual()) {
            try {
                parsed = Double.parseDouble(value.textValue().trim());
            } catch (NumberFormatException e) {
                parsed = Double.NaN;
            }
        }
        if (!(parsed >= 0) || Double.isInfinite(parsed)) {
            throw fail(where, field + ": expected a non-negative number (USD per token), got " + value);
        }
        return OptionalDouble.of(parsed);
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
        Optional<String> declared = optionalString(info, "mode", where + ": model_info");
        if (declared.isEmpty()) {
            // A null modelId: the entry's model has an error of its own, and the entry is dropped anyway.
            boolean embedding = modelId != null && (modelId.contains(".embed-") || modelId.contains("-embed"));
            return embedding ? ModelMode.EMBEDDING : ModelMode.CHAT;
        }
        return switch (declared.get()) {
            case "chat" -> ModelMode.CHAT;
            case "completion" -> ModelMode.COMPLETION;
            case "embedding" -> ModelMode.EMBEDDING;
            default -> throw fail(where, "model_info.mode: \"" + declared.get()
                    + "\" is not served by bedrock-gateway (chat, completion or embedding)");
        };
    }

    /**
     * {@code litellm_settings} and {@code router_settings}: LiteLLM reads the routing keys from either; when both
     * set one, {@code router_settings} wins (both are checked).
     */
    private CatalogSettings settings(JsonNode lite, JsonNode rout, Set<String> modelNames) {
        noteUnused(lite, "litellm_settings.", "litellm_settings", Set.of("drop_params", "num_retries",
                "request_timeout", "allowed_fails", "cooldown_time", "fallbacks"));
        noteUnused(rout, "router_settings.", "router_settings", Set.of("num_retries", "timeout", "allowed_fails",
                "cooldown_time", "routing_strategy", "fallbacks", "redis_url", "redis_host", "redis_port",
                "redis_password"));
        boolean drop = check(() -> bool(lite, "drop_params", "litellm_settings"), false);
        OptionalInt retries = either(
                check(() -> count(rout, "num_retries", "router_settings"), OptionalInt.empty()),
                check(() -> count(lite, "num_retries", "litellm_settings"), OptionalInt.empty()));
        OptionalInt allowedFails = either(
                check(() -> count(rout, "allowed_fails", "router_settings"), OptionalInt.empty()),
                check(() -> count(lite, "allowed_fails", "litellm_settings"), OptionalInt.empty()));
        Optional<Duration> timeout = either(
                check(() -> seconds(rout, "timeout", "router_settings"), Optional.empty()),
                check(() -> seconds(lite, "request_timeout", "litellm_settings"), Optional.empty()));
        Optional<Duration> cooldown = either(
                check(() -> seconds(rout, "cooldown_time", "router_settings"), Optional.empty()),
                check(() -> seconds(lite, "cooldown_time", "litellm_settings"), Optional.empty()));
        Optional<String> strategy = check(() -> {
            Optional<String> value = optionalString(rout, "routing_strategy", "router_settings");
            if (value.isPresent() && !Set.of("least-busy", "simple-shuffle").contains(value.get())) {
                throw fail("router_settings.routing_strategy", "\"" + value.get()
                        + "\" is not supported by bedrock-gateway (least-busy or simple-shuffle)");
            }
            return value;
        }, Optional.empty());
        Map<String, List<String>> fallbacks = rout.has("fallbacks")
                ? fallbacks(rout.get("fallbacks"), "router_settings.fallbacks", modelNames)
                : fallbacks(lite.get("fallbacks"), "litellm_settings.fallbacks", modelNames);
        return new CatalogSettings(drop, retries, timeout, allowedFails, cooldown, strategy, fallbacks);
    }

    /** The mapping at {@code node}, or an empty one when it is absent or not a mapping (then an error). */
    private JsonNode mapping(JsonNode node, String where) {
        if (node != null && !node.isNull() && !node.isObject()) {
            record(fail(where, "expected a mapping"));
        }
        return node != null && node.isObject() ? node : YAML.getNodeFactory().objectNode();
    }

    private static OptionalInt either(OptionalInt first, OptionalInt second) {
        return first.isPresent() ? first : second;
    }

    private static <T> Optional<T> either(Optional<T> first, Optional<T> second) {
        return first.isPresent() ? first : second;
    }

    private boolean bool(JsonNode node, String field, String where) {
        JsonNode raw = node.get(field);
        if (raw == null || raw.isNull()) {
            return false;
        }
        JsonNode value = resolveEnv(raw, where + "." + field);
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual() && Set.of("true", "false").contains(value.textValue().toLowerCase())) {
            return Boolean.parseBoolean(value.textValue());
        }
        throw fail(where + "." + field, "expected true or false");
    }

    /** A whole number, 0 allowed. */
    private OptionalInt count(JsonNode node, String field, String where) {
        JsonNode raw = node.get(field);
        if (raw == null || raw.isNull()) {
            return OptionalInt.empty();
        }
        JsonNode value = resolveEnv(raw, where + "." + field);
        if (value.isIntegralNumber() && value.longValue() >= 0 && value.longValue() <= 1000) {
            return OptionalInt.of(value.intValue());
        }
        if (value.isTextual() && value.textValue().trim().matches("\\d{1,3}")) {
            return OptionalInt.of(Integer.parseInt(value.textValue().trim()));
        }
        throw fail(where + "." + field, "expected a whole number from 0 to 1000, got " + value);
    }

    /** Seconds, as LiteLLM takes them (a number, fractions allowed). */
    private Optional<Duration> seconds(JsonNode node, String field, String where) {
        JsonNode raw = node.get(field);
        if (raw == null || raw.isNull()) {
            return Optional.empty();
        }
        JsonNode value = resolveEnv(raw, where + "." + field);
        double seconds;
        if (value.isNumber()) {
            seconds = value.doubleValue();
        } else if (value.isTextual() && value.textValue().trim().matches("\\d{1,7}(\\.\\d{1,3})?")) {
            seconds = Double.parseDouble(value.textValue().trim());
        } else {
            throw fail(where + "." + field, "expected a number of seconds, got " + value);
        }
        if (!(seconds > 0) || seconds > 86_400) {
            throw fail(where + "." + field, "expected a number of seconds above 0 and at most 86400, got " + value);
        }
        return Optional.of(Duration.ofMillis(Math.round(seconds * 1000)));
    }

    /** LiteLLM's {@code [{"model-a": ["model-b", "model-c"]}]}; every name must be a model of the catalog. */
    private Map<String, List<String>> fallbacks(JsonNode node, String where, Set<String> modelNames) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return result;
        }
        if (!node.isArray()) {
            record(fail(where, "expected a list like [{\"model-a\": [\"model-b\"]}]"));
            return result;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String at = where + "[" + i + "]";
            if (!item.isObject()) {
                record(fail(at, "expected a mapping from a model name to a list of model names"));
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                knownModel(e.getKey(), at, modelNames);
                JsonNode targets = e.getValue();
                List<String> names = new ArrayList<>();
                if (targets.isTextual()) {
                    names.add(targets.textValue());
                } else if (targets.isArray()) {
                    targets.forEach(t -> names.add(t.asText()));
                } else {
                    record(fail(at + "." + e.getKey(), "expected a list of model names"));
                    continue;
                }
                for (String name : names) {
                    knownModel(name, at + "." + e.getKey(), modelNames);
                    if (name.equals(e.getKey())) {
                        record(fail(at + "." + e.getKey(), "a model cannot be its own fallback"));
                    }
                }
                result.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).addAll(names);
            }
        }
        result.replaceAll((k, v) -> List.copyOf(new LinkedHashSet<>(v)));
        return result;
    }

    private void knownModel(String name, String where, Set<String> modelNames) {
        if (!modelNames.contains(name)) {
            record(fail(where, "\"" + name + "\" is not a model_name of model_list"));
        }
    }

    /**
     * LiteLLM's {@code router_settings.redis_url}, else {@code redis://[:password@]host:port} from
     * {@code redis_host}, {@code redis_port} (6379) and {@code redis_password}
     * (https://docs.litellm.ai/docs/proxy/config_settings). Messages never quote a value: it may hold the password.
     */
    private Optional<String> redisUrl(JsonNode router) {
        String where = "router_settings";
        Optional<String> url = optionalString(router, "redis_url", where);
        if (url.isPresent()) {
            if (!REDIS_URL.matcher(url.get()).matches()) {
                throw fail(where + ".redis_url", "expected redis://[user:password@]host:port or rediss://...");
            }
            return url;
        }
        Optional<String> host = optionalString(router, "redis_host", where);
        OptionalInt port = positiveInt(router, "redis_port", where);
        Optional<String> password = optionalString(router, "redis_password", where);
        if (host.isEmpty()) {
            if (port.isPresent() || password.isPresent()) {
                throw fail(where, "redis_port and redis_password need redis_host");
            }
            return Optional.empty();
        }
        if (host.get().contains("/") || host.get().contains("@")) {
            throw fail(where + ".redis_host", "expected a host name or address, not a URL (use redis_url)");
        }
        if (port.orElse(DEFAULT_REDIS_PORT) > 65_535) {
            throw fail(where, "redis_port: expected a port from 1 to 65535, got " + port.getAsInt());
        }
        String hostPart = host.get().contains(":") && !host.get().startsWith("[") ? "[" + host.get() + "]" : host.get();
        String auth = password.map(p -> ":" + URLEncoder.encode(p, StandardCharsets.UTF_8).replace("+", "%20") + "@")
                .orElse("");
        return Optional.of("redis://" + auth + hostPart + ":" + port.orElse(DEFAULT_REDIS_PORT));
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

    private void record(CatalogException error) {
        errors.addAll(error.errors());
    }

    /** What {@code read} reads, or {@code fallback} when it fails: the failure is recorded and checking goes on. */
    private <T> T check(Supplier<T> read, T fallback) {
        try {
            return read.get();
        } catch (CatalogException e) {
            record(e);
            return fallback;
        }
    }
}
