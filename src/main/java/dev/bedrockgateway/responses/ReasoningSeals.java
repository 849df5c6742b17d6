package dev.bedrockgateway.responses;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.bedrockgateway.config.GatewayConfig;
import dev.bedrockgateway.governance.ApiKeys;
import dev.bedrockgateway.translate.responses.ReasoningSeal;

/**
 * The gateway's one {@link ReasoningSeal}: keyed by {@code gateway.responses.reasoning-secret}, else by the first
 * master key (which the replicas share), else by a key of this process's own.
 */
@Singleton
public class ReasoningSeals {

    private static final Logger LOG = Logger.getLogger(ReasoningSeals.class);

    @Produces
    @Singleton
    ReasoningSeal seal(GatewayConfig config, ApiKeys keys) {
        var secret = config.responses().reasoningSecret().filter(s -> !s.isBlank());
        if (secret.isPresent()) {
            return ReasoningSeal.of(secret.get().getBytes(StandardCharsets.UTF_8));
        }
        var digest = keys.firstDigest();
        if (digest.isPresent()) {
            return ReasoningSeal.of(digest.get());
        }
        LOG.info("Reasoning items are sealed with a key of this process's own (no gateway.responses.reasoning-secret"
                + " and no master key): sealed reasoning does not survive a restart or cross replicas");
        return ReasoningSeal.random();
    }
}
