package dev.bedrockgateway.routing;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

import dev.bedrockgateway.bedrock.UpstreamFailure;
import dev.bedrockgateway.catalog.Catalog;
import dev.bedrockgateway.catalog.Deployment;
import dev.bedrockgateway.catalog.ModelCatalog;
import dev.bedrockgateway.config.GatewayConfig;
import dev.bedrockgateway.error.ErrorTypes;
import dev.bedrockgateway.error.OpenAiException;
import dev.bedrockgateway.observability.GatewayMetrics;
import dev.bedrockgateway.observability.RequestRecord;
import dev.bedrockgateway.ratelimit.ClientRateLimits;
import dev.bedrockgateway.ratelimit.RateLimiter;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.Uni;

/**
 * Sends each Bedrock call to one deployment of the requested model and handles Bedrock's bad days, LiteLLM's way:
 *
 * <ul>
 * <li><b>Deployment groups.</b> Among a model's deployments that are usable — circuit not open, fewer calls in
 * flight than their bulkhead allows, within their catalog {@code rpm}/{@code tpm} — the least busy one is picked
 * (ties, and {@code simple-shuffle}, in turn).</li>
 * <li><b>Retries</b> (SmallRye Fault Tolerance, exponential backoff with jitter): throttling, 5xx, timeouts and
 * connection failures, each attempt on a freshly picked deployment. The call being retried is the one that
 * produces the first event of an answer, so a stream is never replayed once anything reached the client.</li>
 * <li><b>Cool-down</b> (a SmallRye circuit breaker per deployment): after {@code allowed_fails + 1} failed calls in a
 * row a deployment gets no traffic for {@code cooldown_time}, then one trial call. Throttling does not count for a
 * model's only deployment.</li>
 * <li><b>Bulkhead</b>: at most {@code max_parallel_requests} calls per deployment, streams counted until they end; a
 * full group is a 429 at once, not a queue.</li>
 * <li><b>Fallbacks</b>: when a model's group is exhausted (retries spent, or nothing usable), the catalog's
 * {@code fallbacks} for it are tried in order, each with its own retries — other regions included.</li>
 * </ul>
 */
@ApplicationScoped
public class BedrockRouter {

    private static final Logger LOG = Logger.getLogger(BedrockRouter.class);
    private static final TypeLiteral<Uni<Object>> UNI = new TypeLiteral<>() {
    };

    private final ModelCatalog catalog;
    private final GatewayConfig.Routing config;
    private final GatewayMetrics metrics;
    private final RateLimiter limiter;
    private final ClientRateLimits clientLimits;
    private final Map<String, DeploymentState> states = new ConcurrentHashMap<>();
    private final AtomicLong turn = new AtomicLong();
    private volatile Policy policy;

    public BedrockRouter(ModelCatalog catalog, GatewayConfig config, GatewayMetrics metrics, RateLimiter limiter,
            ClientRateLimits clientLimits) {
        this.catalog = catalog;
        this.config = config.routing();
        this.metrics = metrics;
        this.limiter = limiter;
        this.clientLimits = clientLimits;
    }

    /** The settings in force: the catalog's LiteLLM settings over the gateway's configuration. */
    record Policy(Catalog catalog, Guard retry, int allowedFails, Duration cooldown, boolean leastBusy,
            Map<Deployment, DeploymentState> byDeployment) {
    }

    private Policy policy() {
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

    /**
     * Runs {@code call} on a deployment of {@code modelName}, retrying, cooling down and falling back as described
     * above. {@code holdUntilDone} ties the deployment's bulkhead slot to the lifetime of what the call produced
     * (a stream: until it ends); null releases it when the call's {@link Uni} completes.
     */
    public <T> Uni<T> route(RequestRecord record, String modelName, Function<Deployment, Uni<T>> call,
            BiFunction<T, Runnable, T> holdUntilDone) {
        Policy p = policy();
        List<String> chain = new ArrayList<>();
        chain.add(modelName);
        chain.addAll(p.catalog().settings().fallbacksOf(modelName));
        return tryModel(p, record, chain, 0, call, holdUntilDone);
    }

    @SuppressWarnings("unchecked")
    private <T> Uni<T> tryModel(Policy p, RequestRecord record, List<String> chain, int index,
            Function<Deployment, Uni<T>> call, BiFunction<T, Runnable, T> hold) {
        String name = chain.get(index);
        AtomicInteger attempts = new AtomicInteger();
        Uni<T> attemptsOfModel = (Uni<T>) p.retry().get(() -> {
            if (attempts.getAndIncrement() > 0) {
                record.retried();
                Deployment last = record.deployment();
                metrics.retry(last == null ? name : last.key());
            }
            return Uni.createFrom().deferred(() -> (Uni<Object>) (Uni<?>) once(p, record, name, call, hold));
        }, UNI);
        if (index + 1 >= chain.size()) {
            return attemptsOfModel;
        }
        return attemptsOfModel.onFailure(BedrockRouter::exhausted).recoverWithUni(failure -> {
            String next = chain.get(index + 1);
            LOG.debugf("Model %s exhausted (%s); falling back to %s", name, failure.getMessage(), next);
            metrics.fallback(name, next);
            record.fellBackFrom(chain.get(0));
            return tryModel(p, record, chain, index + 1, call, hold);
        });
    }

    /** A model is exhausted when its last failure was worth another attempt or nothing of it was usable. */
    private static boolean exhausted(Throwable failure) {
        return UpstreamFailure.isRetryable(failure) || failure instanceof NoDeploymentAvailable;
    }

    private <T> Uni<T> once(Policy p, RequestRecord record, String modelName, Function<Deployment, Uni<T>> call,
            BiFunction<T, Runnable, T> hold) {
        List<Deployment> group = catalogGroup(p, modelName);
        DeploymentState chosen = pick(p, group);
        Deployment deployment = chosen.deployment();
        record.deployment(deployment);
        Runnable release = chosen.releaser();
        if (hold != null) {
            // A stream holds its slot until it ends, or at the latest until the exchange is over.
            record.onEnd(release);
        }
        Uni<T> guarded;
        try {
            Uni<T> upstream = call.apply(deployment);
            guarded = (Uni<T>) chosen.breaker().get(() -> (Uni<Object>) (Uni<?>) upstream, UNI);
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
        return guarded
                .onFailure(CircuitBreakerOpenException.class).transform(e -> coolingDown(p, deployment))
                .onFailure().invoke(failure -> {
                    if (failure instanceof UpstreamFailure u) {
                        metrics.upstreamFailure(deployment.key(), u.code());
                    }
                })
                .onItem().transform(item -> hold == null ? item : hold.apply(item, release))
                .onTermination().invoke((item, failure, cancelled) -> {
                    if (hold == null || failure != null || cancelled) {
                        release.run();
                    }
                });
    }

    private static List<Deployment> catalogGroup(Policy p, String modelName) {
        return p.catalog().find(modelName).orElseThrow(() -> OpenAiException.modelNotFound(modelName));
    }

    /** The usable deployment to call, with a bulkhead slot and a request of its rpm budget taken. */
    private DeploymentState pick(Policy p, List<Deployment> group) {
        int size = group.size();
        int offset = (int) Math.floorMod(turn.getAndIncrement(), (long) size);
        boolean anyClosed = false;
        boolean anyRoom = false;
        DeploymentState best = null;
        int bestLoad = Integer.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            DeploymentState state = state(p, group.get((offset + i) % size));
            if (!state.usable()) {
                continue;
            }
            anyClosed = true;
            int load = state.inFlight();
            if (load >= state.maxParallel()) {
                continue;
            }
            anyRoom = true;
            if (!limiter.available(state.bucket(), state.limit())) {
                continue;
            }
            if (best == null || (p.leastBusy() && load < bestLoad)) {
                best = state;
                bestLoad = load;
            }
        }
        if (best != null && best.tryAcquire()) {
            if (best.limit().limited() && !limiter.acquire(best.bucket(), best.limit()).allowed()) {
                best.releaser().run();
            } else {
                return best;
            }
        }
        String name = group.get(0).modelName();
        if (!anyClosed) {
            metrics.rateLimited("cooldown");
            throw new NoDeploymentAvailable(503, ErrorTypes.SERVER, "service_unavailable",
                    "Every deployment of the model '" + name + "' is cooling down after repeated Bedrock failures.",
                    retryAfter(p.cooldown()));
        }
        if (!anyRoom) {
            metrics.rateLimited("bulkhead");
            throw new NoDeploymentAvailable(429, ErrorTypes.RATE_LIMIT, ErrorTypes.CODE_RATE_LIMIT,
                    "Every deployment of the model '" + name + "' has its maximum of calls in flight; retry shortly.",
                    "1");
        }
        metrics.rateLimited("deployment");
        throw new NoDeploymentAvailable(429, ErrorTypes.RATE_LIMIT, ErrorTypes.CODE_RATE_LIMIT,
                "Every deployment of the model '" + name + "' is at its requests or tokens per minute limit.", "1");
    }

    private static String retryAfter(Duration d) {
        return Long.toString(Math.max(1, (d.toMillis() + 999) / 1000));
    }

    private UpstreamFailure coolingDown(Policy p, Deployment deployment) {
        return new UpstreamFailure(503, ErrorTypes.SERVER, "service_unavailable", "The deployment " + deployment.key()
                + " is cooling down after repeated Bedrock failures.", Map.of("Retry-After", retryAfter(p.cooldown())),
                null, true);
    }

    /** The state of {@code d}, looked up by identity within one catalog (no key built per request). */
    private DeploymentState state(Policy p, Deployment d) {
        Map<Deployment, DeploymentState> cache = p.byDeployment();
        synchronized (cache) {
            return cache.computeIfAbsent(d, k -> stateAcrossReloads(p, k));
        }
    }

    /** Unchanged deployments keep their circuit and in-flight count when the catalog is reloaded. */
    private DeploymentState stateAcrossReloads(Policy p, Deployment d) {
        boolean alone = p.catalog().find(d.modelName()).map(List::size).orElse(1) == 1;
        String key = d.key() + "|" + p.allowedFails() + "|" + p.cooldown().toMillis() + "|"
                + d.maxParallelRequests().orElse(config.maxParallelRequests()) + "|" + d.rpm() + "|" + d.tpm() + "|"
                + alone;
        return states.computeIfAbsent(key, k -> new DeploymentState(d, alone, p.allowedFails(), p.cooldown(),
                d.maxParallelRequests().orElse(config.maxParallelRequests()), metrics));
    }

    /**
     * Records the tokens a request used: on the request, the client's TPM budgets and the deployment's
     * {@code tpm} budget.
     */
    public void recordUsage(RequestRecord record, Deployment deployment, int inputTokens, int outputTokens) {
        record.addTokens(inputTokens, outputTokens);
        int used = inputTokens + outputTokens;
        clientLimits.consumeTokens(record, used);
        if (deployment != null && deployment.tpm().isPresent()) {
            RateLimiter.Limit limit = new RateLimiter.Limit(deployment.rpm().orElse(0), deployment.tpm().getAsInt());
            limiter.consumeTokens("deployment:" + deployment.key(), limit, used);
        }
    }

    /**
     * Whether at least one deployment of the catalog can take traffic: false only while every deployment that has
     * been called is cooling down and none is left untried (readiness).
     */
    public boolean anyDeploymentUsable() {
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

    /** One deployment's circuit breaker, bulkhead and rpm/tpm budget. */
    static final class DeploymentState {
        private final Deployment deployment;
        private final Guard breaker;
        private final int maxParallel;
        private final Duration cooldown;
        private final AtomicInteger inFlight;
        private final AtomicInteger circuitGauge;
        private final RateLimiter.Limit limit;
        private final String bucket;
        private volatile CircuitBreakerState circuit = CircuitBreakerState.CLOSED;
        private volatile long openedAt;

        /**
         * @param alone whether {@code deployment} is the only one of its model: then Bedrock's throttling does not
         *        count towards its cool-down (LiteLLM's rule too). With nowhere else to send the request, cooling it
         *        down would only turn "throttled, retry after a second" (429) into "nothing available" (503) for every
         *        client of the model; its other failures still count.
         */
        DeploymentState(Deployment deployment, boolean alone, int allowedFails, Duration cooldown, int maxParallel,
                GatewayMetrics metrics) {
            this.deployment = deployment;
            this.cooldown = cooldown;
            this.maxParallel = maxParallel;
            this.inFlight = metrics.upstreamInFlight(deployment.key());
            this.circuitGauge = metrics.circuitState(deployment.key());
            this.limit = new RateLimiter.Limit(deployment.rpm().orElse(0), deployment.tpm().orElse(0));
            this.bucket = "deployment:" + deployment.key();
            circuitGauge.set(0);
            this.breaker = Guard.create().withDescription("deployment " + deployment.key())
                    .withCircuitBreaker()
                    .requestVolumeThreshold(allowedFails + 1).failureRatio(1.0).successThreshold(1)
                    .delay(Math.max(1, cooldown.toMillis()), ChronoUnit.MILLIS)
                    .when(failure -> UpstreamFailure.isRetryable(failure)
                            && !(alone && ((UpstreamFailure) failure).status() == 429))
                    .onStateChange(this::changed)
                    .done().build();
        }

        private void changed(CircuitBreakerState state) {
            if (state == CircuitBreakerState.OPEN) {
                openedAt = System.nanoTime();
                LOG.warnf("Deployment %s cooled down for %s after repeated Bedrock failures", deployment.key(),
                        cooldown);
            } else if (state == CircuitBreakerState.CLOSED && circuit != CircuitBreakerState.CLOSED) {
                LOG.infof("Deployment %s serves again", deployment.key());
            }
            circuit = state;
            circuitGauge.set(state == CircuitBreakerState.CLOSED ? 0 : state == CircuitBreakerState.OPEN ? 1 : 2);
        }

        /** Not cooling down: closed, half-open, or open for longer than the cool-down (next call is the trial). */
        boolean usable() {
            return circuit != CircuitBreakerState.OPEN || System.nanoTime() - openedAt >= cooldown.toNanos();
        }

        Deployment deployment() {
            return deployment;
        }

        Guard breaker() {
            return breaker;
        }

        int inFlight() {
            return inFlight.get();
        }

        int maxParallel() {
            return maxParallel;
        }

        RateLimiter.Limit limit() {
            return limit;
        }

        String bucket() {
            return bucket;
        }

        boolean tryAcquire() {
            while (true) {
                int now = inFlight.get();
                if (now >= maxParallel) {
                    return false;
                }
                if (inFlight.compareAndSet(now, now + 1)) {
                    return true;
                }
            }
        }

        /** Releases the slot {@link #tryAcquire} took, once however often it is called. */
        Runnable releaser() {
            AtomicBoolean done = new AtomicBoolean();
            return () -> {
                if (done.compareAndSet(false, true)) {
                    inFlight.decrementAndGet();
                }
            };
        }
    }
}
