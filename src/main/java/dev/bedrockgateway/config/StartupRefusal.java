package dev.bedrockgateway.config;

import java.util.List;

import org.jboss.logging.Logger;

import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Refusing to start over a configuration the gateway cannot run with: a catalog with errors, no API key, a store URL
 * of the wrong form. These are expected errors an operator fixes, not bugs, so they read as such: each problem is
 * logged as one ERROR line that names the setting, what is wrong and what is allowed, and the failure reaches Quarkus
 * as a {@link ConfigurationException}, of which Quarkus prints the message alone (one line, here a summary), without
 * the stack trace it prints for other start-up failures, before the process exits with status 1.
 */
public final class StartupRefusal {

    private StartupRefusal() {
    }

    /**
     * Logs each problem and returns the exception to throw.
     *
     * @param log the logger of the component that refuses (its category is in each line)
     * @param summary what Quarkus prints last, e.g. "the model catalog x.yaml has 3 errors"
     */
    public static ConfigurationException refuse(Logger log, List<String> problems, String summary) {
        problems.forEach(log::error);
        return new ConfigurationException("bedrock-gateway did not start: " + summary + " (logged above)");
    }

    /** "1 error", "3 errors". */
    public static String errors(int count) {
        return count == 1 ? "1 error" : count + " errors";
    }
}
