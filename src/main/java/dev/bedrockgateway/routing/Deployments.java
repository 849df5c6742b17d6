package dev.bedrockgateway.routing;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import dev.bedrockgateway.bedrock.UpstreamFailure;
import dev.bedrockgateway.catalog.Catalog;
import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.catalog.ModelCatalog;
import dev.bedrockgateway.config.GatewayConfig;
import dev.bedrockgateway.governance.RateLimiter;
import dev.bedrockgateway.governance.store.GovernanceEvents;
import dev.bedrockgateway.observability.GatewayMetrics;
import io.smallrye.faulttolerance.api.Guard;

/**
 * The catalog's deployments as the router sees them: the routing settings in force (the catalog's LiteLLM settings
 * over the gateway's configuration) and each deployment's {@link DeploymentState}, kept across catalog reloads for as
 * long as the deployment and its settings stay the same. A deployment cooled down on any replica is cooled down on
 * every one ({@link GovernanceEvents}, through Redis when there is one).
 */
@ApplicationScoped
public class Deployments {

    /**
     * The settings in force for one catalog, and its deployments' states by identity (no lookup by equality per
     * request).
     */
    record Policy(Catalog catalog, Guard retry, int allowedFails, Duration cooldown, boolean leastBusy,
            Map<Deployment, DeploymentState> byDeployment) {
    }

    private final ModelCatalog catalog;
    private final GatewayConfig.Routing config;
    private final GatewayMetrics metrics;
    private final RateLimiter limiter;
    private final GovernanceEvents events;
    private final Map<Deployment, DeploymentState> states = new ConcurrentHashMap<>();
    /** Cool-downs announced by any replica: until when (epoch millis), by deployment key. */
    private final Map<String, Long> sharedCooldowns = new ConcurrentHashMap<>();
    private volatile Policy policy;

    public Deployments(ModelCatalog catalog, GatewayConfig config, GatewayMetrics metrics, RateLimiter limiter,
            GovernanceEvents events) {
        this.catalog = catalog;
        this.config = config.routing();
        this.metrics = metrics;
        this.limiter = limiter;
        this.events = events;
    }

    @PostConstruct
    void listen() {
        events.subscribe(event -> {
            GovernanceEvents.Cooldown cooldown = GovernanceEvents.Cooldown.of(event);
            if (cooldown != null) {
                sharedCooldowns.merge(cooldown.deploymentKey(), cooldown.untilEpochMillis(), Math::max);
            }
        });
    }

    /** Announces to every replica that {@code d} cools down for {@code cooldown} from now. */
    void cooledDown(Deployment d, Duration cooldown) {
        events.publish(GovernanceEvents.cooldown(d.key(), System.currentTimeMillis() + cooldown.toMillis()));
    }

    /** Whether some replica announced a cool-down of {@code d} that has not ended yet. */
    boolean cooledDownElsewhere(Deployment d) {
        Long until = sharedCooldowns.get(d.key());
        return until != null && System.currentTimeMillis() < until;
    }

    /** The policy of the catalog in force, made once per catalog. */
    Policy policy() {
        Catalog current = catalog.current();
        Policy p = policy;
        if (p != null && p.catalog() == current) {
            return p;
        }
        synchronized (this) {
            if (policy != null && policy.catalog() == current) {
                return policy;
            }
            var settings = current.settings();
            int retries = settings.numRetries().orElse(config.numRetries());
            long delay = config.retryDelay().toMillis();
            long jitter = Math.min(config.retryJitter().toMillis(), delay);
            Guard retry = Guard.create().withDescription("bedrock retries")
                    .withRetry().maxRetries(retries).delay(delay, ChronoUnit.MILLIS).jitter(jitter, ChronoUnit.MILLIS)
                    .whenException(UpstreamFailure::isRetryable)
                    .withExponentialBackoff().factor(2).maxDelay(config.retryMaxDelay().toMillis(), ChronoUnit.MILLIS)
                    .done().done().build();
            String strategy = settings.routingStrategy().orElse(config.strategy());
            policy = new Policy(current, retry, settings.allowedFails().orElse(config.allowedFails()),
                    settings.cooldownTime().orElse(config.cooldownTime()), !"simple-shuffle".equals(strategy),
                    new IdentityHashMap<>());
            return policy;
        }
    }

    /** The state of {@code d} under {@code p}. */
    DeploymentState state(Policy p, Deployment d) {
        Map<Deployment, DeploymentState> cache = p.byDeployment();
        synchronized (cache) {
            return cache.computeIfAbsent(d, k -> stateAcrossReloads(p, k));
        }
    }

    /** An unchanged deployment keeps its circuit when the catalog is reloaded; its in-flight count always stays. */
    private DeploymentState stateAcrossReloads(Policy p, Deployment d) {
        boolean alone = p.catalog().find(d.modelName()).map(List::size).orElse(1) == 1;
        DeploymentState.Settings settings = new DeploymentState.Settings(alone, p.allowedFails(), p.cooldown(),
                d.maxParallelRequests().orElse(config.maxParallelRequests()));
        return states.compute(d, (k, old) -> old != null && old.settings().equals(settings) ? old
                : new DeploymentState(d, settings, limiter, metrics, this));
    }

    /** Takes the tokens a call used from the {@code tpm} budget of the deployment that answered it. */
    public void consumeTokens(Deployment deployment, int tokens) {
        if (deployment.tpm().isPresent()) {
            limiter.consumeTokens(DeploymentState.bucket(deployment), DeploymentState.limit(deployment), tokens);
        }
    }

    /**
     * Whether at least one deployment of the catalog can take traffic: false only while every deployment that has
     * been called is cooling down and none is left untried (readiness).
     */
    public boolean anyUsable() {
        Policy p = policy();
        for (List<Deployment> group : p.catalog().groups().values()) {
            for (Deployment d : group) {
                if (state(p, d).usable()) {
                    return true;
                }
            }
        }
        return false;
    }
}
