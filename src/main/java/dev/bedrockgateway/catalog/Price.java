package dev.bedrockgateway.catalog;

import java.util.OptionalDouble;

/**
 * What one token costs on a deployment, in USD, under LiteLLM's {@code model_info} names
 * (https://docs.litellm.ai/docs/proxy/custom_pricing). Input is the uncached input Bedrock reports as
 * {@code inputTokens}; cache reads and writes are billed at their own rates, never again at the input rate.
 *
 * @param inputPerToken {@code input_cost_per_token}
 * @param outputPerToken {@code output_cost_per_token}
 * @param cacheReadPerToken {@code cache_read_input_token_cost}
 * @param cacheWritePerToken {@code cache_creation_input_token_cost}
 */
public record Price(double inputPerToken, double outputPerToken, double cacheReadPerToken,
        double cacheWritePerToken) {

    public static final String INPUT = "input_cost_per_token";
    public static final String OUTPUT = "output_cost_per_token";
    public static final String CACHE_READ = "cache_read_input_token_cost";
    public static final String CACHE_WRITE = "cache_creation_input_token_cost";

    public Price {
        check(INPUT, inputPerToken);
        check(OUTPUT, outputPerToken);
        check(CACHE_READ, cacheReadPerToken);
        check(CACHE_WRITE, cacheWritePerToken);
    }

    /**
     * A price from the keys a file set. An unset input or output rate is 0 (as in LiteLLM: an embedding model has no
     * output); an unset cache rate is the input rate, so a model whose cache price is not known is never charged less
     * than uncached input for it.
     */
    public static Price of(OptionalDouble input, OptionalDouble output, OptionalDouble cacheRead,
            OptionalDouble cacheWrite) {
        double in = input.orElse(0);
        return new Price(in, output.orElse(0), cacheRead.orElse(in), cacheWrite.orElse(in));
    }

    private static void check(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + ": expected a non-negative number, got " + value);
        }
    }
}
