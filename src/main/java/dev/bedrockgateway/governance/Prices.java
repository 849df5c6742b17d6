package dev.bedrockgateway.governance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.bedrockgateway.catalog.BedrockModelIds;
import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.catalog.Price;

/**
 * What a request cost. A deployment's price is the catalog entry's own ({@code model_info.input_cost_per_token} ...)
 * when it sets one, else the bundled table {@value #BUNDLED} by model id: the exact id, then the base id's entry for
 * the id's cross-region profile geography, then the base id. An application inference profile ARN names no model,
 * so it has no bundled price.
 *
 * <p>Costs are whole nano-USD (1e-9 USD): each token count times its rate, summed exactly, then rounded once, half
 * up. A deployment without a price has no cost ({@link OptionalLong#empty()}): callers record 0 and mark the request
 * unpriced rather than inventing a figure.
 */
@ApplicationScoped
public class Prices {

    private static final Logger LOG = Logger.getLogger(Prices.class);
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    /** Bundled prices by model id, looked up once per id. */
    private final Map<String, Optional<Price>> bundledByModelId = new ConcurrentHashMap<>();
    private final Map<Price, Femto> femto = new ConcurrentHashMap<>();

    /** The bundled price table, a resource of the application. */
    public static final String BUNDLED = "prices/bedrock-prices.yaml";

    private static final Set<String> RATE_KEYS = Set.of(Price.INPUT, Price.OUTPUT, Price.CACHE_READ,
            Price.CACHE_WRITE);
    private static final String PROFILES = "profiles";

    private record Entry(Price price, Map<String, Price> profiles) {
    }

    private final Map<String, Entry> table;

    /** With the bundled table. */
    public Prices() {
        this(BUNDLED, bundledText());
    }

    /** With the table {@code yaml} (the bundled file's format), for tests. */
    Prices(String source, String yaml) {
        this.table = parse(source, yaml);
    }

    /** The price of one token on {@code d}: the catalog entry's, else the bundled table's; empty when neither has one. */
    public Optional<Price> of(Deployment d) {
        return d.price().isPresent() ? d.price() : bundledByModelId.computeIfAbsent(d.modelId(), this::bundled);
    }

    /** The bundled table's price of {@code modelId}: exact id, then profile-specific entry, then base id. */
    public Optional<Price> bundled(String modelId) {
        if (modelId.startsWith("arn:")) {
            return Optional.empty();
        }
        Entry exact = table.get(modelId);
        if (exact != null) {
            return Optional.of(exact.price());
        }
        Optional<String> geography = BedrockModelIds.profileGeography(modelId);
        if (geography.isEmpty()) {
            return Optional.empty();
        }
        Entry base = table.get(BedrockModelIds.withoutProfilePrefix(modelId));
        if (base == null) {
            return Optional.empty();
        }
        return Optional.of(base.profiles().getOrDefault(geography.get(), base.price()));
    }

    /**
     * The cost of one call on {@code d} in nano-USD, or empty when {@code d} has no price.
     *
     * @param inputTokens uncached input tokens, as Bedrock's Converse usage reports {@code inputTokens}: cache reads
     *        and writes NOT included (they are counted, and charged, on their own)
     * @param outputTokens output tokens
     * @param cacheReadTokens {@code cacheReadInputTokens}
     * @param cacheWriteTokens {@code cacheWriteInputTokens}
     */
    public OptionalLong costNanoUsd(Deployment d, long inputTokens, long outputTokens, long cacheReadTokens,
            long cacheWriteTokens) {
        Optional<Price> price = of(d);
        if (price.isEmpty()) {
            return OptionalLong.empty();
        }
        if (inputTokens < 0 || outputTokens < 0 || cacheReadTokens < 0 || cacheWriteTokens < 0) {
            throw new IllegalArgumentException("token counts cannot be negative");
        }
        Femto rates = femto.computeIfAbsent(price.get(), Femto::of);
        try {
            return OptionalLong.of(rates.nanoUsd(inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens));
        } catch (ArithmeticException tooManyTokensForALong) {
            return OptionalLong.of(costNanoUsd(price.get(), inputTokens, outputTokens, cacheReadTokens,
                    cacheWriteTokens));
        }
    }

    /**
     * A price in 1e-15 USD per token, for pricing every call without allocating: exact for rates written with up to 15
     * decimals (the bundled and LiteLLM's all are), so the result is the same as {@link #costNanoUsd(Price, long, long,
     * long, long)}'s: the exact sum, rounded half up once to nano-USD.
     */
    private record Femto(long input, long output, long cacheRead, long cacheWrite) {

        static Femto of(Price p) {
            return new Femto(femto(p.inputPerToken()), femto(p.outputPerToken()), femto(p.cacheReadPerToken()),
                    femto(p.cacheWritePerToken()));
        }

        private static long femto(double rate) {
            return BigDecimal.valueOf(rate).movePointRight(15).setScale(0, RoundingMode.HALF_UP).longValueExact();
        }

        long nanoUsd(long in, long out, long read, long write) {
            long sum = Math.addExact(Math.addExact(Math.multiplyExact(input, in), Math.multiplyExact(output, out)),
                    Math.addExact(Math.multiplyExact(cacheRead, read), Math.multiplyExact(cacheWrite, write)));
            return sum / 1_000_000 + (sum % 1_000_000 >= 500_000 ? 1 : 0);
        }
    }

    /**
     * The most a call on {@code d} can cost with at most {@code inputTokens} input and {@code outputTokens} output:
     * every input token at the dearer of the input and cache-write prices (a cache write costs more than plain
     * input). 0 when {@code d} has no price (logged once per model).
     */
    public long worstCaseNanoUsd(Deployment d, long inputTokens, long outputTokens) {
        Optional<Price> price = of(d);
        if (price.isEmpty()) {
            unpriced(d);
            return 0;
        }
        Price p = price.get();
        double input = Math.max(p.inputPerToken(), p.cacheWritePerToken());
        return costNanoUsd(new Price(input, p.outputPerToken(), input, input), inputTokens, outputTokens, 0, 0);
    }

    /** Says once per Bedrock model that its calls cost 0 because nothing prices them. */
    public void unpriced(Deployment d) {
        if (warned.add(d.modelId())) {
            LOG.warnf("No price for %s (model %s): its calls count as costing 0 against budgets and in the spend log. "
                    + "Set model_info.input_cost_per_token / output_cost_per_token in the catalog.", d.modelId(),
                    d.modelName());
        }
    }

    /** The cost at {@code price} in nano-USD, rounded half up once on the sum. */
    public static long costNanoUsd(Price price, long inputTokens, long outputTokens, long cacheReadTokens,
            long cacheWriteTokens) {
        if (inputTokens < 0 || outputTokens < 0 || cacheReadTokens < 0 || cacheWriteTokens < 0) {
            throw new IllegalArgumentException("token counts cannot be negative");
        }
        BigDecimal usd = part(price.inputPerToken(), inputTokens)
                .add(part(price.outputPerToken(), outputTokens))
                .add(part(price.cacheReadPerToken(), cacheReadTokens))
                .add(part(price.cacheWritePerToken(), cacheWriteTokens));
        return usd.movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    /** {@code BigDecimal.valueOf} keeps the rate as written ({@code 3.3e-07}), not its binary approximation. */
    private static BigDecimal part(double rate, long tokens) {
        return tokens == 0 ? BigDecimal.ZERO : BigDecimal.valueOf(rate).multiply(BigDecimal.valueOf(tokens));
    }

    private static String bundledText() {
        try (InputStream in = Prices.class.getClassLoader().getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException(BUNDLED + " is missing from the application");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Strict: the table ships with the application, so any surprise in it is a build-time bug. */
    private static Map<String, Entry> parse(String source, String yaml) {
        JsonNode models;
        try {
            models = new YAMLMapper().readTree(yaml).path("models");
        } catch (IOException e) {
            throw new IllegalStateException(source + ": not valid YAML: " + e.getMessage(), e);
        }
        if (!models.isObject()) {
            throw new IllegalStateException(source + ": expected a mapping `models`");
        }
        Map<String, Entry> table = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = models.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> model = it.next();
            String where = source + ": models." + model.getKey();
            Map<String, Price> profiles = new HashMap<>();
            JsonNode profileNodes = model.getValue().path(PROFILES);
            for (Iterator<Map.Entry<String, JsonNode>> p = profileNodes.fields(); p.hasNext();) {
                Map.Entry<String, JsonNode> profile = p.next();
                profiles.put(profile.getKey(), price(profile.getValue(), where + ".profiles." + profile.getKey(),
                        Set.of()));
            }
            table.put(model.getKey(), new Entry(price(model.getValue(), where, Set.of(PROFILES)), Map.copyOf(profiles)));
        }
        return Map.copyOf(table);
    }

    private static Price price(JsonNode node, String where, Set<String> alsoAllowed) {
        if (!node.isObject() || !node.has(Price.INPUT)) {
            throw new IllegalStateException(where + ": expected a mapping with " + Price.INPUT);
        }
        node.fieldNames().forEachRemaining(key -> {
            if (!RATE_KEYS.contains(key) && !alsoAllowed.contains(key)) {
                throw new IllegalStateException(where + ": unknown key " + key);
            }
        });
        try {
            return Price.of(rate(node, Price.INPUT, where), rate(node, Price.OUTPUT, where),
                    rate(node, Price.CACHE_READ, where), rate(node, Price.CACHE_WRITE, where));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + ": " + e.getMessage(), e);
        }
    }

    private static OptionalDouble rate(JsonNode node, String key, String where) {
        JsonNode value = node.get(key);
        if (value == null) {
            return OptionalDouble.empty();
        }
        if (!value.isNumber()) {
            throw new IllegalStateException(where + "." + key + ": expected a number of USD per token");
        }
        return OptionalDouble.of(value.doubleValue());
    }
}
