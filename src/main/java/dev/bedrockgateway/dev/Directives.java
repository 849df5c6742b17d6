package dev.bedrockgateway.dev;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.bedrockgateway.dev.BedrockSimulator.AwsError;

/**
 * What the {@code simulate:} words of a prompt ask of the simulator (listed in {@link BedrockSimulator}'s Javadoc):
 * an error instead of an answer (thrown by {@link #parse}), another latency or pace, an answer that does not end.
 * Unknown {@code simulate:} words are refused with a 400, so that a misspelt directive is noticed rather than echoed.
 *
 * @param latency how long before the answer or the first stream frame; null: the simulator's own
 * @param gap     between two content deltas of a stream; null: the simulator's own
 * @param ending  how the answer ends
 */
record Directives(Duration latency, Duration gap, Ending ending) {

    /** How an answer ends. */
    enum Ending {
        /** As Bedrock's do. */
        COMPLETE,
        /** A stream sends messageStart and its first delta, then nothing; other answers never come. */
        STALL,
        /** A stream goes on repeating the reply's words; other answers never come. */
        ENDLESS
    }

    static final Directives NONE = new Directives(null, null, Ending.COMPLETE);

    private static final Pattern DIRECTIVE = Pattern.compile("simulate:([a-z-]+)(?:=(\\w*))?");

    /** Bedrock's answers to these, with its wording. */
    private static final Map<String, Supplier<AwsError>> ERRORS = Map.of(
            "throttle", () -> new AwsError(429, "ThrottlingException",
                    "Too many requests, please wait before trying again."),
            "error", () -> new AwsError(500, "InternalServerException",
                    "The server encountered an internal error while processing the request."),
            "denied", () -> new AwsError(403, "AccessDeniedException",
                    "You don't have access to the model with the specified model ID."),
            "unavailable", () -> new AwsError(503, "ServiceUnavailableException",
                    "The service isn't currently available. Try again later."));

    /** The directives in {@code text}; throws the AWS error the first error directive asks for. */
    static Directives parse(String text) {
        if (!text.contains("simulate:")) {
            return NONE;
        }
        Duration latency = null;
        Duration gap = null;
        Ending ending = Ending.COMPLETE;
        Matcher matcher = DIRECTIVE.matcher(text);
        while (matcher.find()) {
            String name = matcher.group(1);
            Supplier<AwsError> error = ERRORS.get(name);
            if (error != null) {
                throw error.get();
            }
            switch (name) {
                case "latency-ms" -> latency = millis(matcher);
                case "gap-ms" -> gap = millis(matcher);
                case "stall" -> ending = Ending.STALL;
                case "endless" -> ending = Ending.ENDLESS;
                default -> throw AwsError.validation("Unknown simulator directive simulate:" + name);
            }
        }
        return new Directives(latency, gap, ending);
    }

    private static Duration millis(Matcher directive) {
        String value = directive.group(2);
        if (value == null || !value.matches("\\d{1,7}")) {
            throw AwsError.validation("simulate:" + directive.group(1) + " needs a whole number of milliseconds, e.g. "
                    + "simulate:" + directive.group(1) + "=200");
        }
        return Duration.ofMillis(Long.parseLong(value));
    }
}
