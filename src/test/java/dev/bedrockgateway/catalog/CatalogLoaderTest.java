package dev.bedrockgateway.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

class CatalogLoaderTest {

    private static Catalog load(String yaml) {
        return load(yaml, Map.of());
    }

    private static Catalog load(String yaml, Map<String, String> env) {
        return CatalogLoader.load("test.yaml", yaml, env::get, "us-east-1", 1_700_000_000L);
    }

    private static String failure(String yaml) {
        return assertThrows(CatalogException.class, () -> load(yaml)).getMessage();
    }

    @Test
    void readsALiteLlmConfigWithGroupsRegionsAndEnvironmentValues() {
        Catalog catalog = load("""
                model_list:
                  - model_name: gpt-4o
                    litellm_params:
                      model: bedrock/us.anthropic.claude-3-5-sonnet-20241022-v2:0
                      aws_region_name: us-west-2
                      rpm: 60
                      tpm: "100000"
                      max_tokens: 4096
                  - model_name: gpt-4o
                    litellm_params:
                      model: bedrock/converse/eu.anthropic.claude-3-5-sonnet-20240620-v1:0
                      aws_region_name: os.environ/SECOND_REGION
                  - model_name: embed
                    litellm_params:
                      model: bedrock/invoke/amazon.titan-embed-text-v2:0
                  - model_name: profile
                    litellm_params:
                      model: bedrock/arn:aws:bedrock:ap-southeast-2:123456789012:application-inference-profile/xyz
                litellm_settings:
                  drop_params: true
                general_settings:
                  master_key: os.environ/LITELLM_MASTER_KEY
                """, Map.of("SECOND_REGION", "eu-central-1", "LITELLM_MASTER_KEY", "sk-1234"));

        List<Deployment> group = catalog.find("gpt-4o").orElseThrow();
        assertEquals(2, group.size());
        assertEquals(new Deployment("gpt-4o", "us.anthropic.claude-3-5-sonnet-20241022-v2:0", "us-west-2",
                ModelMode.CHAT, OptionalInt.of(4096), OptionalInt.of(60), OptionalInt.of(100000), OptionalInt.empty(),
                Optional.empty(), OptionalInt.empty(), 0), group.get(0));
        assertEquals("eu.anthropic.claude-3-5-sonnet-20240620-v1:0", group.get(1).modelId());
        assertEquals("eu-central-1", group.get(1).region());
        Deployment embed = catalog.find("embed").orElseThrow().get(0);
        assertEquals(ModelMode.EMBEDDING, embed.mode());
        assertEquals("us-east-1", embed.region());
        assertEquals("ap-southeast-2", catalog.find("profile").orElseThrow().get(0).region());
        assertTrue(catalog.settings().dropParams());
        assertEquals("sk-1234", catalog.masterKey().orElseThrow());
        assertEquals(List.of("gpt-4o", "embed", "profile"), List.copyOf(catalog.groups().keySet()));
        assertEquals(1_700_000_000L, catalog.loadedAt());
    }

    @Test
    void unusedKeysGiveOneWarningEachNamingWhereTheyAre() {
        Catalog catalog = load("""
                model_list:
                  - model_name: a
                    litellm_params:
                      model: bedrock/anthropic.claude-3-haiku-20240307-v1:0
                      aws_secret_access_key: os.environ/NOT_SET_ANYWHERE
                      timeout: 30
                    model_info:
                      description: fast
                  - model_name: b
                    litellm_params:
                      model: bedrock/anthropic.claude-3-haiku-20240307-v1:0
                      aws_secret_access_key: os.environ/NOT_SET_ANYWHERE
                router_settings:
                  routing_strategy: simple-shuffle
                  cache_responses: true
                litellm_settings:
                  set_verbose: true
                """);
        List<String> warnings = catalog.warnings();
        assertEquals(5, warnings.size(), String.join("\n", warnings));
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("test.yaml: litellm_params.aws_secret_access_key "
                + "is ignored") && w.contains("model_list[0]") && w.contains("model_list[1]")), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("litellm_params.timeout")));
        assertTrue(warnings.stream().anyMatch(w -> w.contains("model_info.description")));
        assertTrue(warnings.stream().anyMatch(w -> w.contains("router_settings.cache_responses")));
        assertTrue(warnings.stream().anyMatch(w -> w.contains("litellm_settings.set_verbose")));
        // Secrets are never resolved (an unset variable would otherwise fail) nor quoted.
        assertFalse(warnings.stream().anyMatch(w -> w.contains("NOT_SET_ANYWHERE")));
    }

    @Test
    void nonBedrockProviderStopsLoadingNamingFileEntryAndField() {
        String message = failure("""
                model_list:
                  - model_name: ok
                    litellm_params:
                      model: bedrock/anthropic.claude-3-haiku-20240307-v1:0
                  - model_name: gpt-4
                    litellm_params:
                      model: openai/gpt-4
                """);
        assertEquals("test.yaml: model_list[1] (model_name \"gpt-4\"): litellm_params.model: \"openai/gpt-4\": "
                + "provider \"openai\" is not Amazon Bedrock; bedrock-gateway serves only bedrock/<model id> entries",
                message);
    }

    /** One round of fixing: a file with many errors names every one of them, in the order of the file. */
    @Test
    void everyErrorOfTheFileIsReportedAtOnce() {
        CatalogException e = assertThrows(CatalogException.class, () -> load("""
                model_list:
                  - model_name: a
                    litellm_params:
                      model: openai/gpt-4o
                  - model_name: b
                    litellm_params:
                      model: bedrock/anthropic.claude-3-haiku-20240307-v1:0
                      rpm: -3
                      aws_region_name: mars
                    model_info:
                      mode: image
                      input_cost_per_token: cheap
                  - litellm_params: {model: bedrock/a.b}
                  - model_name: ok
                    litellm_params: {model: bedrock/a.b}
                litellm_settings:
                  num_retries: many
                router_settings:
                  routing_strategy: fastest
                  fallbacks: [{b: [gpt-9, ok]}]
                general_settings:
                  master_key: os.environ/MISSING_KEY
                """));
        assertEquals(List.of(
                "test.yaml: model_list[0] (model_name \"a\"): litellm_params.model: \"openai/gpt-4o\": provider "
                        + "\"openai\" is not Amazon Bedrock; bedrock-gateway serves only bedrock/<model id> entries",
                "test.yaml: model_list[1] (model_name \"b\"): litellm_params.aws_region_name: \"mars\" is not an AWS "
                        + "region name (like us-east-1)",
                "test.yaml: model_list[1] (model_name \"b\"): litellm_params: rpm: expected a positive whole number, "
                        + "got -3",
                "test.yaml: model_list[1] (model_name \"b\"): model_info.mode: \"image\" is not served by "
                        + "bedrock-gateway (chat, completion or embedding)",
                "test.yaml: model_list[1] (model_name \"b\"): model_info: input_cost_per_token: expected a "
                        + "non-negative number (USD per token), got \"cheap\"",
                "test.yaml: model_list[2]: model_name: required, expected a non-empty string",
                "test.yaml: litellm_settings.num_retries: expected a whole number from 0 to 1000, got \"many\"",
                "test.yaml: router_settings.routing_strategy: \"fastest\" is not supported by bedrock-gateway "
                        + "(least-busy or simple-shuffle)",
                "test.yaml: router_settings.fallbacks[0].b: \"gpt-9\" is not a model_name of model_list",
                "test.yaml: general_settings.master_key: environment variable MISSING_KEY is not set"), e.errors());
        assertEquals(String.join("\n", e.errors()), e.getMessage(), "one error a line");
    }

    @Test
    void malformedFilesStopLoadingWithPreciseMessages() {
        assertTrue(failure("model_list: [\n  - {").startsWith("test.yaml: not valid YAML at line"));
        assertEquals("test.yaml: model_list: expected a non-empty list of models", failure("model_list: []"));
        assertEquals("test.yaml: (top level): expected a mapping with model_list", failure("- a\n- b"));
        assertEquals("test.yaml: model_list[0]: model_name: required, expected a non-empty string",
                failure("model_list:\n  - litellm_params: {model: bedrock/x.y}"));
        assertEquals("test.yaml: model_list[0] (model_name \"m\"): litellm_params: expected a mapping with model",
                failure("model_list:\n  - model_name: m"));
        assertEquals("test.yaml: model_list[0] (model_name \"m\"): litellm_params: model: required, expected a "
                + "non-empty string", failure("model_list:\n  - model_name: m\n    litellm_params: {rpm: 3}"));
        assertEquals("test.yaml: model_list[0] (model_name \"m\"): litellm_params: rpm: expected a positive whole "
                + "number, got -3", failure("model_list:\n  - model_name: m\n    litellm_params: "
                        + "{model: bedrock/a.b, rpm: -3}"));
        assertEquals("test.yaml: model_list[0] (model_name \"m\"): litellm_params.aws_region_name: \"mars\" is "
                + "not an AWS region name (like us-east-1)", failure("model_list:\n  - model_name: m\n    litellm_params: "
                        + "{model: bedrock/a.b, aws_region_name: mars}"));
        assertEquals("test.yaml: model_list[0] (model_name \"m\"): model_info.mode: \"image_generation\" is not "
                + "served by bedrock-gateway (chat, completion or embedding)", failure("model_list:\n  - model_name: m\n"
                        + "    litellm_params: {model: bedrock/a.b}\n    model_info: {mode: image_generation}"));
        assertTrue(failure("model_list:\n  - model_name: m\n    litellm_params: {model: bedrock/llama/meta.x}")
                .contains("litellm_params.model: \"bedrock/llama/meta.x\": expected bedrock/<model id>"));
        assertEquals("test.yaml: litellm_settings.drop_params: expected true or false",
                failure("model_list:\n  - model_name: m\n    litellm_params: {model: bedrock/a.b}\n"
                        + "litellm_settings: {drop_params: sometimes}"));
    }

    @Test
    void unsetEnvironmentVariableIsAnErrorNotAnEmptyValue() {
        assertEquals("test.yaml: general_settings.master_key: environment variable MISSING_KEY is not set",
                failure("model_list:\n  - model_name: m\n    litellm_params: {model: bedrock/a.b}\n"
                        + "general_settings: {master_key: os.environ/MISSING_KEY}"));
    }

    @Test
    void theBundledCatalogLoadsAndHasTheSeedModelsAndAliases() throws IOException {
        String yaml;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(ModelCatalog.BUNDLED)) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Catalog catalog = load(yaml);
        assertEquals(List.of(), catalog.warnings());
        assertEquals("anthropic.claude-3-sonnet-20240229-v1:0",
                catalog.find("bedrock-claude-3-sonnet").orElseThrow().get(0).modelId());
        assertEquals("meta.llama3-8b-instruct-v1:0",
                catalog.find("bedrock-llama3-8b-instruct-v1").orElseThrow().get(0).modelId());
        assertEquals("mistral.mixtral-8x7b-instruct-v0:1",
                catalog.find("bedrock-mixtral-8x7b-instruct-v0").orElseThrow().get(0).modelId());
        for (String alias : List.of("gpt-4o", "gpt-4o-mini", "gpt-3.5-turbo", "text-davinci-003")) {
            assertTrue(catalog.find(alias).orElseThrow().get(0).mode().servesChat(), alias);
        }
        assertEquals(ModelMode.EMBEDDING, catalog.find("text-embedding-3-small").orElseThrow().get(0).mode());
        assertFalse(catalog.settings().dropParams());
        assertTrue(catalog.masterKey().isEmpty());
    }

    @Test
    void routingSettingsComeFromEitherSectionRouterSettingsWinning() {
        Catalog catalog = load("""
                model_list:
                  - model_name: a
                    litellm_params: {model: bedrock/anthropic.claude-3-haiku-20240307-v1:0, max_parallel_requests: 7}
                  - model_name: b
                    litellm_params: {model: bedrock/meta.llama3-8b-instruct-v1:0}
                  - model_name: c
                    litellm_params: {model: bedrock/mistral.mistral-large-2402-v1:0}
                litellm_settings:
                  num_retries: 5
                  request_timeout: 30
                  fallbacks: [{"a": ["c"]}]
                router_settings:
                  num_retries: 1
                  allowed_fails: 0
                  cooldown_time: 2.5
                  routing_strategy: simple-shuffle
                  fallbacks: [{"a": ["b", "c"]}, {"b": "c"}]
                """);
        CatalogSettings settings = catalog.settings();
        assertEquals(OptionalInt.of(1), settings.numRetries());
        assertEquals(OptionalInt.of(0), settings.allowedFails());
        assertEquals(java.time.Duration.ofSeconds(30), settings.requestTimeout().orElseThrow());
        assertEquals(java.time.Duration.ofMillis(2500), settings.cooldownTime().orElseThrow());
        assertEquals("simple-shuffle", settings.routingStrategy().orElseThrow());
        assertEquals(List.of("b", "c"), settings.fallbacksOf("a"));
        assertEquals(List.of("c"), settings.fallbacksOf("b"));
        assertEquals(List.of(), settings.fallbacksOf("c"));
        assertEquals(OptionalInt.of(7), catalog.find("a").orElseThrow().get(0).maxParallelRequests());
        assertEquals(List.of(), catalog.warnings());
    }

    @Test
    void badRoutingSettingsStopLoadingNamingTheField() {
        String models = "model_list:\n  - model_name: a\n    litellm_params: {model: bedrock/a.b}\n";
        assertEquals("test.yaml: router_settings.fallbacks[0].a: \"gpt-9\" is not a model_name of model_list",
                failure(models + "router_settings: {fallbacks: [{a: [gpt-9]}]}"));
        assertEquals("test.yaml: litellm_settings.num_retries: expected a whole number from 0 to 1000, got -1",
                failure(models + "litellm_settings: {num_retries: -1}"));
        assertEquals("test.yaml: router_settings.routing_strategy: \"latency-based-routing\" is not supported by "
                + "bedrock-gateway (least-busy or simple-shuffle)",
                failure(models + "router_settings: {routing_strategy: latency-based-routing}"));
        assertEquals("test.yaml: router_settings.cooldown_time: expected a number of seconds, got \"soon\"",
                failure(models + "router_settings: {cooldown_time: soon}"));
        assertEquals("test.yaml: router_settings.cooldown_time: expected a number of seconds above 0 and at most "
                + "86400, got 0", failure(models + "router_settings: {cooldown_time: 0}"));
    }

    @Test
    void costKeysComeFromModelInfoOrLitellmParamsModelInfoWinning() {
        Catalog catalog = load("""
                model_list:
                  - model_name: info
                    litellm_params:
                      model: bedrock/us.anthropic.claude-3-5-haiku-20241022-v1:0
                      input_cost_per_token: 0.5
                    model_info:
                      input_cost_per_token: 8.0e-07
                      output_cost_per_token: "4e-06"
                      cache_read_input_token_cost: os.environ/CACHE_READ
                      cache_creation_input_token_cost: 0.000001
                      max_output_tokens: 8192
                  - model_name: params
                    litellm_params:
                      model: bedrock/amazon.titan-embed-text-v2:0
                      input_cost_per_token: 2.0e-08
                      max_output_tokens: "1"
                  - model_name: free
                    litellm_params:
                      model: bedrock/meta.llama3-8b-instruct-v1:0
                    model_info:
                      input_cost_per_token: 0
                      output_cost_per_token: 0
                  - model_name: unpriced
                    litellm_params:
                      model: bedrock/meta.llama3-8b-instruct-v1:0
                """, Map.of("CACHE_READ", "8e-08"));
        Deployment info = catalog.find("info").orElseThrow().get(0);
        assertEquals(Optional.of(new Price(8.0e-07, 4e-06, 8e-08, 1e-06)), info.price());
        assertEquals(OptionalInt.of(8192), info.maxOutputTokens());
        assertEquals(OptionalInt.empty(), info.maxTokens());
        // Unset output is 0 (an embedding has none); unset cache rates are the input rate, never less.
        Deployment params = catalog.find("params").orElseThrow().get(0);
        assertEquals(Optional.of(new Price(2.0e-08, 0, 2.0e-08, 2.0e-08)), params.price());
        assertEquals(OptionalInt.of(1), params.maxOutputTokens());
        assertEquals(Optional.of(new Price(0, 0, 0, 0)), catalog.find("free").orElseThrow().get(0).price());
        assertEquals(Optional.empty(), catalog.find("unpriced").orElseThrow().get(0).price());
        assertEquals(List.of(), catalog.warnings());
    }

    @Test
    void badCostsStopLoadingNamingTheField() {
        String entry = "model_list:\n  - model_name: m\n    litellm_params: {model: bedrock/a.b%s}\n    model_info: {%s}";
        String at = "test.yaml: model_list[0] (model_name \"m\"): ";
        String cost = ": expected a non-negative number (USD per token), got ";
        // {extra litellm_params, model_info, message}
        List<List<String>> cases = List.of(
                List.of("", "input_cost_per_token: -1.0e-6", "model_info: input_cost_per_token" + cost + "-1.0E-6"),
                List.of(", output_cost_per_token: cheap", "", "litellm_params: output_cost_per_token" + cost
                        + "\"cheap\""),
                List.of("", "cache_read_input_token_cost: [1]", "model_info: cache_read_input_token_cost" + cost + "[1]"),
                List.of("", "cache_creation_input_token_cost: \".NaN\"", "model_info: cache_creation_input_token_cost"
                        + cost + "\".NaN\""),
                List.of("", "max_output_tokens: 0", "model_info: max_output_tokens: expected a positive whole number, "
                        + "got 0"),
                List.of("", "input_cost_per_token: os.environ/PRICE", "model_info.input_cost_per_token: environment "
                        + "variable PRICE is not set"));
        for (List<String> c : cases) {
            assertEquals(at + c.get(2), failure(entry.formatted(c.get(0), c.get(1))));
        }
    }

    @Test
    void storeSettingsBuildTheDatabaseAndRedisUrls() {
        String models = "model_list:\n  - model_name: a\n    litellm_params: {model: bedrock/a.b}\n";
        Catalog catalog = load(models + """
                general_settings:
                  master_key: sk-1
                  database_url: os.environ/DATABASE_URL
                router_settings:
                  redis_host: os.environ/REDIS_HOST
                  redis_port: os.environ/REDIS_PORT
                  redis_password: os.environ/REDIS_PASSWORD
                """, Map.of("DATABASE_URL", "postgresql://gw:s3cret@db:5432/gw", "REDIS_HOST", "redis.internal",
                "REDIS_PORT", "6380", "REDIS_PASSWORD", "p@ss word/+:"));
        assertEquals("postgresql://gw:s3cret@db:5432/gw", catalog.databaseUrl().orElseThrow());
        assertEquals("redis://:p%40ss%20word%2F%2B%3A@redis.internal:6380", catalog.redisUrl().orElseThrow());
        assertEquals(List.of(), catalog.warnings());
        assertFalse(catalog.toString().contains("s3cret") || catalog.toString().contains("p%40ss"),
                catalog.toString());

        assertEquals("redis://cache:6379", load(models + "router_settings: {redis_host: cache}").redisUrl().orElseThrow());
        assertEquals("redis://[::1]:6379", load(models + "router_settings: {redis_host: \"::1\"}").redisUrl()
                .orElseThrow());
        // LiteLLM's redis_url wins over host and port.
        assertEquals("rediss://:pw@cache:6380", load(models
                + "router_settings: {redis_url: \"rediss://:pw@cache:6380\", redis_host: other}").redisUrl()
                .orElseThrow());
        Catalog none = load(models);
        assertTrue(none.databaseUrl().isEmpty() && none.redisUrl().isEmpty());
    }

    @Test
    void badStoreSettingsStopLoadingWithoutQuotingSecrets() {
        String models = "model_list:\n  - model_name: a\n    litellm_params: {model: bedrock/a.b}\n";
        String badUrl = failure(models + "router_settings: {redis_url: \"http://:hunter2@cache\"}");
        assertEquals("test.yaml: router_settings.redis_url: expected redis://[user:password@]host:port or "
                + "rediss://...", badUrl);
        assertEquals("test.yaml: router_settings: redis_port and redis_password need redis_host",
                failure(models + "router_settings: {redis_password: hunter2}"));
        assertEquals("test.yaml: router_settings: redis_port: expected a port from 1 to 65535, got 70000",
                failure(models + "router_settings: {redis_host: cache, redis_port: 70000}"));
        assertEquals("test.yaml: router_settings: redis_port: expected a positive whole number, got \"six\"",
                failure(models + "router_settings: {redis_host: cache, redis_port: six}"));
        assertEquals("test.yaml: router_settings.redis_host: expected a host name or address, not a URL (use "
                + "redis_url)", failure(models + "router_settings: {redis_host: \"redis://cache\"}"));
        assertEquals("test.yaml: general_settings: database_url: expected a string",
                failure(models + "general_settings: {database_url: [postgresql]}"));
        assertEquals("test.yaml: general_settings.database_url: environment variable DB is not set",
                failure(models + "general_settings: {database_url: os.environ/DB}"));
    }
}
