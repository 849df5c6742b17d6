package dev.bedrockgateway.routing;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import dev.bedrockgateway.bedrock.UpstreamFailure;
import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.governance.RateLimiter;
import dev.bedrockgateway.observability.GatewayMetrics;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;

/**
 * One deployment's state as the router sees it: its circuit (cool-down), its bulkhead of calls in flight, and its
 * {@code rpm}/{@code tpm} budget.
 */
final class DeploymentState {

    private static final Logger LOG = Logger.getLogger(DeploymentState.class);

    /** The settings a state was made with; a reloaded catalog that changes them gets a new state. */
    record Settings(boolean alone, int allowedFails, Duration cooldown, int maxParallel) {
    }

    private final Deployment deployment;
    private final Settings settings;
    private final RateLimiter limiter;
    private final Guard breaker;
    private final AtomicInteger inFlight;
    private final AtomicInteger circuitGauge;
    private final RateLimiter.Limit limit;
    private final String bucket;
    private final Deployments shared;
    private volatile CircuitBreakerState circuit = CircuitBreakerState.CLOSED;
    private volatile long openedAt;

    /**
     * With {@link Settings#alone()} (the only deployment of its model) Bedrock's throttling does not count towards its
     * cool-down (LiteLLM's rule too): with nowhere else to send the request, cooling it down would only turn
     * "throttled, retry after a second" (429) into "nothing available" (503) for every client of the model; its other
     * failures still count.
     */
    DeploymentState(Deployment deployment, Settings settings, RateLimiter limiter, GatewayMetrics metrics,
            Deployments shared) {
        this.deployment = deployment;
        this.shared = shared;
        this.settings = settings;
        this.limiter = limiter;
        this.inFlight = metrics.upstreamInFlight(deployment.key());
        this.circuitGauge = metrics.circuitState(deployment.key());
        this.limit = limit(deployment);
        this.bucket = bucket(deployment);
        circuitGauge.set(0);
        this.breaker = Guard.create().withDescription("deployment " + deployment.key())
                .withCircuitBreaker()
                .requestVolumeThreshold(settings.allowedFails() + 1).failureRatio(1.0).successThreshold(1)
                .delay(Math.max(1, settings.cooldown().toMillis()), ChronoUnit.MILLIS)
                .when(failure -> UpstreamFailure.isRetryable(failure)
                        && !(settings.alone() && ((UpstreamFailure) failure).status() == 429))
                .onStateChange(this::changed)
                .done().build();
    }

    /** The deployment's catalog {@code rpm}/{@code tpm}; 0 is unlimited. */
    static RateLimiter.Limit limit(Deployment deployment) {
        return new RateLimiter.Limit(deployment.rpm().orElse(0), deployment.tpm().orElse(0));
    }

    /** The bucket of the deployment's budget in the {@link RateLimiter}. */
    static String bucket(Deployment deployment) {
        return "deployment:" + deployment.key();
    }

    private void changed(CircuitBreakerState state) {
        if (state == CircuitBreakerState.OPEN) {
            openedAt = System.nanoTime();
            LOG.warnf("Deployment %s cooled down for %s after repeated Bedrock failures", deployment.key(),
                    settings.cooldown());
            shared.cooledDown(deployment, settings.cooldown());
        } else if (state == CircuitBreakerState.CLOSED && circuit != CircuitBreakerState.CLOSED) {
            LOG.infof("Deployment %s serves again", deployment.key());
        }
        circuit = state;
        circuitGauge.set(state == CircuitBreakerState.CLOSED ? 0 : state == CircuitBreakerState.OPEN ? 1 : 2);
    }

    Deployment deployment() {
        return deployment;
    }

    Settings settings() {
        return settings;
    }

    Guard breaker() {
        return breaker;
    }

    /**
     * Not cooling down: closed, half-open, or open for longer than the cool-down (next call is the trial), and no
     * other replica announced a cool-down that is still running.
     */
    boolean usable() {
        return (circuit != CircuitBreakerState.OPEN || System.nanoTime() - openedAt >= settings.cooldown().toNanos())
                && !shared.cooledDownElsewhere(deployment);
    }

    int inFlight() {
        return inFlight.get();
    }

    boolean full() {
        return inFlight.get() >= settings.maxParallel();
    }

    /** Whether its rpm/tpm budget would take a request now (without taking one). */
    boolean withinBudget() {
        return !limit.limited() || limiter.available(bucket, limit);
    }

    /**
     * Takes a bulkhead slot and a request of the rpm budget; false, with nothing taken, when either is exhausted.
     * The slot is given back by {@link #releaser()}.
     */
    boolean take() {
        while (true) {
            int now = inFlight.get();
            if (now >= settings.maxParallel()) {
                return false;
            }
            if (inFlight.compareAndSet(now, now + 1)) {
                break;
            }
        }
        if (limit.limited() && !limiter.acquire(bucket, limit).allowed()) {
            inFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Releases the slot {@link #take} took, once however often it is called. */
    Runnable releaser() {
        AtomicBoolean done = new AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                inFlight.decrementAndGet();
            }
        };
    }
}
